"""The pictures: HTML pages holding inline SVG drawn from the named queries of queries/pictures/."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from gfmd_graph.query import named_queries

SVG = "{http://www.w3.org/2000/svg}"
PAGES = ("/pictures/timeline", "/pictures/matrix", "/pictures/coverage")


def svg_of(html: str) -> ET.Element:
    """The page's inline SVG element, parsed as XML."""
    m = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert m, "no inline SVG on the page"
    return ET.fromstring(m.group(0))


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_the_queries_behind_the_pictures_are_named_queries():
    queries = named_queries()
    for name in ("pictures/timeline", "pictures/matrix", "pictures/matrix-cell", "pictures/coverage"):
        assert queries[name].title and queries[name].description


def test_index_lists_the_pictures_and_resource_pages_link_to_it(client):
    r = client.get("/pictures")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for page in PAGES:
        assert f'href="{page}"' in r.text
    page = client.get("/id/summit/2007")
    assert 'href="/pictures"' in page.text


@pytest.mark.parametrize("path", PAGES)
def test_each_picture_is_labelled_and_links_to_its_query(client, path):
    r = client.get(path)
    assert r.status_code == 200
    svg = svg_of(r.text)
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == ids
    links = hrefs(r.text)
    query = next(h for h in links if h.startswith("/queries/pictures/"))
    answer = client.get(query, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json()["results"]["bindings"]
    editor = next(h for h in links if h.startswith("/#"))
    opened = parse_qs(urlsplit(editor).fragment)
    name = query.split("?")[0].removeprefix("/queries/")
    assert opened["query"][0] == named_queries()[name].text
    # Nothing from another host: no absolute script, style or font address.
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', r.text)


def test_timeline_marks_summit_2007_with_belgium_and_lists_undated_meetings_apart(client):
    r = client.get("/pictures/timeline")
    svg = svg_of(r.text)
    marks = svg.findall(f".//{SVG}a[@class='mark']")
    kinds = {m.get("data-kind") for m in marks}
    assert kinds == {"summit", "chairmanship", "meeting"}
    summit = next(m for m in marks if m.get("data-iri") == "https://w3id.org/gfmd/id/summit/2007")
    assert summit.get("data-year") == "2007" and summit.get("href") == "/id/summit/2007"
    assert "Belgium" in summit.find(f"{SVG}title").text and "Brussels" in summit.get("aria-label")
    assert float(summit.find(f"{SVG}rect").get("width")) > 0
    summits = {m.get("data-year") for m in marks if m.get("data-kind") == "summit"}
    assert {"2007", "2008", "2016", "2021"} <= summits
    # A meeting whose year the data does not state is listed, not drawn.
    drawn = {m.get("data-iri") for m in marks}
    assert "https://w3id.org/gfmd/id/meeting/gcm-thematic-consultation-2" not in drawn
    assert 'href="/id/meeting/gcm-thematic-consultation-2"' in r.text.split('class="undated"', 1)[1]


def test_matrix_has_23_objective_rows_and_cells_that_list_their_practices(client):
    r = client.get("/pictures/matrix")
    svg = svg_of(r.text)
    rows = svg.findall(f".//{SVG}g[@class='row']")
    objectives = [g for g in rows if g.get("data-type") == "objective"]
    assert [g.get("data-notation") for g in objectives] == [str(n) for n in range(1, 24)]
    assert any(g.get("data-notation") == "10.7" for g in rows if g.get("data-type") == "target")
    row10 = next(g for g in objectives if g.get("data-notation") == "10")
    cell = next(a for a in row10.findall(f"{SVG}a") if a.get("data-kind").endswith("#Practice"))
    assert int(cell.get("data-count")) >= 1
    listing = client.get(cell.get("href"))
    assert listing.status_code == 200
    items = [h for h in hrefs(listing.text) if h.startswith("/id/practice/")]
    assert "/id/practice/fof-2021-uae-indonesia-anti-trafficking-agreement" in items
    assert len(set(items)) == int(cell.get("data-count"))
    assert "/queries/pictures/matrix-cell?" in listing.text


def test_matrix_cell_needs_its_parameters(client):
    assert client.get("/pictures/matrix/cell?row=gcmobj:10&kind=not%20an%20iri").status_code == 400


def test_coverage_has_five_documents_with_cited_runs_linking_to_their_resources(client):
    r = client.get("/pictures/coverage")
    svg = svg_of(r.text)
    docs = svg.findall(f".//{SVG}g[@class='document']")
    assert len(docs) == 5
    assert all(int(d.get("data-resources")) > 0 and int(d.get("data-lines")) > 0 for d in docs)
    slides = next(d for d in docs if d.get("data-file") == "003_049e7e376a7459d6.txt")
    segment = next(a for a in slides.findall(f"{SVG}a[@class='segment']")
                   if int(a.get("data-start")) <= 15 <= int(a.get("data-end")))
    assert int(segment.get("data-citations")) > 0
    listing = client.get(segment.get("href"))
    assert listing.status_code == 200
    assert 'href="/id/summit/2007"' in listing.text  # "Brussels: 9-11 July 2007" is line 15


def test_coverage_lines_refuses_a_backwards_range(client):
    r = client.get("/pictures/coverage/lines?document=doc:gfmd-2007-2008-slides&start=9&end=3")
    assert r.status_code == 400
