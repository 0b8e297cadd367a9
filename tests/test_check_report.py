"""``gfmd check`` reports each rule family with level, rule, file and line, in every format, with its exit code.

Each scenario is a small project (the ontology, shapes and queries of this one, and
the valid shapes fixture as its data) plus one broken file, checked through GFMD_ROOT.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gfmd_graph.cli import app
from gfmd_graph.turtle_format import format_turtle

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "fixtures" / "shapes" / "base.ttl"
HEAD = """@prefix doc: <https://w3id.org/gfmd/id/document/> .
@prefix gfmd: <https://w3id.org/gfmd/ontology#> .
@prefix organization: <https://w3id.org/gfmd/id/organization/> .
@prefix practice: <https://w3id.org/gfmd/id/practice/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix state: <https://w3id.org/gfmd/id/state/> .
@prefix summit: <https://w3id.org/gfmd/id/summit/> .
"""  # 8 lines; a blank line follows, so the first block starts on line 10
PROVENANCE = """    gfmd:sourcePassage "001_69fe85e28a4c7925.txt#L113-L113" ;
    prov:wasDerivedFrom doc:tr ;"""

AXIOM_2009 = """
[] a <http://www.w3.org/2002/07/owl#Axiom> ;
    <http://www.w3.org/2002/07/owl#annotatedSource> summit:2009 ;
    <http://www.w3.org/2002/07/owl#annotatedProperty> gfmd:year ;
    <http://www.w3.org/2002/07/owl#annotatedTarget> 2009 ;
    gfmd:sourcePassage "001_69fe85e28a4c7925.txt#L113-L113" .
"""

SCENARIOS = {
    "clean": {},
    "syntax": {"broken.ttl": HEAD + """
summit:2009 a gfmd:Summit ;
    gfmd:year 2009
    rdfs:label "GFMD Summit 2009"@en .
"""},
    "shacl": {"summits.ttl": HEAD + f"""
summit:2009 a gfmd:Summit ;
    gfmd:chair state:PHL ;
{PROVENANCE}
    rdfs:label "GFMD Summit 2009"@en .
"""},
    "quality": {"practices.ttl": HEAD + f"""
practice:x a gfmd:GoodPractise, gfmd:Practice ;
{PROVENANCE}
    rdfs:label "A practice of an undeclared class"@en .
"""},
    "reasoning": {"organizations.ttl": HEAD + f"""
organization:x a gfmd:Place, gfmd:UNBody ;
{PROVENANCE}
    rdfs:label "Both a body and a place"@en .
"""},
    "warning": {"summits.ttl": HEAD + f"""
summit:2009 a gfmd:Summit ;
{PROVENANCE}
    gfmd:year 2009 ;
    rdfs:label "GFMD Summit 2009"@en .
""" + AXIOM_2009},
    "unreferenced": {"summits.ttl": HEAD + """
summit:2007 a gfmd:Summit ;
    gfmd:sourcePassage "001_69fe85e28a4c7925.txt#L113-L113",
        "001_69fe85e28a4c7925.txt#L247-L247" ;
    prov:wasDerivedFrom doc:tr ;
    gfmd:year 2007 ;
    rdfs:label "GFMD Summit 2007"@en .
"""},
    "no-unit": {"quantities.ttl": HEAD + f"""
<https://w3id.org/gfmd/id/quantity/summit-2008-participants> a gfmd:Quantity ;
{PROVENANCE}
    gfmd:quantityOf summit:2008 ;
    gfmd:measure <https://w3id.org/gfmd/id/quantity-kind/participants> ;
    <https://schema.org/value> 150 ;
    gfmd:statedAs "150 participants"@en ;
    rdfs:label "Participants of the 2008 summit"@en .
"""},
    "duplicate": {"practices.ttl": HEAD + f"""
practice:one a gfmd:Practice ;
{PROVENANCE}
    rdfs:label "Seasonal workers scheme"@en .

practice:two a gfmd:Practice ;
{PROVENANCE}
    rdfs:label "Seasonal workers scheme"@en .
"""},
    "bad-date": {"summits.ttl": HEAD + f"""
