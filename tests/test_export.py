"""``gfmd export``: every format holds the merged graph, and the same data gives the same bytes."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from typer.testing import CliRunner

from gfmd_graph.cli import app
from gfmd_graph.export import FILE_NAMES, canonical_quads, export_graph, jsonld_context, render, write_exports
from gfmd_graph.load import load_project

GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                 "rdfxml": ox.RdfFormat.RDF_XML}
DATASET_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}

BNODE_TURTLE = """\
@prefix gfmd: <https://w3id.org/gfmd/ontology#> .
@prefix thing: <https://w3id.org/gfmd/id/thing/> .
thing:a gfmd:p [ gfmd:q "1" ; gfmd:r [ gfmd:q "2" ] ], [ gfmd:q "3" ] ;
    gfmd:list ( "x" [ gfmd:q "4" ] ) .
_:shared gfmd:q "5" .
thing:b gfmd:p _:shared .
thing:c gfmd:p _:shared .
thing:c gfmd:name "line\\nbreak \\"quoted\\""@en .
"""


@pytest.fixture(scope="module")
def exports(project):
    quads = canonical_quads(project)
    return {fmt: render(fmt, quads, project) for fmt in FILE_NAMES}


def canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def as_default_graph(statements) -> ox.Dataset:
    return canonical(ox.Quad(s.subject, s.predicate, s.object) for s in statements)


@pytest.fixture(scope="module")
def merged_dataset(project):
    data = project.merged().serialize(format="nt", encoding="utf-8")
    return as_default_graph(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_graph_formats_hold_exactly_the_merged_graph(exports, merged_dataset, fmt):
    parsed = as_default_graph(ox.parse(exports[fmt], format=GRAPH_FORMATS[fmt]))
    assert len(parsed) == len(merged_dataset) > 12000
    assert parsed == merged_dataset


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_dataset_formats_keep_one_named_graph_per_file(exports, project, fmt):
    quads = list(ox.parse(exports[fmt], format=DATASET_FORMATS[fmt]))
    per_graph: dict[str, int] = {}
    for q in quads:
        per_graph[q.graph_name.value] = per_graph.get(q.graph_name.value, 0) + 1
    expected = {str(n): len(g) for n, g in project.graphs.items() if project.kind(n) in ("ontology", "data")}
    assert per_graph == expected
    assert "https://w3id.org/gfmd/graph/data/hlpf-2017" in per_graph
    assert not any("/graph/shapes/" in name for name in per_graph)


def test_line_formats_are_sorted_and_unique(exports):
    for fmt in ("nt", "nq"):
        lines = exports[fmt].decode("utf-8").splitlines()
        assert lines == sorted(set(lines))


def test_turtle_export_is_the_canonical_layout(exports):
    text = exports["ttl"].decode("utf-8")
    assert text.startswith("@prefix ")
    assert "\n<https://w3id.org/gfmd/ontology> a owl:Ontology ;" in text  # the header block comes first
    assert "\nsummit:2007 a gfmd:Summit ;" in text


def test_trig_prefixes_are_sorted(exports):
    prefixes = [line for line in exports["trig"].decode("utf-8").splitlines() if line.startswith("@prefix ")]
    assert prefixes == sorted(prefixes) and len(prefixes) > 10


def write_project(root: Path, data: str) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "data" / "things.ttl").write_text(data, encoding="utf-8")
    return root


def test_blank_node_labels_and_statement_order_do_not_show(tmp_path):
    first = load_project(write_project(tmp_path / "a", BNODE_TURTLE))
    lines = Graph().parse(data=BNODE_TURTLE, format="turtle").serialize(format="nt").strip().splitlines()
    random.Random(7).shuffle(lines)
    second = load_project(write_project(tmp_path / "b", "\n".join(lines) + "\n"))
    for fmt in FILE_NAMES:
        a, b = export_graph(first, fmt), export_graph(second, fmt)
        assert a == b, fmt
    nt = export_graph(first, "nt").decode("utf-8")
    assert "_:c14n" in nt and len(nt.splitlines()) == len(lines)


XSD = "http://www.w3.org/2001/XMLSchema#"
JSONLD_TURTLE = """\
@prefix gfmd: <https://w3id.org/gfmd/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix state: <https://w3id.org/gfmd/id/state/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
state:PHL a gfmd:State ; skos:exactMatch <http://www.wikidata.org/entity/Q928> ;
    gfmd:joined "2007-07-10"^^xsd:date ; gfmd:name "Philippines"@en ; gfmd:p [ gfmd:q 1 ] .
