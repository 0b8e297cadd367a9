"""``gfmd diff``: the change report between two git revisions or project folders.

A temporary git repository holds a copy of the project's ontology, shapes and data; a
second commit changes one statement, adds a resource, removes one and narrows a
statement reference. The reports are read as a user reads them: lines of text, the
markdown comment, parsed JSON, the exit code and message of a bad revision.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from typer.testing import CliRunner

from gfmd_graph.cli import app
from gfmd_graph.namespaces import GFMD, ID
from gfmd_graph.turtle_format import format_graph, parse_turtle

ROOT = Path(__file__).resolve().parent.parent
SUMMITS = "data/summits.ttl"
P001 = "001_69fe85e28a4c7925.txt#L247-L247"
P002 = "002_93a59147a1a340c4.txt#L19-L19"
#: The data files copied (the whole data/ folder would only make every run slower).
DATA_FILES = ("documents.ttl", "places.ttl", "states.ttl", "summits.ttl")


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _line_of(path: Path, start: str) -> int:
    """1-based line at which a block starting with ``start`` begins."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def _edit_summits(path: Path) -> None:
    """The change under test: one value changed, one resource added, one removed, one reference narrowed."""
    graph = parse_turtle(path.read_text(encoding="utf-8"), source=path)
    summit, chair_2007, chair_2011 = ID["summit/2007"], ID["chairmanship/2007"], ID["chairmanship/2011"]
    # gfmd:ordinal 1 -> 2, its reference following the statement.
    graph.remove((summit, GFMD.ordinal, Literal(1)))
    graph.add((summit, GFMD.ordinal, Literal(2)))
    for axiom in graph.subjects(OWL.annotatedSource, summit):
        if (axiom, OWL.annotatedProperty, GFMD.ordinal) in graph:
            graph.set((axiom, OWL.annotatedTarget, Literal(2)))
    # A new summit.
    new = ID["summit/2099"]
    graph.add((new, RDF.type, GFMD.Summit))
    graph.add((new, RDFS.label, Literal("GFMD Summit 2099", lang="en")))
    graph.add((new, GFMD.year, Literal(2099)))
    # chairmanship:2011 and its references removed.
    for axiom in list(graph.subjects(OWL.annotatedSource, chair_2011)):
        graph.remove((axiom, None, None))
    graph.remove((chair_2011, None, None))
    # The reference of "chairmanship:2007 gfmd:chair state:BEL" narrowed to one passage.
    for axiom in graph.subjects(OWL.annotatedSource, chair_2007):
        if (axiom, OWL.annotatedProperty, GFMD.chair) in graph:
            graph.remove((axiom, GFMD.sourcePassage, Literal(P002)))
    path.write_text(format_graph(graph), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A git repository on main: the project's files, then a commit with the change under test."""
    repo = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, repo / folder)
    (repo / "data").mkdir()
    for name in DATA_FILES:
        shutil.copy(ROOT / "data" / name, repo / "data" / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the project as it is")
    for folder in ("ontology", "shapes", "data"):  # the same project as a plain folder
        shutil.copytree(repo / folder, _base_folder(repo) / folder)
    _edit_summits(repo / SUMMITS)
    _git(repo, "commit", "-qam", "a change to the summits")
    return repo


def _diff(repo: Path, *args: str):
    return CliRunner().invoke(app, ["diff", *args], env={"GFMD_ROOT": str(repo)})


def _base_folder(repo: Path) -> Path:
    return repo.parent / f"{repo.name}-base"


def test_text_report_lists_each_change_with_its_place(repo):
    result = _diff(repo, "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "HEAD~1 -> HEAD: 1 added, 1 removed, 2 altered resources"
    added = _line_of(repo / SUMMITS, "summit:2099 ")
    summit = _line_of(repo / SUMMITS, "summit:2007 ")
    removed = _line_of(_base_folder(repo) / SUMMITS, "chairmanship:2011 ")
    assert "gfmd:Summit (GFMD summit)" in lines
    assert f'  + summit:2099  "GFMD Summit 2099"  {SUMMITS}:{added}' in lines
    assert any(line.startswith("  ~ summit:2007  ") and line.endswith(f"{SUMMITS}:{summit}") for line in lines)
    assert "      gfmd:ordinal: 1 -> 2" in lines
    assert any(line.startswith("  - chairmanship:2011  ")
               and line.endswith(f"{SUMMITS}:{removed} (in HEAD~1)") for line in lines)
    assert f"      reference of gfmd:chair state:BEL: {P001}, {P002} -> {P001}" in lines
    # References are shown on their statement, never as blank nodes of their own.
    assert "_:" not in result.stdout and "owl:Axiom" not in result.stdout


def test_markdown_report_has_a_table_of_counts_then_the_details(repo):
    result = _diff(repo, "HEAD~1", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "| kind | added | removed | altered |" in text
    assert "| gfmd:Summit (GFMD summit) | 1 | 0 | 1 |" in text
    assert "| gfmd:Chairmanship (chairmanship) | 0 | 1 | 1 |" in text
    assert "| **total** | **1** | **1** | **2** |" in text
    assert "#### gfmd:Summit (GFMD summit): 1 added" in text
    assert "- `summit:2099` GFMD Summit 2099 — `data/summits.ttl:" in text
    assert "  gfmd:ordinal: 1 -> 2" in text.replace("! ", "")


def test_markdown_folds_long_lists():
    from gfmd_graph.diff import GraphDiff, ResourceChange, render_markdown

    many = GraphDiff("a", "b", resources=[ResourceChange(f"x:{i}", f"state:X{i}", None, "gfmd:State", "state", (),
                                                           "added", None, None) for i in range(12)])
    few = GraphDiff("a", "b", resources=many.resources[:2])
    assert "<details><summary>gfmd:State (state): 12 added</summary>" in render_markdown(many)
    assert "<details>" not in render_markdown(few) and "#### gfmd:State (state): 2 added" in render_markdown(few)


def test_json_report_has_stable_keys(repo):
    result = _diff(repo, "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"version", "base", "head", "summary", "kinds", "resources"}
    assert data["summary"] == {"added": 1, "removed": 1, "altered": 2}
    assert data["base"]["name"] == "HEAD~1" and len(data["base"]["revision"]) == 40
    by_curie = {r["curie"]: r for r in data["resources"]}
    assert set(by_curie) == {"summit:2099", "summit:2007", "chairmanship:2011", "chairmanship:2007"}
    added = by_curie["summit:2099"]
    assert (added["change"], added["kind"], added["label"], added["base"]) == ("added", "gfmd:Summit", "GFMD Summit 2099", None)
    assert added["head"] == {"file": SUMMITS, "line": _line_of(repo / SUMMITS, "summit:2099 ")}
    assert {(s["property"], s["new"]) for s in added["statements"]} >= {("a", "gfmd:Summit"), ("gfmd:year", "2099")}
    ordinal = [s for s in by_curie["summit:2007"]["statements"] if s["property"] == "gfmd:ordinal"]
    assert ordinal == [{"change": "changed", "property": "gfmd:ordinal", "property_label": "ordinal",
                        "old": "1", "new": "2", "old_references": ordinal[0]["old_references"],
                        "new_references": ordinal[0]["old_references"]}]
    assert ordinal[0]["old_references"]
    reference = by_curie["chairmanship:2007"]["statements"]
    assert reference == [{"change": "reference", "property": "gfmd:chair", "property_label": "chair",
                          "old": "state:BEL", "new": "state:BEL", "old_references": [P001, P002],
                          "new_references": [P001]}]
    removed = by_curie["chairmanship:2011"]
    assert removed["change"] == "removed" and removed["head"] is None and removed["base"]["file"] == SUMMITS


def test_defaults_compare_the_last_commit_on_main_with_the_working_tree(repo):
    result = _diff(repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "HEAD~1 -> working tree: 1 added, 1 removed, 2 altered resources"


def test_two_folders_compare_like_two_revisions(repo):
    result = _diff(repo, str(_base_folder(repo)), str(repo), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"] == {"added": 1, "removed": 1, "altered": 2}


def test_changelog_section_counts_and_names_the_additions(repo):
    result = _diff(repo, "--changelog", "9.9.9", "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "## 9.9.9"
    assert "| gfmd:Summit (GFMD summit) | 1 | 0 | 1 |" in lines
    assert "- gfmd:Summit (GFMD summit): GFMD Summit 2099" in lines


@pytest.mark.parametrize("args", [("no-such-revision", "HEAD"), ("HEAD", "no-such-revision"), ("HEAD~1", "/no/such/folder")])
def test_a_revision_or_folder_that_does_not_exist_exits_2_with_a_message(repo, args):
    result = _diff(repo, *args)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error:" in result.stderr and "neither a folder nor a revision" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_that_is_not_a_project_exits_2(repo, tmp_path):
    result = _diff(repo, str(tmp_path), "HEAD")
    assert result.exit_code == 2
    assert "not a project folder" in result.stderr


def test_a_revision_whose_turtle_does_not_parse_exits_2_naming_the_file(repo, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(repo, broken)
    (broken / "data" / "places.ttl").write_text("this is not Turtle\n", encoding="utf-8")
    _git(broken, "commit", "-qam", "a broken file")
    result = _diff(broken, "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: HEAD:data/places.ttl:1:")


def test_an_unknown_format_exits_2(repo):
    result = _diff(repo, "HEAD~1", "HEAD", "--format", "yaml")
    assert result.exit_code == 2 and "unknown format" in result.stderr


def test_blank_node_objects_compare_by_content():
    """Class expressions and property shapes are blank nodes: equal content is no change."""
    from gfmd_graph.diff import term_text, TripleIndex

    ttl = ("@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix gfmd: <https://w3id.org/gfmd/ontology#> . "
           "gfmd:A owl:equivalentClass [ a owl:Class ; owl:unionOf ( gfmd:B gfmd:C ) ] .")
    one, two = parse_turtle(ttl), parse_turtle(ttl)
    texts = {term_text(TripleIndex([g]), next(g.objects(URIRef(str(GFMD.A)), OWL.equivalentClass))) for g in (one, two)}
    assert texts == {"[ a owl:Class ; owl:unionOf ( gfmd:B gfmd:C ) ]"}
    assert not any(isinstance(t, BNode) for t in texts)
