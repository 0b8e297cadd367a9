"""``gfmd stats``: counts per class, source document and file, and the data-quality summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gfmd_graph.cli import app
from gfmd_graph.load import load_project
from gfmd_graph.stats import QUALITY, collect_stats

DATA_GRAPHS = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/gfmd/graph/data/"))'

DEFECTS = """\
@prefix doc: <https://w3id.org/gfmd/id/document/> .
@prefix gfmd: <https://w3id.org/gfmd/ontology#> .
@prefix practice: <https://w3id.org/gfmd/id/practice/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix summit: <https://w3id.org/gfmd/id/summit/> .

doc:a a gfmd:SourceDocument ; rdfs:label "A"@en ; gfmd:fileName "000_a.txt" ; gfmd:lineCount 10 ;
    prov:wasDerivedFrom doc:a ; gfmd:sourcePassage "000_a.txt#L1-L2" .
practice:ok a gfmd:Practice, gfmd:PlatformForPartnershipsEntry ; rdfs:label "OK"@en ;
    prov:wasDerivedFrom doc:a ; gfmd:sourcePassage "000_a.txt#L3-L3" .
practice:no-label a gfmd:Practice ; prov:wasDerivedFrom doc:a ; gfmd:sourcePassage "000_a.txt#L4-L12" .
practice:no-provenance a gfmd:Practice ; rdfs:label "One"@en, "Two"@en ;
    gfmd:sourcePassage "000_a.txt#L5", "000_a.txt#L7-L7" ; skos:editorialNote "n1"@en, "n2"@en .
practice:no-passage a gfmd:Practice ; rdfs:label "Seulement"@fr ; prov:wasDerivedFrom doc:a ;
    gfmd:implementedBy summit:missing ; gfmd:partner [ rdfs:label "anonymous"@en ] .
