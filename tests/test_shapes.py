"""The shapes reject broken data with the expected shape, and the real data conforms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from gfmd_graph.namespaces import SHAPES
from gfmd_graph.validate import shacl_validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
_EXPECT = re.compile(r"^# expect: gfmdsh:(\S+) (\S+)$")


def _expand(term: str, graph: Graph) -> str:
    if term.startswith("<"):
        return term[1:-1]
    prefix, local = term.split(":", 1)
    return str(dict(graph.namespaces())[prefix]) + local


@pytest.fixture(scope="module")
def ontology(project):
    return project.merged(kinds=("ontology",))


@pytest.fixture(scope="module")
def shapes(project):
    return project.merged(kinds=("shapes",))


def test_base_fixture_conforms(ontology, shapes):
    data = Graph().parse(FIXTURES / "base.ttl")
    results = shacl_validate(data, shapes, ontology)
    assert [r for r in results if r.severity == "Violation"] == []


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_is_rejected(fixture, ontology, shapes):
    """The base plus one mistake, validated alone: the expected shape reports the expected focus node."""
    shape, focus = _EXPECT.match(fixture.read_text(encoding="utf-8").splitlines()[0]).groups()
    data = Graph().parse(FIXTURES / "base.ttl")
    data.parse(fixture)
    results = shacl_validate(data, shapes, ontology)
    expected_focus = _expand(focus, data)
    found = {(r.source_shape, r.focus) for r in results}
    assert (str(SHAPES[shape]), expected_focus) in found, [f"{r.source_shape} {r.focus}: {r.message}" for r in results]
    hit = next(r for r in results if r.source_shape == str(SHAPES[shape]) and r.focus == expected_focus)
    assert hit.message and "{?" not in hit.message and "{$" not in hit.message  # fully substituted


def test_every_shape_has_an_invalid_fixture(shapes):
    from rdflib.namespace import RDF, SH

    covered = {_EXPECT.match(p.read_text(encoding="utf-8").splitlines()[0]).group(1) for p in INVALID}
    constraining = set()
    for kind in (SH.PropertyShape, SH.SPARQLConstraint):
        constraining |= {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, kind)}
    for node in shapes.subjects(RDF.type, SH.NodeShape):
        if (node, SH.pattern, None) in shapes and (node, SH.targetClass, None) in shapes:
            constraining.add(str(node).rsplit("#", 1)[1])
    assert sorted(constraining - covered) == []
