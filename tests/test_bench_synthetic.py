"""The synthetic benchmark data (bench/synthetic.py) is shape-valid and keeps every key unique."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from gfmd_graph.checks import run_checks
from gfmd_graph.load import load_project
from gfmd_graph.validate import shacl_validate

ROOT = Path(__file__).resolve().parent.parent


def _synthetic():
    spec = importlib.util.spec_from_file_location("bench_synthetic", ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _synthetic()


@pytest.fixture(scope="module")
def two_copies(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "x2"
    synthetic.Generator(ROOT, copies=2, seed=7).write(out)
    return out


def test_layout_and_size(two_copies):
    for folder in ("ontology", "shapes", "queries"):
        assert (two_copies / folder).is_dir()
    assert sorted(p.name for p in (two_copies / "data").glob("*.ttl")) == \
        sorted(p.name for p in (ROOT / "data").glob("*.ttl"))
    plan = json.loads((two_copies / "synthetic.json").read_text(encoding="utf-8"))
    assert plan["copies"] == 2
    assert plan["total_triples"] == plan["bundled_triples"] + plan["copied_triples"]
    assert 1.3 < plan["factor"] < 2.0  # the shared part is written once


def test_copies_for_factor():
    assert synthetic.Generator.copies_for_factor(1) == 1
    plan = synthetic.Generator(ROOT, copies=1)
    bundled = len(plan.ontology) + sum(len(t) for t in plan.data.values())
    copies = synthetic.Generator.copies_for_factor(100)
    assert copies > 100  # the shared part does not grow, so more copies than the factor
    shared = bundled - len([t for ts in plan.data.values() for t in ts if str(t.subject) in plan.copied])
    assert abs(shared + copies * (bundled - shared) - 100 * bundled) < bundled - shared


def test_deterministic(two_copies, tmp_path):
    again = tmp_path / "again"
    synthetic.Generator(ROOT, copies=2, seed=7).write(again)
    for path in sorted((two_copies / "data").glob("*.ttl")):
        assert (again / "data" / path.name).read_bytes() == path.read_bytes(), path.name


def test_copy_one_is_rewritten(two_copies):
    text = (two_copies / "data" / "thematic-recollection-part1.ttl").read_text(encoding="utf-8")
    assert "-s1> <http://www.w3.org/2000/01/rdf-schema#label>" in text
    assert " (copy 1)\"@en ." in text
    # shared resources are linked, never copied
    assert "focus-area/1-1-s1" not in text and "document/thematic-recollection-2017-s1" not in text


def test_keys_unique(two_copies):
    assert synthetic.check_unique(two_copies) == []


@pytest.mark.slow
def test_shape_valid(two_copies):
    loaded = load_project(two_copies)
    results = shacl_validate(loaded.merged(kinds=("data",)), loaded.merged(kinds=("shapes",)),
                             loaded.merged(kinds=("ontology",)))
    violations = [r for r in results if r.severity == "Violation"]
    assert violations == [], "\n".join(f"{r.focus} {r.path} {r.message}" for r in violations[:20])


@pytest.mark.slow
def test_gate_without_reasoner(two_copies):
    """The rest of the gate: syntax and the quality queries of queries/qc (SHACL is above)."""
    errors = [r for r in run_checks(two_copies, reason=False, shacl=False) if r.level == "ERROR"]
    assert errors == [], "\n".join(r.line_text() for r in errors[:20])
