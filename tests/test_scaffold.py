"""``gfmd new`` writes a canonical, shape-valid skeleton into the right data file of a project copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from gfmd_graph import cli
from gfmd_graph.namespaces import GRAPH
from gfmd_graph.turtle_format import format_file, parse_turtle
from gfmd_graph.validate import shacl_validate

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/gfmd/id/"


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def structure(project) -> tuple[Graph, Graph, Graph]:
    return (project.graphs[GRAPH["shapes/structure"]], project.merged(kinds=("ontology",)),
            project.merged(kinds=("data",)))


def new(root: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli.app, ["new", *args], env={"GFMD_ROOT": str(root)}, input=input)


def violations(path: Path, iri: str, structure) -> list[str]:
    """Structure-shape violations of one resource: its triples in ``path`` plus the types of what it links to."""
    shapes, ontology, data = structure
    written = parse_turtle(path.read_text(encoding="utf-8"))
    node = URIRef(iri)
    graph = Graph()
    for _, p, o in written.triples((node, None, None)):
        graph.add((node, p, o))
        for t in data.objects(o, RDF.type):
            graph.add((o, RDF.type, t))
    assert len(graph), f"{iri} was not written"
    return [f"{r.source_shape} {r.message}" for r in shacl_validate(graph, shapes, ontology)
            if r.focus == iri and r.severity == "Violation"]


def assert_written(root: Path, result, file: str, iri: str) -> Path:
    """Exit 0, the block in ``file``, the file canonical, and the printed block parses to the resource."""
    assert result.exit_code == 0, result.output
    path = root / "data" / file
    assert f"to data/{file}:" in result.stderr
    assert format_file(path, check=True) is False  # already canonical
    prefixes = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("@prefix"))
    block = parse_turtle(prefixes + "\n\n" + result.stdout)
    assert set(block.subjects()) == {URIRef(iri)}
    assert set(block) <= set(parse_turtle(path.read_text(encoding="utf-8")))
    return path


def test_new_practice(copy, structure):
    result = new(copy, "practice", "--key", "fof-2021-test-practice", "--label", "A test practice",
                 "--document", "004", "--lines", "304-305", "--description", "Sweden is supporting partners.",
                 "--implemented-by", "SWE", "--implemented-by", "organization:iom")
    iri = ID + "practice/fof-2021-test-practice"
    path = assert_written(copy, result, "fof-2021.ttl", iri)
    assert 'gfmd:sourcePassage "004_8fb29b7558d3895e.txt#L304-L305"' in result.stdout
    assert "prov:wasDerivedFrom doc:fof-2021-11-18-summary" in result.stdout
    assert violations(path, iri, structure) == []


def test_new_pfp_practice_goes_to_its_focus_area_file(copy, structure):
    result = new(copy, "practice", "--pfp-id", "99999", "--label", "A PfP test practice",
                 "--document", "thematic-recollection-2017", "--lines", "373", "--focus-area", "2-2")
    iri = ID + "practice/pfp-99999"
    path = assert_written(copy, result, "thematic-recollection-part1.ttl", iri)
    assert "rdfs:seeAlso <http://gfmd.org/pfp/ppd/99999>" in result.stdout
    assert violations(path, iri, structure) == []


def test_new_policy_option_takes_the_next_position(copy, structure):
    result = new(copy, "recommendation", "--type", "policy-option", "--key", "tr-2-2-po-test",
                 "--text", "Protect migrant workers in every recruitment step, from the first contact to the return home.",
                 "--document", "001", "--lines", "352-352", "--focus-area", "2-2")
    iri = ID + "recommendation/tr-2-2-po-test"
    path = assert_written(copy, result, "thematic-recollection-part1.ttl", iri)
    assert "gfmd:orderIndex 4 ;" in result.stdout  # 2-2 lists three policy options
    assert 'rdfs:label "Protect migrant workers in every recruitment step, from the first contact to…"@en' in result.stdout
    assert violations(path, iri, structure) == []


def test_new_key_recommendation(copy, structure):
    result = new(copy, "recommendation", "--type", "key", "--key", "dialogue-2017-04-06-kr-test", "--text", "A text.",
                 "--document", "gcm-dialogue-2017-04-06", "--lines", "29", "--number", "11", "--cited-year", "2015",
                 "--section", "gcm-dialogue-2017-04-06-key-recommendations")
    iri = ID + "recommendation/dialogue-2017-04-06-kr-test"
    path = assert_written(copy, result, "gcm-dialogue-2017.ttl", iri)
    assert violations(path, iri, structure) == []


def test_new_summit(copy, structure):
    result = new(copy, "summit", "--year", "2030", "--document", "001", "--lines", "5-6",
                 "--chair", "PHL", "--place", "manila")
    iri = ID + "summit/2030"
    path = assert_written(copy, result, "summits.ttl", iri)
    assert "gfmd:year 2030 ;" in result.stdout
    assert violations(path, iri, structure) == []


@pytest.mark.parametrize("kind,key,file", [("person", "test-person", "persons.ttl"),
                                           ("un-body", "test-body", "organizations.ttl")])
def test_new_actor(copy, structure, kind, key, file):
    result = new(copy, "actor", "--type", kind, "--key", key, "--label", f"Test {kind}",
                 "--document", "004", "--lines", "12")
    iri = ID + ("person/" if kind == "person" else "organization/") + key
    path = assert_written(copy, result, file, iri)
    assert violations(path, iri, structure) == []


def test_prompts_for_missing_fields_in_a_terminal(copy, structure, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = new(copy, "summit", "--chair", "BEL", input="2031\n003\n15-20\n")
    assert "Year:" in result.output and "Source document:" in result.output
    assert result.exit_code == 0, result.output
    assert violations(copy / "data" / "summits.ttl", ID + "summit/2031", structure) == []


@pytest.mark.parametrize("args,message", [
    (["summit", "--year", "2007", "--document", "001", "--lines", "66"], "summit:2007 already exists (in data/summits.ttl)"),
    (["summit", "--year", "2032", "--document", "001", "--lines", "1190-1300"], "exceed 001_69fe85e28a4c7925.txt, which has 1199 lines"),
    (["summit", "--year", "2032", "--document", "nope", "--lines", "1"], "no source document 'nope'"),
    (["summit", "--year", "2032", "--document", "001", "--lines", "9-3"], "1 <= start <= end"),
    (["practice", "--label", "x", "--document", "001", "--lines", "1"], "missing --key"),
    (["practice", "--key", "Bad Key", "--label", "x", "--document", "001", "--lines", "1"], "lower-case ASCII"),
    (["practice", "--key", "rec:x", "--label", "x", "--document", "001", "--lines", "1"], "has no rec: prefix"),
    (["practice", "--key", "x", "--label", "x", "--document", "001", "--lines", "1", "--focus-area", "9-9"], "not defined"),
    (["recommendation", "--type", "policy-option", "--key", "x", "--text", "t", "--document", "001", "--lines", "1"],
     "missing --focus-area or --section"),
    (["recommendation", "--type", "policy-option", "--key", "x", "--text", "t", "--document", "001", "--lines", "1",
      "--focus-area", "2-2", "--section", "tr-2017-iii"], "exactly one of --focus-area and --section"),
    (["actor", "--type", "person", "--key", "y", "--label", "y", "--document", "004", "--lines", "1",
      "--file", "data/states.ttl"], "derived"),
])
def test_bad_input_exits_2_and_writes_nothing(copy, args, message):
    before = {p.name: p.read_bytes() for p in (copy / "data").glob("*.ttl")}
    result = new(copy, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert {p.name: p.read_bytes() for p in (copy / "data").glob("*.ttl")} == before
