"""The coverage sample (tools/sample_passages.py) is reproducible and lists what cites each line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gfmd_graph.paths import sources_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("sample_passages", ROOT / "tools" / "sample_passages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_same_seed_draws_the_same_lines_and_every_document_gets_its_minimum(tool):
    eligible = {"a.txt": list(range(1, 201)), "b.txt": list(range(1, 11)), "c.txt": [1, 2]}
    first = tool.draw(eligible, seed=7, total=20, per_document=4)
    assert first == tool.draw(eligible, seed=7, total=20, per_document=4)
    assert first != tool.draw(eligible, seed=8, total=20, per_document=4)
    counts = {name: sum(1 for n, _ in first if n == name) for name in eligible}
    assert counts == {"a.txt": 19, "b.txt": 4, "c.txt": 2}  # 200/212 of 20; at least 4; all there are
    assert all(line in eligible[name] for name, line in first)


@pytest.mark.skipif(sources_dir() is None, reason="the source documents are not at hand")
def test_a_sampled_line_lists_the_statements_citing_it(tool, capsys):
    assert tool.main(["--seed", "20261203", "--total", "5", "--per-document", "1"]) == 0
    out = capsys.readouterr().out
    # five documents with at least one line each, the rest in proportion (001 holds most lines)
    header = out.splitlines()[0]
    assert header.startswith("# Sample: seed 20261203, ") and header.endswith(" lines over 60 characters")
    drawn = int(header.split(", ")[1].split()[0])
    assert drawn >= 5 and out.count("\n## 0") == drawn
    assert {line.split()[1][:3] for line in out.splitlines() if line.startswith("## 0")} == {"000", "001", "002", "003", "004"}
    # every listed statement is marked as data or text and names its line range
    listed = [line for line in out.splitlines() if line.startswith("- [")]
    assert listed and all(line.startswith(("- [data] ", "- [text] ")) and "(L" in line for line in listed)


def test_citing_finds_the_narrowest_reference_first(tool):
    refs = {("s", "p", "wide"): {"001_x.txt#L1-L50"}, ("s", "p", "narrow"): {"001_x.txt#L10-L10"},
            ("s", "p", "other"): {"002_y.txt#L10-L10"}}
    got = tool.citing(refs, "001_x.txt", 10)
    assert [triple[2] for _, triple, _ in got] == ["narrow", "wide"]
