"""SHACL-SPARQL over pyoxigraph gives the results pyshacl gives, one query per constraint."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from gfmd_graph import validate
from gfmd_graph.validate import pyshacl_validate_graph, shacl_validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"

PREFIXES = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

DATA = PREFIXES + """
ex:Sub rdfs:subClassOf ex:Thing .
ex:a a ex:Thing ; ex:place ex:p1 ; ex:code "A1" ; rdfs:label "same" .
ex:b a ex:Sub ; ex:place ex:p1, ex:p2 ; ex:code "B" ; rdfs:label "same" .
ex:c a ex:Thing ; ex:code "C3" .
ex:d ex:linksTo ex:c ; ex:code "D4" .
ex:p1 a ex:Place .
ex:p2 a ex:Place .
_:blank a ex:Thing ; ex:code "X9" .
"""


def _shapes(constraint_body: str, shape_extra: str = "sh:targetClass ex:Thing") -> Graph:
    text = PREFIXES + f"""
ex:prefixes a owl:Ontology ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:Shape a sh:NodeShape ; {shape_extra} ; sh:sparql ex:Shape-c .
ex:Shape-c a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ; {constraint_body} .
"""
    return Graph().parse(data=text, format="turtle")


def _same(shapes: Graph, data_text: str = DATA) -> list:
    """Results of the fast path; asserts they equal pyshacl's on the same graph."""
    data = Graph().parse(data=data_text, format="turtle")
    fast = shacl_validate(data, shapes)
    assert [c.node for c in validate._split(shapes)[0]], "the constraint should run over pyoxigraph"
    reference = sorted(pyshacl_validate_graph(validate._merge(data, None), shapes), key=_key)
    assert sorted(fast, key=_key) == reference
    return fast


def _key(r):
    return (r.severity, r.focus, r.path or "", r.value or "", r.message, r.source_shape)