summit:2009 a gfmd:Summit ;
{PROVENANCE}
    gfmd:year 2009 ;
    gfmd:date "2009-02-30"^^gfmd:EDTF ;
    rdfs:label "GFMD Summit 2009"@en .
""" + AXIOM_2009},
}


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name, files in SCENARIOS.items():
        root = tmp_path_factory.mktemp(name)
        for folder in ("ontology", "shapes", "queries"):
            shutil.copytree(ROOT / folder, root / folder)
        (root / "data").mkdir()
        (root / "data" / "base.ttl").write_text(format_turtle(BASE.read_text(encoding="utf-8")), encoding="utf-8")
        for file_name, text in files.items():
            (root / "data" / file_name).write_text(text, encoding="utf-8")
        out[name] = root
    return out


def gfmd(root: Path, *args: str):
    return CliRunner().invoke(app, list(args), env={"GFMD_ROOT": str(root)})


_runs: dict[tuple, object] = {}


def run(projects, scenario: str, *args: str):
    """Run once per (scenario, arguments) and reuse: every run validates a whole project."""
    key = (scenario, args)
    if key not in _runs:
        _runs[key] = gfmd(projects[scenario], "check", *args)
    return _runs[key]


def findings(projects, scenario: str, *args: str) -> list[dict]:
    result = run(projects, scenario, "--format", "json", *args)
    return json.loads(result.stdout)


def test_clean_project_passes_with_exit_0(projects):
    result = run(projects, "clean", "--no-reason")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s): check passed" in result.stderr


def test_syntax_error_names_file_line_and_column(projects):
    result = run(projects, "syntax", "--format", "json", "--no-reason")
    assert result.exit_code == 1
    [hit] = json.loads(result.stdout)
    assert (hit["level"], hit["rule"], hit["file"], hit["line"]) == ("ERROR", "syntax", "data/broken.ttl", 12)
    assert hit["column"] >= 1


def test_syntax_error_as_github_annotation(projects):
    result = run(projects, "syntax", "--format", "github", "--no-reason")
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith("::error file=data/broken.ttl,line=12,col=")
    assert ",title=syntax::" in line
    assert "\n" not in line.split("::", 2)[2]


def test_shacl_violation_is_located_at_its_block(projects):
    hits = findings(projects, "shacl", "--no-reason")
    assert {"level": "ERROR", "rule": "shacl:Summit-year", "file": "data/summits.ttl", "line": 10,
            "subject": "https://w3id.org/gfmd/id/summit/2009"}.items() <= next(
        h for h in hits if h["rule"] == "shacl:Summit-year").items()
    assert run(projects, "shacl", "--format", "json", "--no-reason").exit_code == 1


def test_shacl_violation_as_github_annotation(projects):
    result = run(projects, "shacl", "--format", "github", "--no-reason")
    assert result.exit_code == 1
    assert any(line.startswith("::error file=data/summits.ttl,line=10,title=shacl%3ASummit-year::summit:2009 gfmd:year")
               for line in result.stdout.splitlines()), result.stdout


def test_quality_rule_reports_subject_and_line(projects):
    hits = findings(projects, "quality", "--no-reason")
    hit = next(h for h in hits if h["rule"] == "qc:undeclared-class")
    assert (hit["level"], hit["file"], hit["line"]) == ("ERROR", "data/practices.ttl", 10)
    assert hit["value"] == "https://w3id.org/gfmd/ontology#GoodPractise"
    assert "Problem" not in hit["message"] and "ontology" in hit["message"]  # the query's Problem/Solution text


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")
def test_reasoner_reports_a_contradiction(projects):
    result = run(projects, "reasoning", "--format", "json")
    hits = json.loads(result.stdout)
    assert result.exit_code == 1
    assert any(h["level"] == "ERROR" and h["rule"] == "owl:inconsistent" for h in hits), hits


def test_statement_without_reference_is_an_error_at_its_line(projects):
    result = run(projects, "unreferenced", "--format", "json", "--no-reason")
    assert result.exit_code == 1
    [hit] = [h for h in json.loads(result.stdout) if h["rule"] == "ref:missing"]
    assert (hit["level"], hit["file"], hit["line"]) == ("ERROR", "data/summits.ttl", 14)
    assert (hit["subject"], hit["property"], hit["value"]) == (
        "https://w3id.org/gfmd/id/summit/2007", "https://w3id.org/gfmd/ontology#year", "2007")
    assert "gfmd cite" in hit["message"]


def test_gfmd_cite_adds_the_reference_check_asks_for(projects, tmp_path):
    root = tmp_path / "cite"
    shutil.copytree(projects["unreferenced"], root)
    assert gfmd(root, "cite", "--check").exit_code == 1
    result = gfmd(root, "cite")
    assert result.exit_code == 0 and "1 references added" in result.stdout, result.output
    text = (root / "data" / "summits.ttl").read_text()
    # the passage that writes the year out (001 line 247 names 2007; line 113 does not)
    assert 'owl:annotatedTarget 2007 ;\n    gfmd:sourcePassage "001_69fe85e28a4c7925.txt#L247-L247" .' in text
    assert gfmd(root, "check", "--no-reason").exit_code == 0
    assert gfmd(root, "cite", "--check").exit_code == 0


def test_gfmd_cite_narrow_keeps_only_the_passages_that_write_the_value_out(projects, tmp_path):
    root = tmp_path / "narrow"
    shutil.copytree(projects["unreferenced"], root)
    summits = root / "data" / "summits.ttl"
    summits.write_text(summits.read_text() + """
