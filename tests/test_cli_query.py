"""``gfmd query``: names, files and SPARQL text, parameters, result formats; and the result helpers under it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from gfmd_graph.cli import app
from gfmd_graph.errors import ResultFormatError
from gfmd_graph.query import result_media_type, serialize_result, to_dataframe

CONSTRUCT_DOCS = ("PREFIX gfmd: <https://w3id.org/gfmd/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                  "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a gfmd:SourceDocument ; dcterms:title ?t }")


@pytest.fixture
def run(store, monkeypatch):
    """Invoke the CLI in-process over the session's store (loading the project once)."""
    monkeypatch.setattr("gfmd_graph.query.GraphStore", lambda *a, **k: store)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["query", *args])
    return invoke


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_named_query_with_param_as_csv(run):
    result = run("cq/cq08-summits", "--param", "year=2017", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert csv_rows(result.stdout) == [["year", "chair", "city"], ["2017", "DEU", "Berlin"], ["2017", "MAR", "Berlin"]]
    assert result.stderr == ""


def test_table_lists_every_row(run):
    result = run("cq/cq10-hlpf-2017-focus-goals")
    assert result.exit_code == 0
    assert "goal" in result.stdout
    for goal in ("1", "2", "3", "5", "9", "14", "17"):
        assert f" {goal} " in result.stdout


def test_json_is_the_sparql_results_format(run):
    result = run("cq/cq04-practices-by-focus-area", "-p", "area=focusarea:2-2", "-p", "cluster=2", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["head"]["vars"] == ["pfpId", "cluster", "focusArea"]
    ids = {b["pfpId"]["value"] for b in doc["results"]["bindings"]}
    assert {"2347", "470", "5424", "2674"} <= ids
    assert {b["focusArea"]["value"] for b in doc["results"]["bindings"]} == {"2"}


@pytest.mark.parametrize("fmt, marker", [("xml", b"<sparql"), ("tsv", b"?goal")])
def test_other_result_formats(run, fmt, marker):
    result = run("cq/cq10-hlpf-2017-focus-goals", "--format", fmt)
    assert result.exit_code == 0 and marker in result.stdout_bytes


def test_query_file_with_its_own_params(run, tmp_path):
    path = tmp_path / "by-code.rq"
    path.write_text("# param: code string required\nPREFIX gfmd: <https://w3id.org/gfmd/ontology#>\n"
                    "SELECT ?state WHERE { ?state gfmd:iso3166Alpha3 ?code }", encoding="utf-8")
    result = run(str(path), "-p", "code=PHL", "--format", "csv")
    assert csv_rows(result.stdout) == [["state"], ["https://w3id.org/gfmd/id/state/PHL"]]
    missing = run(str(path), "--format", "csv")
    assert missing.exit_code == 2 and "'code' (string) is required" in missing.stderr


def test_sparql_text_and_ask(run):
    assert run("ASK { ?s a <https://w3id.org/gfmd/ontology#Summit> }").stdout.strip() == "true"
    assert json.loads(run("ASK { ?s a <urn:none> }", "--format", "json").stdout)["boolean"] is False


@pytest.mark.parametrize("fmt, rdflib_format", [("table", "turtle"), ("ttl", "turtle"), ("nt", "nt"),
                                                ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_construct_prints_rdf(run, fmt, rdflib_format):
    result = run(CONSTRUCT_DOCS, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format=rdflib_format)
    assert len(graph) == 5


@pytest.mark.parametrize("args, message", [
    (("cq/cq08-summits", "-p", "year=twenty"), "parameter 'year' expects an integer, got 'twenty'"),
    (("cq/cq08-summits", "-p", "city=Berlin"), "unknown parameter 'city'"),
    (("cq/cq08-summits", "-p", "year"), "expected NAME=VALUE"),
    (("cq/cq04-practices-by-focus-area", "-p", "area=http://x> } UNION { ?s ?p ?o"), "'area' expects an iri"),
    (("cq/no-such-query",), "no named query or query file 'cq/no-such-query'"),
    (("SELECT * WHERE { ?s ?p }",), "error:"),
    (("cq/cq08-summits", "--format", "ttl"), "cannot be written as 'ttl'"),
    ((CONSTRUCT_DOCS, "--format", "csv"), "cannot be written as 'csv'"),
])
def test_bad_input_exits_2_with_message_on_stderr(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_installed_entry_point():
    exe = shutil.which("gfmd") or str(Path(sys.executable).with_name("gfmd"))
    ok = subprocess.run([exe, "query", "cq/cq08-summits", "--param", "year=2016", "--format", "csv"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert csv_rows(ok.stdout) == [["year", "chair", "city"], ["2016", "BGD", "Dhaka"]]
    bad = subprocess.run([exe, "query", "cq/cq08-summits", "--param", "year=}"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "expects an integer" in bad.stderr and bad.stdout == ""


# -- the result helpers ------------------------------------------------------------

def test_serialize_result_by_name_or_media_type(store):
    q = "SELECT ?goal WHERE { <https://w3id.org/gfmd/id/meeting/hlpf-2017> <https://w3id.org/gfmd/ontology#goalInFocus> ?goal }"
    as_json = json.loads(serialize_result(store.query(q), "application/sparql-results+json"))
    assert len(as_json["results"]["bindings"]) == 7
    assert serialize_result(store.query(q), "csv").splitlines()[0] == b"goal"
    assert result_media_type(store.query(q), "xml") == "application/sparql-results+xml"
    assert result_media_type(store.query(CONSTRUCT_DOCS), "xml") == "application/rdf+xml"
    turtle = serialize_result(store.query(CONSTRUCT_DOCS), "text/turtle")
    assert b"@prefix doc: <https://w3id.org/gfmd/id/document/>" in turtle
    with pytest.raises(ResultFormatError):
        serialize_result(store.query(q), "ttl")
    with pytest.raises(ResultFormatError):
        serialize_result(store.query(CONSTRUCT_DOCS), "application/n-quads")


def test_to_dataframe_from_rows_and_results(store):
    rows = store.run_named("cq/cq17-documents")
    df = to_dataframe(rows)
    assert list(df.columns) == ["document", "title", "date"] and len(df) == 5
    assert df["date"].isna().sum() == 1  # the 2007 slides state no date
    df = to_dataframe(store.query("SELECT ?year ?none WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> ; "
                                  "<https://w3id.org/gfmd/ontology#year> ?year } ORDER BY ?year"))
    assert list(df.columns) == ["year", "none"] and df["year"].iloc[0] == 2007 and df["none"].isna().all()
    assert to_dataframe(store.query("ASK { }"))["boolean"].tolist() == [True]
    assert list(to_dataframe(store.query(CONSTRUCT_DOCS)).columns) == ["subject", "predicate", "object"]


def test_query_file_path_with_spaces(run, tmp_path):
    path = tmp_path / "my queries" / "count.rq"
    path.parent.mkdir()
    path.write_text("ASK { ?s a <https://w3id.org/gfmd/ontology#GCMObjective> }", encoding="utf-8")
    assert run(str(path)).stdout.strip() == "true"
    long_text = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 5000
    assert run(long_text, "--format", "csv").exit_code == 0