CASES = {
    # $this only inside OPTIONAL, aggregated per focus node: focus nodes with no place count 0
    "optional-count": ('sh:message "{$this} has {?n} places"@en ; sh:select """'
                       'SELECT $this (COUNT(DISTINCT ?p) AS ?n) WHERE { OPTIONAL { $this ex:place ?p } }'
                       ' GROUP BY $this HAVING (COUNT(DISTINCT ?p) != 1)"""'),
    # ?value and ?path reported; subclass instances and blank nodes are focus nodes
    "value-path": ('sh:message "{?value} via {?path} on {?this}"@en ; sh:select """'
                   'SELECT $this ?path ?value WHERE { $this ?path ?value . FILTER(?path = ex:code)'
                   ' FILTER(!REGEX(?value, "^[A-Z][0-9]$")) }"""'),
    # FILTER NOT EXISTS with $this, two solutions for one focus node
    "not-exists": ('sh:message "{?other} shares {?value}"@en ; sh:select """'
                   'SELECT $this ?value ?other WHERE { $this rdfs:label ?value . ?other rdfs:label ?value .'
                   ' FILTER(?other != $this) FILTER NOT EXISTS { $this ex:code "A1" } }"""'),
    # no ?value: the value is the focus node; an unbound variable stays in the message
    "no-value": ('sh:message "missing {?x}"@en ; sh:select """'
                 'SELECT $this ?x WHERE { FILTER NOT EXISTS { $this ex:place ?x } }"""'),
    # a FILTER on $this inside a UNION branch: not joinable, runs once per focus node
    "nested-filter": ('sh:message "{?q} ok"@en ; sh:select """'
                      'SELECT $this ?q WHERE { { ?q a ex:Place . FILTER(STRENDS(STR($this), "a")) }'
                      ' UNION { $this ex:code ?q } }"""'),
    # ?failure: one result per focus node however many solutions
    "failure": ('sh:message "failed on {?this} with {?c}"@en ; sh:select """'
                'SELECT $this ?failure ?c WHERE { $this ex:code ?c . BIND(true AS ?failure) }"""'),
    # $currentShape is pre-bound too
    "current-shape": ('sh:message "{$currentShape}"@en ; sh:select """'
                      'SELECT $this ?currentShape WHERE { $this ex:code ?c . FILTER(?currentShape = ex:Shape) }"""'),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_sparql_constraint_matches_pyshacl(case):
    results = _same(_shapes(CASES[case]))
    assert results, "each case reports something"
    assert all("{$" not in r.message for r in results)


@pytest.mark.parametrize("targets", [
    "sh:targetNode ex:a, ex:zzz", "sh:targetSubjectsOf ex:linksTo", "sh:targetObjectsOf ex:linksTo",
    "sh:targetClass ex:Sub ; sh:severity sh:Warning ; sh:message \"shape says {?value}\"@en",
])
def test_targets_and_severity_match_pyshacl(targets):
    body = 'sh:message "{?value}"@en ; sh:select "SELECT $this ?value WHERE { $this ex:code ?value }"'
    assert _same(_shapes(body, targets))


def test_implicit_class_target_matches_pyshacl():
    body = 'sh:message "{?value}"@en ; sh:select "SELECT $this ?value WHERE { $this ex:code ?value }"'
    shapes = _shapes(body, "a rdfs:Class")
    assert _same(shapes, DATA + "ex:e a ex:Shape ; ex:code 'E5' .\n")


def test_plans():
    ex = "PREFIX ex: <http://example.org/>\n"
    assert validate._plan(ex + CASES["optional-count"].split('"""')[1])[0] == "batch"
    assert validate._plan(ex + CASES["nested-filter"].split('"""')[1])[0] == "each"
    assert validate._plan(ex + CASES["current-shape"].split('"""')[1]) == ("batch", {"this", "currentShape"})
    assert validate._plan("SELECT $this WHERE { $this ?p ?o } LIMIT 1")[0] == "each"
    assert validate._plan("SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }") is None  # pyshacl refuses it


def test_path_constraints_stay_with_pyshacl():
    shapes = Graph().parse(data=PREFIXES + """
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:Shape-code .
ex:Shape-code a sh:PropertyShape ; sh:path ex:code ; sh:sparql [
    sh:message "bad {?value}"@en ;
    sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER(?value = \\"B\\") }" ] .
""", format="turtle")
    assert validate._split(shapes)[0] == []
    results = shacl_validate(Graph().parse(data=DATA, format="turtle"), shapes)
    assert [(r.focus, r.path, r.message) for r in results] == [
        ("http://example.org/b", "http://example.org/code", "bad B")]


@pytest.fixture(scope="module")
def all_fixtures(project):
    """The base fixture and every invalid fixture in one graph, with the ontology."""
    graph = Graph().parse(FIXTURES / "base.ttl")
    for path in sorted((FIXTURES / "invalid").glob("*.ttl")):
        graph.parse(path)
    graph += project.merged(kinds=("ontology",))
    return graph


def test_project_rules_once_or_per_focus_node_agree(project, all_fixtures):
    """Each rule of shapes/rules.ttl joined with its focus nodes gives what it gives per focus node."""
    import dataclasses

    constraints, _core = validate._split(project.merged(kinds=("shapes",)))
    assert len(constraints) == 15 and all(c.batch for c in constraints)
    store, names = validate._to_oxigraph(all_fixtures)
    reported = 0
    for constraint in constraints:
        once = constraint.evaluate(store, names)
        each = dataclasses.replace(constraint, batch=False).evaluate(store, names)
        assert sorted(once, key=_key) == sorted(each, key=_key), constraint.node
        reported += len(once)
    assert reported > 14


def test_terms_pyoxigraph_rejects_fall_back_to_pyshacl():
    import warnings

    from rdflib import URIRef

    body = 'sh:message "{?value}"@en ; sh:select "SELECT $this ?value WHERE { $this ex:code ?value }"'
    shapes = _shapes(body)
    data = Graph().parse(data=DATA, format="turtle")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns of the space, pyoxigraph refuses it
        data.add((URIRef("http://example.org/a"), URIRef("http://example.org/see"), URIRef("http://example.org/a b")))
    with pytest.raises(ValueError):
        validate._to_oxigraph(data)
    fast = shacl_validate(data, shapes)
    assert sorted(fast, key=_key) == sorted(pyshacl_validate_graph(validate._merge(data, None), shapes), key=_key)
    assert len(fast) == 4  # ex:a, ex:b (via ex:Sub), ex:c and the blank node
