"""The ontology: documented terms, consistent and satisfiable under HermiT, also with the data."""

from __future__ import annotations

import shutil

import pytest
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from gfmd_graph.namespaces import GFMD
from gfmd_graph.reasoning import reason

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


def test_every_term_has_label_and_definition(project):
    onto = project.merged(kinds=("ontology",))
    terms = [s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in onto.subjects(RDF.type, kind) if str(s).startswith(str(GFMD))]
    assert len(terms) > 100
    for term in terms:
        assert any(l.language == "en" for l in onto.objects(term, RDFS.label)), term
        assert any(d.language == "en" for d in onto.objects(term, SKOS.definition)), term


def test_object_properties_have_domain_and_range(project):
    onto = project.merged(kinds=("ontology",))
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        # Properties meant for things of any kind: links to SDGs and GCM objectives, links to the event
        # where something happened, who adopted a thing, what a quantity or disagreement is about, and what a
        # resource's source text names, what a thing is about, feeds into or was endorsed by.
        open_domain = prop in set(onto.transitive_subjects(RDFS.subPropertyOf, GFMD.eventRelation)) or str(prop).endswith(
            ("relatedGoal", "relatedTarget", "relatedIndicator", "relatedObjective", "adoptedBy", "recurs", "mentions",
             "about", "inputTo", "endorsedBy"))
        open_range = str(prop).endswith(("chairOf", "citedIn", "mentionedAt", "eventRelation", "precededBy",
                                         "mentions", "quantityOf", "recipient", "disagreementAbout",
                                         "about"))
        if str(prop).startswith(str(GFMD)) and not open_domain:
            assert (prop, RDFS.domain, None) in onto, prop
        if str(prop).startswith(str(GFMD)):
            assert (prop, RDFS.range, None) in onto or (prop, OWL.inverseOf, None) in onto or open_range, prop


def test_ontology_metadata(project):
    onto = project.merged(kinds=("ontology",))
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS
    head = URIRef("https://w3id.org/gfmd/ontology")
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator, DCTERMS.issued, DCTERMS.modified,
                 DCTERMS.title, DCTERMS.description):
        assert (head, prop, None) in onto, prop


@needs_java
def test_ontology_is_consistent_and_every_class_satisfiable(project):
    result = reason(project.merged(kinds=("ontology",)))
    assert result.consistent
    assert [c for c in result.unsatisfiable if not c.endswith("#Nothing")] == []


@needs_java
def test_data_is_consistent_with_the_ontology(project):
    result = reason(project.merged(kinds=("ontology",)), project.merged(kinds=("data",)))
    assert result.consistent, result.explanation


@needs_java
def test_reasoner_detects_contradicting_types(project):
    from rdflib import Graph
    data = Graph().parse(data="""
        @prefix gfmd: <https://w3id.org/gfmd/ontology#> .
        <https://w3id.org/gfmd/id/state/XXX> a gfmd:State, gfmd:Person .""", format="turtle")
    assert not reason(project.merged(kinds=("ontology",)), data).consistent
