"""Mutation test of the gate: deleting a required property of a real resource is reported as an ERROR.

A fixed-seed sample of curated resources each loses one property that a shape of
``shapes/structure.ttl`` requires (``sh:minCount``/``sh:qualifiedMinCount`` >= 1,
severity Violation, which the gate reports as ERROR). The fast tests validate only
the mutated resources (their triples plus the types of what they link to) with the
ontology; the slow one runs the whole gate on a mutated copy of the project.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from gfmd_graph.checks import run_checks
from gfmd_graph.namespaces import GRAPH, SHAPES
from gfmd_graph.turtle_format import format_graph, parse_turtle
from gfmd_graph.validate import shacl_validate

ROOT = Path(__file__).resolve().parent.parent
SEED = 20260523
SAMPLE = 10
GENERIC = SHAPES.CuratedResource


def required_paths(shapes: Graph, ontology: Graph, types: set) -> dict[URIRef, set[URIRef]]:
    """Paths a resource of ``types`` must have (Violation-level shapes targeting them), by node shape."""
    classes = set(types)
    for t in types:
        classes |= set(ontology.transitive_objects(t, RDFS.subClassOf))
    paths: dict[URIRef, set[URIRef]] = {}
    for node_shape in {s for c in classes for s in shapes.subjects(SH.targetClass, c)}:
        for prop in shapes.objects(node_shape, SH.property):
            least = shapes.value(prop, SH.minCount) or shapes.value(prop, SH.qualifiedMinCount)
            severity = shapes.value(prop, SH.severity) or SH.Violation
            if least is not None and int(least) >= 1 and severity == SH.Violation:
                paths.setdefault(node_shape, set()).add(shapes.value(prop, SH.path))
    return paths


def resource_graph(data: Graph, node: URIRef) -> Graph:
    """The triples of ``node`` plus the types of the resources it links to (for sh:class)."""
    out = Graph()
    for _, p, o in data.triples((node, None, None)):
        out.add((node, p, o))
        for t in data.objects(o, RDF.type):
            out.add((o, RDF.type, t))
    return out


@pytest.fixture(scope="module")
def graphs(project):
    return (project.merged(kinds=("data",)), project.graphs[GRAPH["shapes/structure"]],
            project.merged(kinds=("ontology",)))


@pytest.fixture(scope="module")
def mutations(graphs) -> list[tuple[URIRef, URIRef]]:
    """(resource, deleted path) for a fixed-seed sample of curated resources.

    A path required by the resource's own class is preferred to the label and
    provenance every resource needs (``gfmdsh:CuratedResource``).
    """
    data, shapes, ontology = graphs
    candidates = []
    for node in sorted({s for s in data.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str):
        by_shape = required_paths(shapes, ontology, set(data.objects(node, RDF.type)))
        specific = {p for shape, ps in by_shape.items() if shape != GENERIC for p in ps if (node, p, None) in data}
        generic = {p for p in by_shape.get(GENERIC, ()) if (node, p, None) in data}
        if specific or generic:
            candidates.append((node, sorted(specific or generic, key=str)))
    rng = random.Random(SEED)
    return [(node, rng.choice(paths)) for node, paths in rng.sample(candidates, SAMPLE)]


@pytest.fixture(scope="module")
def reports(graphs, mutations):
    """Validation results of the sample before and after the mutation, one run each."""
    data, shapes, ontology = graphs
    before, after = Graph(), Graph()
    for node, path in mutations:
        piece = resource_graph(data, node)
        before += piece
        piece.remove((node, path, None))
        after += piece
    return shacl_validate(before, shapes, ontology), shacl_validate(after, shapes, ontology)


def test_sample_is_varied(mutations, graphs):
    data = graphs[0]
    kinds = {str(node).rsplit("/", 1)[0] for node, _ in mutations}
    assert len(mutations) == SAMPLE and len(kinds) >= 3
    assert len({path for _, path in mutations}) >= 3
    assert all((node, path, None) in data for node, path in mutations)


@pytest.mark.parametrize("index", range(SAMPLE))
def test_deleting_a_required_property_is_an_error(index, mutations, reports):
    node, path = mutations[index]
    before, after = reports
    assert not [r for r in before if r.focus == str(node) and r.severity == "Violation"], "valid before mutation"
    hits = [r for r in after if r.focus == str(node) and r.severity == "Violation" and r.path == str(path)]
    assert hits, f"deleting {path} from {node} went unnoticed"


@pytest.mark.slow
def test_full_gate_reports_the_mutated_resource(tmp_path, mutations, project):
    node, path = mutations[0]
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    [file] = [f for f in project.files_defining(node) if f.parent.name == "data"]
    target = tmp_path / "data" / file.name
    graph = parse_turtle(target.read_text(encoding="utf-8"))
    graph.remove((node, path, None))
    own = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    target.write_text(format_graph(graph, extra_prefixes=own), encoding="utf-8")
    results = run_checks(tmp_path, reason=False)
    hits = [r for r in results if r.subject == str(node) and r.property == str(path)]
    assert hits and hits[0].level == "ERROR"
    assert hits[0].file == f"data/{file.name}" and hits[0].line
