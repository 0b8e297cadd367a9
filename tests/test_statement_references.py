"""Every fact-bearing statement carries the passage that states it, readable by every part of the stack."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from gfmd_graph.namespaces import GFMD
from gfmd_graph.statement_references import dangling_axioms, fact_bearing_statements, missing_references, passage_text

CHAIRMANSHIP_2007 = URIRef("https://w3id.org/gfmd/id/chairmanship/2007")
BEL = URIRef("https://w3id.org/gfmd/id/state/BEL")

WHICH_PASSAGE = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
SELECT ?document ?passage WHERE {
  ?reference owl:annotatedSource <https://w3id.org/gfmd/id/chairmanship/2007> ;
             owl:annotatedProperty gfmd:chair ;
             owl:annotatedTarget <https://w3id.org/gfmd/id/state/BEL> ;
             gfmd:sourcePassage ?passage .
  ?document gfmd:fileName ?file .
  FILTER(STRSTARTS(?passage, CONCAT(?file, "#")))
} ORDER BY ?passage
"""


def test_every_fact_bearing_statement_has_a_reference(project):
    assert len(fact_bearing_statements(project)) > 3000
    assert [(str(s.subject), str(s.predicate)) for s in missing_references(project)] == []


def test_every_reference_annotates_a_statement_the_data_makes(project):
    assert dangling_axioms(project.merged(kinds=("data",))) == []


def test_a_query_for_one_value_returns_its_document_and_lines(store):
    rows = store.select(WHICH_PASSAGE)
    # 001 line 247 and 002 line 19 both name the 2007 Belgian chairmanship
    assert [(r["document"], r["passage"]) for r in rows] == [
        ("https://w3id.org/gfmd/id/document/thematic-recollection-2017", "001_69fe85e28a4c7925.txt#L247-L247"),
        ("https://w3id.org/gfmd/id/document/gcm-dialogue-2017-04-06", "002_93a59147a1a340c4.txt#L19-L19"),
    ]
    for r in rows:
        assert "Belgian" in passage_text(r["passage"])


def test_rdflib_reads_the_reference_as_plain_triples(project):
    data = project.merged(kinds=("data",))
    passages = {str(p) for axiom in data.subjects(OWL.annotatedSource, CHAIRMANSHIP_2007)
                if data.value(axiom, OWL.annotatedProperty) == GFMD.chair and data.value(axiom, OWL.annotatedTarget) == BEL
                for p in data.objects(axiom, GFMD.sourcePassage)}
    assert passages == {"001_69fe85e28a4c7925.txt#L247-L247", "002_93a59147a1a340c4.txt#L19-L19"}


def test_owlready2_reads_the_reference_as_an_axiom_annotation(project):
    owlready2 = pytest.importorskip("owlready2")
    graph = Graph()
    for triple in project.merged(kinds=("ontology",)):
        graph.add(triple)
    for name, g in project.graphs.items():
        if str(name).endswith(("/data/summits", "/data/states")):
            for triple in g:
                graph.add(triple)
    folder = tempfile.mkdtemp()
    try:
        path = os.path.join(folder, "summits.nt")
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology("file://" + path).load(format="ntriples")
        relation = owlready2.AnnotatedRelation(world[str(CHAIRMANSHIP_2007)], world[str(GFMD.chair)], world[str(BEL)])
        assert sorted(relation.sourcePassage) == ["001_69fe85e28a4c7925.txt#L247-L247", "002_93a59147a1a340c4.txt#L19-L19"]
        world.close()
    finally:
        shutil.rmtree(folder)