[] a <http://www.w3.org/2002/07/owl#Axiom> ;
    <http://www.w3.org/2002/07/owl#annotatedSource> summit:2007 ;
    <http://www.w3.org/2002/07/owl#annotatedProperty> gfmd:year ;
    <http://www.w3.org/2002/07/owl#annotatedTarget> 2007 ;
    gfmd:sourcePassage "001_69fe85e28a4c7925.txt#L113-L113", "001_69fe85e28a4c7925.txt#L247-L247" .
""")
    result = gfmd(root, "cite", "--narrow")
    assert result.exit_code == 0 and "1 references narrowed in 1 files" in result.stdout, result.output
    text = summits.read_text()
    # line 113 does not write 2007 out; line 247 does
    assert 'owl:annotatedTarget 2007 ;\n    gfmd:sourcePassage "001_69fe85e28a4c7925.txt#L247-L247" .' in text
    assert "#L113-L113\" ." not in text.split("owl:annotatedTarget 2007")[1]
    assert gfmd(root, "check", "--no-reason").exit_code == 0


def test_gfmd_cite_with_files_touches_only_those(projects, tmp_path):
    root = tmp_path / "only"
    shutil.copytree(projects["unreferenced"], root)
    summits = root / "data" / "summits.ttl"
    before = summits.read_text()
    others = [f for f in (root / "data").glob("*.ttl") if f != summits]
    assert others
    result = gfmd(root, "cite", str(others[0]))
    assert result.exit_code == 0 and "0 references added" in result.output, result.output
    assert summits.read_text() == before  # its statement is left for whoever owns the file
    result = gfmd(root, "cite", str(summits))
    assert result.exit_code == 0 and "1 references added" in result.output, result.output
    assert gfmd(root, "cite", str(root / "data" / "nowhere.ttl")).exit_code == 2


def test_gfmd_cite_on_a_file_that_does_not_parse_says_where_and_exits_2(projects, tmp_path):
    root = tmp_path / "broken"
    shutil.copytree(projects["unreferenced"], root)
    summits = root / "data" / "summits.ttl"
    summits.write_text(summits.read_text() + "\n<<<<<<< HEAD\n")
    before = summits.read_text()
    for args in (("cite",), ("cite", "--check"), ("cite", "--narrow")):
        result = gfmd(root, *args)
        assert result.exit_code == 2, result.output
        assert "data/summits.ttl" in result.output and "Traceback" not in result.output
    assert summits.read_text() == before  # nothing rewritten


def test_two_resources_of_one_class_with_one_label_are_reported(projects):
    hits = [h for h in findings(projects, "duplicate", "--no-reason") if h["rule"] == "qc:duplicate-label"]
    assert {(h["level"], h["file"], h["line"], h["subject"].rsplit("/", 1)[1]) for h in hits} == {
        ("ERROR", "data/practices.ttl", 10, "one"), ("ERROR", "data/practices.ttl", 15, "two")}
    assert all(h["value"] == "Seasonal workers scheme" for h in hits)
    assert run(projects, "duplicate", "--format", "json", "--no-reason").exit_code == 1


def test_quantity_without_unit_is_an_error_at_its_block(projects):
    hits = findings(projects, "no-unit", "--no-reason")
    hit = next(h for h in hits if h["rule"] == "shacl:Quantity-unit")
    assert (hit["level"], hit["file"], hit["line"]) == ("ERROR", "data/quantities.ttl", 10)
    assert "gfmd:unit" in hit["message"]


def test_invalid_date_is_an_error_at_its_line(projects):
    hits = findings(projects, "bad-date", "--no-reason")
    [hit] = [h for h in hits if h["rule"] == "edtf:invalid"]
    assert (hit["level"], hit["file"], hit["line"], hit["value"]) == ("ERROR", "data/summits.ttl", 14, "2009-02-30")
    assert "February 2009 has no day 30" in hit["message"]
    assert [h for h in hits if h["rule"] == "ref:missing"]  # the date has no reference either


def test_warning_fails_only_with_strict(projects):
    relaxed = run(projects, "warning", "--no-reason")
    strict = run(projects, "warning", "--no-reason", "--strict")
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    assert "shacl:Summit-chairStated" in relaxed.stderr
    assert "1 warning(s): check failed" in strict.stderr


def test_warning_as_github_annotation(projects):
    result = run(projects, "warning", "--format", "github", "--no-reason")
    assert result.exit_code == 0
    assert result.stdout.startswith("::warning file=data/summits.ttl,line=10,title=shacl%3ASummit-chairStated::")


def test_table_groups_by_file_with_errors_first(projects, tmp_path):
    root = tmp_path / "mixed"
    shutil.copytree(projects["warning"], root)
    shutil.copy(projects["shacl"] / "data" / "summits.ttl", root / "data" / "z-summits.ttl")
    (root / "data" / "z-summits.ttl").write_text(
        (root / "data" / "z-summits.ttl").read_text().replace("2009", "2011"))
    result = gfmd(root, "check", "--no-reason")
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert lines[0] == "data/z-summits.ttl"
    assert lines.index("data/summits.ttl") > lines.index("data/z-summits.ttl")
    assert any("10  ERROR" in line and "shacl:Summit-year" in line for line in lines)


def test_tsv_has_a_header_and_one_row_per_finding(projects):
    result = run(projects, "shacl", "--format", "tsv", "--no-reason")
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == ["Level", "Rule", "File", "Line", "Column", "Subject", "Property", "Value", "Message"]
    assert len(rows) == len(findings(projects, "shacl", "--no-reason"))
    assert all(len(row.split("\t")) == 9 for row in rows)


def test_quiet_prints_nothing_on_success_and_the_summary_on_failure(projects):
    ok = gfmd(projects["clean"], "--quiet", "check", "--no-reason")
    assert (ok.exit_code, ok.stdout, ok.stderr) == (0, "", "")
    failed = gfmd(projects["shacl"], "check", "-q", "--no-reason")
    assert failed.exit_code == 1
    assert failed.stderr.strip().splitlines() == [failed.stderr.strip()]
    assert "error(s)" in failed.stderr


def test_verbose_prints_the_time_of_each_stage(projects):
    result = gfmd(projects["clean"], "-v", "check", "--no-reason")
    assert result.exit_code == 0
    for stage in ("parse", "shacl", "quality rules"):
        assert f"stage {stage}: " in result.stderr


def test_bad_input_exits_2(projects, tmp_path):
    assert gfmd(projects["clean"], "check", "--format", "xml").exit_code == 2
    assert gfmd(tmp_path, "check", "--no-reason").exit_code == 2  # not a project
    assert gfmd(projects["clean"], "check", "--quiet", "--verbose").exit_code == 2