practice:untyped rdfs:label "U"@en ; prov:wasDerivedFrom doc:a ; gfmd:sourcePassage "000_a.txt#L6-L6" .
"""


@pytest.fixture(scope="module")
def stats(project):
    return collect_stats(project)


def by_name(items):
    return {item.name: item for item in items}


def test_class_counts_equal_direct_counts_over_the_data_files(stats, store):
    direct = {r["c"]: r["n"] for r in store.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) {{ GRAPH ?g {{ ?s a ?c }} {DATA_GRAPHS} }} GROUP BY ?c")}
    assert {c.iri: c.instances for c in stats.classes} == direct


def test_resources_count_under_each_asserted_class(stats):
    classes = by_name(stats.classes)
    assert classes["gfmd:SourceDocument"].instances == 5
    assert classes["gfmd:GCMObjective"].instances == 23
    assert classes["gfmd:FocusArea"].instances == 21
    # practice:pfp-2347 and its kind count under both of their asserted classes, no superclass is inferred
    assert classes["gfmd:PlatformForPartnershipsEntry"].instances == 64
    assert classes["gfmd:Practice"].instances >= 64
    assert "gfmd:Actor" not in classes and "owl:Class" not in classes


def test_class_counts_per_document_follow_provenance(stats, store):
    summit = by_name(stats.classes)["gfmd:Summit"].by_document
    direct = {r["d"].rsplit("/", 1)[-1]: r["n"] for r in store.select(
        "SELECT ?d (COUNT(DISTINCT ?s) AS ?n) { ?s a <https://w3id.org/gfmd/ontology#Summit> ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?d . ?d a <https://w3id.org/gfmd/ontology#SourceDocument> } "
        "GROUP BY ?d")}
    assert {k.removeprefix("doc:"): v for k, v in summit.items() if v} == direct
    assert list(summit) == [d.name for d in stats.documents]


def test_documents_in_file_order_with_resources_and_passages(stats, store):
    assert [d.file[:3] for d in stats.documents] == ["000", "001", "002", "003", "004"]
    for d in stats.documents:
        derived = store.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s <http://www.w3.org/ns/prov#wasDerivedFrom> <{d.iri}> }}")
        passages = store.select(f"""SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?r) {{ SELECT DISTINCT ?s ?p {{
            GRAPH ?g {{ ?s <https://w3id.org/gfmd/ontology#sourcePassage> ?p }} {DATA_GRAPHS}
            FILTER(STRSTARTS(?p, "{d.file}#")) }} }}""")
        assert d.resources == derived[0]["n"] > 0
        assert (d.passages, d.resources_with_passage) == (passages[0]["n"], passages[0]["r"])


def test_files_each_with_their_triples(stats, project):
    files = {f.file: f for f in stats.files}
    assert set(files) == {p.relative_to(project.root).as_posix() for p in project.files.values()}
    for name, graph in project.graphs.items():
        assert files[project.files[name].relative_to(project.root).as_posix()].triples == len(graph)
    assert files["data/states.ttl"].typed_resources == 68  # the states the curated files link to


def test_quality_of_the_curated_data(stats, store):
    q = stats.quality
    assert set(q) == set(QUALITY)
    for key in ("untyped", "without_label", "without_english_label", "malformed_passages",
                "passages_beyond_document_end", "dangling_references", "blank_nodes"):
        assert q[key] == 0, key
    assert q["without_provenance"] == 4  # the four reference datasets of data/documents.ttl
    assert q["editorial_notes"] == store.select(
        "SELECT (COUNT(*) AS ?n) { ?s <http://www.w3.org/2004/02/skos/core#editorialNote> ?o }")[0]["n"] > 100


def test_quality_counts_each_kind_of_defect(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "defects.ttl").write_text(DEFECTS, encoding="utf-8")
    s = collect_stats(load_project(tmp_path))
    assert s.quality == {
        "resources": 6, "untyped": 1, "without_label": 1, "without_english_label": 2,
        "several_labels_in_one_language": 1, "without_provenance": 1, "without_source_passage": 1,
        "derived_without_passage": 1, "passage_without_derivation": 1, "malformed_passages": 1,
        "passages_beyond_document_end": 1, "dangling_references": 1, "blank_nodes": 1,
        "editorial_notes": 2, "resources_with_editorial_note": 1,
    }
    assert {c.name: c.instances for c in s.classes} == {
        "gfmd:Practice": 4, "gfmd:PlatformForPartnershipsEntry": 1, "gfmd:SourceDocument": 1}
    (doc,) = s.documents
    assert (doc.name, doc.resources, doc.passages, doc.resources_with_passage) == ("doc:a", 5, 5, 5)


# -- the command ---------------------------------------------------------------------

@pytest.fixture
def run(project, monkeypatch):
    monkeypatch.setattr("gfmd_graph.load.load_project", lambda *a, **k: project)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["stats", *args])


def test_cli_json_is_the_library_result(run, stats):
    result = run("--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == stats.as_dict()


def test_cli_table_shows_every_section(run):
    result = run()
    assert result.exit_code == 0
    for heading in ("Instances per asserted class", "Source documents", "Files", "Data quality"):
        assert heading in result.stdout
    assert "gfmd:GCMObjective" in result.stdout and "editorial_notes" in result.stdout


def test_cli_bad_format_exits_2(run):
    result = run("--format", "yaml")
    assert result.exit_code == 2 and "unknown format 'yaml'" in result.stderr and result.stdout == ""


def test_the_class_table_and_notes_of_the_data_readme_are_the_data_s(stats, project):
    """data/README.md shows the counts and notes `gfmd stats --format markdown` prints for this version."""
    from gfmd_graph.stats import class_table_markdown, editorial_notes_markdown

    readme = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    hint = "re-run: gfmd stats --format markdown, and paste into data/README.md"
    assert class_table_markdown(stats) in readme, hint
    assert readme.endswith(editorial_notes_markdown(project)), hint


def test_stats_markdown_prints_one_row_per_class(stats):
    result = CliRunner().invoke(app, ["stats", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    table, notes = result.output.split("\n\n")
    lines = table.splitlines()
    assert lines[0] == "| class | total | 000 | 001 | 002 | 003 | 004 |"
    assert len(lines) == 2 + len(stats.classes)
    assert len(notes.splitlines()) == stats.quality["editorial_notes"]
    assert all(line.startswith("- `") for line in notes.splitlines())
    provision = by_name(stats.classes)["gfmd:Provision"]
    docs = sorted(stats.documents, key=lambda d: d.file)
    assert (f"| `gfmd:Provision` | {provision.instances} | "
            + " | ".join(str(provision.by_document[f"doc:{d.iri.rsplit('/', 1)[1]}"]) for d in docs) + " |") in lines
    assert provision.instances >= 27 and provision.by_document["doc:thematic-recollection-2017"] >= 24
