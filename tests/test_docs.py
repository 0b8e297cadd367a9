"""The ontology's HTML documentation: complete, well-formed, self-contained and deterministic."""

from __future__ import annotations

import html
from collections import Counter
from html.parser import HTMLParser

import pytest
from rdflib.namespace import OWL, RDF, SKOS
from typer.testing import CliRunner

from gfmd_graph.cli import app
from gfmd_graph.docs import render_ontology_html
from gfmd_graph.namespaces import GFMD

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Checks that tags nest and close, and collects ids, links and the text of each term section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.sources: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self._section_depth: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs or (tag == "link" and attrs.get("rel") == "stylesheet"):
            self.sources.append(attrs.get("src") or attrs.get("href"))
        if tag == "section" and attrs.get("class") == "term":
            self._section_depth.append((len(self.stack), attrs["id"]))
            self.sections[attrs["id"]] = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        if self._section_depth and self._section_depth[-1][0] == len(self.stack):
            self._section_depth.pop()
        self.stack.pop()

    def handle_data(self, data):
        if self._section_depth:
            self.sections[self._section_depth[-1][1]].append(data)

    def text(self, anchor: str) -> str:
        return " ".join(" ".join(self.sections[anchor]).split())


@pytest.fixture(scope="module")
def page_html(project) -> str:
    return render_ontology_html(project)


@pytest.fixture(scope="module")
def page(page_html) -> Page:
    parser = Page()
    parser.feed(page_html)
    parser.close()
    assert parser.stack == []
    return parser


def _terms(project, kinds):
    onto = project.merged(kinds=("ontology",))
    return sorted({s for k in kinds for s in onto.subjects(RDF.type, k) if str(s).startswith(str(GFMD))}), onto


def test_every_class_appears_with_its_definition(project, page):
    classes, onto = _terms(project, [OWL.Class])
    assert len(classes) > 40
    for cls in classes:
        name = str(cls)[len(GFMD):]
        definition = " ".join(str(onto.value(cls, SKOS.definition)).split())
        assert definition in page.text(f"class-{name}"), name


def test_every_property_appears_with_its_definition(project, page):
    props, onto = _terms(project, [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty])
    assert len(props) > 40
    for prop in props:
        name = str(prop)[len(GFMD):]
        definition = " ".join(str(onto.value(prop, SKOS.definition)).split())
        assert definition in page.text(f"property-{name}"), name


def test_anchors_are_unique_and_every_internal_link_resolves(page):
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    assert duplicates == []
    broken = sorted({h for h in page.hrefs if h.startswith("#") and h[1:] not in page.ids})
    assert broken == []


def test_page_is_self_contained(page_html, page):
    assert page.sources == []
    assert "<script" not in page_html and "@import" not in page_html
    assert "<style>" in page_html


def test_output_is_deterministic(project, page_html):
    assert render_ontology_html(project) == page_html


def test_metadata_table(page_html):
    for text in ("GFMD Knowledge Graph ontology", "0.1.0", "https://creativecommons.org/licenses/by/4.0/",
                 "https://w3id.org/gfmd/ontology#", "GFMD Knowledge Graph contributors", "2026-11-23"):
        assert html.escape(text) in page_html, text


def test_union_domain_inverse_and_characteristics_read_as_words(page):
    chair = page.text("property-chair")
    assert "gfmd:Summit or gfmd:Chairmanship" in chair
    assert "Inverse gfmd:chairOf" in chair
    assert "transitive" in page.text("property-partOf")


def test_class_shows_hierarchy_alignment_disjointness_shapes_and_examples(page):
    summit = page.text("class-Summit")
    assert "Superclasses gfmd:Meeting" in summit
    assert "gfmd:Dialogue" in summit.split("Disjoint with", 1)[1]
    assert "gfmd:year 1 1 datatype xsd:integer" in summit  # required, at most one
    assert "summit:2007" in summit and "Instances" in summit
    assert "rdfs:subClassOf schema:Event" in page.text("class-Meeting")


def test_docs_command_writes_index_html(tmp_path):
    result = CliRunner().invoke(app, ["docs", "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
