"""/search and /search/terms: JSON for programs, a page for browsers, languages, and 400s for bad input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Hits(HTMLParser):
    """The links, kinds and marked text of a search page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.marks: list[str] = []
        self._in: str | None = None
        self._href = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and self._li:
            self._in, self._href = "a", attrs.get("href", "")
            self.links.append((self._href, ""))
        elif tag == "mark":
            self._in = "mark"
            self.marks.append("")
        elif tag == "li":
            self._li = True

    _li = False

    def handle_endtag(self, tag):
        if tag in ("a", "mark"):
            self._in = None
        if tag == "li":
            self._li = False

    def handle_data(self, data):
        if self._in == "a":
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)
        elif self._in == "mark":
            self.marks[-1] += data


def test_json_hits(client):
    r = client.get("/search", params={"q": "10.7", "limit": 3})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert "accept-language" in r.headers["vary"].lower()
    body = r.json()
    first = body["hits"][0]
    assert first["compact"] == "sdg:10.7" and first["iri"] == "http://metadata.un.org/sdg/10.7"
    assert first["rank"] == "exact" and first["kind"] == "SDG target"
    for hit in body["hits"]:
        for start, end in hit["highlights"]:
            assert 0 <= start < end <= len(hit["snippet"])
    assert len(body["hits"]) <= 3


def test_kind_and_offset(client):
    hits = client.get("/search", params={"q": "migration", "kind": "Practice", "limit": 20}).json()["hits"]
    assert hits and all(h["compact"].startswith("practice:") for h in hits)
    assert all(h["href"].startswith("/id/practice/") for h in hits)
    later = client.get("/search", params={"q": "migration", "kind": "Practice", "limit": 20, "offset": 20}).json()
    assert not {h["iri"] for h in hits} & {h["iri"] for h in later["hits"]}


def test_lang_parameter_and_accept_language(client):
    by_param = client.get("/search", params={"q": "philippines", "lang": "fr"})
    assert by_param.headers["content-language"] == "fr"
    assert by_param.json()["hits"][0]["label"] == "Philippines (les)"
    by_header = client.get("/search", params={"q": "philippines"}, headers={"Accept-Language": "fr-CH, en;q=0.5"})
    assert by_header.json()["hits"][0]["label"] == "Philippines (les)"
    english = client.get("/search", params={"q": "philippines"}, headers={"Accept-Language": "de"})
    assert english.headers["content-language"] == "en"
    assert english.json()["hits"][0]["label"] == "Philippines (the)"
    # ?lang= wins over the header
    both = client.get("/search", params={"q": "philippines", "lang": "en"}, headers={"Accept-Language": "fr"})
    assert both.json()["hits"][0]["label"] == "Philippines (the)"


def test_html_page_marks_matches_and_escapes(client):
    r = client.get("/search", params={"q": "gfmd"}, headers={"Accept": HTML})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = Hits()
    page.feed(r.text)
    assert page.links[0] == ("/id/organization/gfmd", "Global Forum on Migration and Development")
    assert page.marks and all(m.casefold() == "gfmd" for m in page.marks)
    hostile = client.get("/search", params={"q": "<script>alert(1)</script>"}, headers={"Accept": HTML})
    assert hostile.status_code == 200
    assert "<script>alert" not in hostile.text and "&lt;script&gt;" in hostile.text


def test_html_form_without_query(client):
    r = client.get("/search", headers={"Accept": HTML})
    assert r.status_code == 200 and 'name="q"' in r.text


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "   "}, {}, {"q": "x" * 10_000}, {"q": "gfmd", "lang": "xx"},
                                    {"q": "gfmd", "limit": "0"}, {"q": "gfmd", "limit": "101"},
                                    {"q": "gfmd", "limit": "ten"}, {"q": "gfmd", "offset": "-1"}])
def test_bad_input_is_a_400_problem(client, params):
    r = client.get("/search", params=params)
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == 400 and body["error"] in ("bad-search", "unknown-language") and body["message"]


def test_bad_input_page_for_browsers(client):
    r = client.get("/search", params={"q": "gfmd", "limit": "0"}, headers={"Accept": HTML})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")


def test_terms_for_completion(client):
    classes = client.get("/search/terms", params={"kind": "class", "q": "gfmd:Pra"}).json()["terms"]
    assert "gfmd:Practice" in [t["compact"] for t in classes]
    properties = client.get("/search/terms", params={"kind": "property", "q": "gfmd:acr"}).json()["terms"]
    assert [t["iri"] for t in properties] == ["https://w3id.org/gfmd/ontology#acronym"]
    resources = client.get("/search/terms", params={"kind": "resource", "q": "state:PH"}).json()["terms"]
    assert "state:PHL" in [t["compact"] for t in resources]
    assert client.get("/search/terms", params={"kind": "nothing"}).status_code == 400
    assert client.get("/search/terms", params={"q": "x" * 2000}).status_code == 400


def test_editor_completes_from_this_service_only(client):
    page = client.get("/", headers={"Accept": HTML})
    assert page.status_code == 200
    script = client.get("/assets/editor/editor.js")
    assert script.status_code == 200
    for text in (page.text, script.text):
        assert "prefix.cc" not in text and "lov.linkeddata" not in text
    config = json.loads(re.search(r'id="gfmd-editor-config">(.*?)</script>', page.text, re.S).group(1))
    assert config["prefixes"]["gfmd"] == "https://w3id.org/gfmd/ontology#"
    terms = client.get(config["termsEndpoint"], params={"kind": "class", "q": "https://w3id.org/gfmd/ontology#Pr"})
    assert "https://w3id.org/gfmd/ontology#Practice" in [t["iri"] for t in terms.json()["terms"]]
    properties = client.get(config["termsEndpoint"], params={"kind": "property", "q": "gfmd:"}).json()["terms"]
    assert properties and all(t["compact"].startswith("gfmd:") for t in properties)