"""


def test_jsonld_context_holds_only_the_prefixes_used(tmp_path):
    loaded = load_project(write_project(tmp_path, JSONLD_TURTLE))
    data = export_graph(loaded, "jsonld")
    doc = json.loads(data)
    assert doc["@context"] == {"gfmd": "https://w3id.org/gfmd/ontology#", "rdf": str(RDF),
                               "skos": "http://www.w3.org/2004/02/skos/core#",
                               "state": "https://w3id.org/gfmd/id/state/", "xsd": XSD}
    ids = {node["@id"] for node in doc["@graph"]}
    assert "state:PHL" in ids
    parsed = Graph().parse(data=data, format="json-ld")
    assert isomorphic(parsed, loaded.merged())


def test_jsonld_context_of_an_rdflib_graph():
    graph = Graph()  # rdflib binds some thirty prefixes by default: only the used ones remain
    graph.parse(data=JSONLD_TURTLE, format="turtle")
    graph.bind("ex", "http://example.org/ns#")
    graph.add((URIRef("http://example.org/ns#a"), RDF.type, URIRef("http://example.org/other/B")))
    context = jsonld_context(graph)
    assert context == {"ex": "http://example.org/ns#", "gfmd": "https://w3id.org/gfmd/ontology#", "rdf": str(RDF),
                       "skos": "http://www.w3.org/2004/02/skos/core#", "state": "https://w3id.org/gfmd/id/state/",
                       "xsd": XSD}
    data = graph.serialize(format="json-ld", context=context)
    assert json.loads(data)["@context"] == context
    assert isomorphic(Graph().parse(data=data, format="json-ld"), graph)


def test_write_exports_names_the_files(tmp_path, project):
    written = write_exports(project, tmp_path / "dist", ["nt", "void"])
    assert [p.name for p in written] == ["graph.nt", "void.ttl"]
    assert all(p.stat().st_size > 1000 for p in written)
    with pytest.raises(ValueError, match="unknown export format 'yaml'"):
        write_exports(project, tmp_path, ["yaml"])


# -- the command ---------------------------------------------------------------------

@pytest.fixture
def run(project, monkeypatch):
    monkeypatch.setattr("gfmd_graph.load.load_project", lambda *a, **k: project)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["export", *args])


def test_cli_single_format_to_stdout(run, exports):
    result = run("--format", "nt", "--out", "-")
    assert result.exit_code == 0 and result.stdout_bytes == exports["nt"]


def test_cli_writes_one_format_into_a_folder(run, tmp_path, exports):
    result = run("--format", "trig", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "dist").iterdir()] == ["graph.trig"]
    assert (tmp_path / "dist" / "graph.trig").read_bytes() == exports["trig"]
    assert "graph.trig" in result.stderr and result.stdout == ""


def test_cli_base_adds_endpoint_to_void(run):
    result = run("--format", "void", "--out", "-", "--base", "http://example.org:8000/")
    assert "void:sparqlEndpoint <http://example.org:8000/sparql>" in result.stdout


@pytest.mark.parametrize("args, message", [
    (("--format", "yaml"), "unknown format 'yaml'"),
    (("--out", "-"), "single format"),
])
def test_cli_bad_input_exits_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_a_fresh_process_with_another_hash_seed_writes_the_same_bytes(tmp_path, exports):
    """All formats into the default file names: a new load (new blank-node ids, new hash seed), the same bytes."""
    exe = shutil.which("gfmd") or str(Path(sys.executable).with_name("gfmd"))
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([exe, "export", "--out", str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILE_NAMES.values())
    for fmt, name in FILE_NAMES.items():
        assert (tmp_path / name).read_bytes() == exports[fmt], fmt
