"""The VoID/DCAT dataset description: it parses, and its counts are those of the merged graph."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from gfmd_graph.describe import DATASET, LICENSE, URI_SPACE, dataset_description
from gfmd_graph.export import export_graph

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
GFMD = Namespace("https://w3id.org/gfmd/ontology#")
ONTOLOGY = URIRef("https://w3id.org/gfmd/ontology")


@pytest.fixture(scope="module")
def void(project) -> Graph:
    """The description as published: canonical Turtle, parsed back."""
    return Graph().parse(data=export_graph(project, "void"), format="turtle")


def count(store, where: str) -> int:
    return store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"]


def number(graph: Graph, subject, prop) -> int:
    values = list(graph.objects(subject, prop))
    assert len(values) == 1, (subject, prop, values)
    return int(values[0])


def test_dataset_is_typed_titled_and_licensed(void):
    assert {VOID.Dataset, DCAT.Dataset} <= set(void.objects(DATASET, RDF.type))
    assert str(void.value(DATASET, DCTERMS.title)) == "GFMD Knowledge Graph"
    assert void.value(DATASET, DCTERMS.description)
    assert void.value(DATASET, DCTERMS.license) == LICENSE == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert void.value(DATASET, VOID.uriSpace) == Literal(URI_SPACE) == Literal("https://w3id.org/gfmd/id/")
    assert URIRef("https://w3id.org/gfmd/ontology#") in set(void.objects(DATASET, VOID.vocabulary))


def test_version_and_modified_come_from_the_ontology(void, project):
    ontology = project.graphs[URIRef("https://w3id.org/gfmd/graph/ontology/gfmd")]
    assert void.value(DATASET, OWL.versionInfo) == ontology.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert str(void.value(DATASET, DCAT.version)) == "0.1.0"
    assert void.value(DATASET, DCTERMS.modified) == ontology.value(ONTOLOGY, DCTERMS.modified)


def test_sources_are_the_five_source_documents(void):
    doc = Namespace("https://w3id.org/gfmd/id/document/")
    assert set(void.objects(DATASET, DCTERMS.source)) == {
        doc["hlpf-2017-recommendations"], doc["thematic-recollection-2017"], doc["gcm-dialogue-2017-04-06"],
        doc["gfmd-2007-2008-slides"], doc["fof-2021-11-18-summary"]}


def test_counts_equal_direct_counts_of_the_merged_graph(void, store, project):
    assert number(void, DATASET, VOID.triples) == count(store, "?s ?p ?o") == len(project.merged())
    assert number(void, DATASET, VOID.distinctSubjects) == count(store, "SELECT DISTINCT ?s { ?s ?p ?o }")
    assert number(void, DATASET, VOID.distinctObjects) == count(store, "SELECT DISTINCT ?o { ?s ?p ?o }")
    assert number(void, DATASET, VOID.classes) == count(store, "SELECT DISTINCT ?c { ?s a ?c }")
    assert number(void, DATASET, VOID.properties) == count(store, "SELECT DISTINCT ?p { ?s ?p ?o }")
    assert number(void, DATASET, VOID.entities) == count(store, f"""SELECT DISTINCT ?s {{ ?s ?p ?o
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{URI_SPACE}")) }}""")


def test_class_partitions_match_and_sum_to_the_type_statements(void, store):
    partitions = {void.value(p, VOID["class"]): number(void, p, VOID.entities)
                  for p in void.objects(DATASET, VOID.classPartition)}
    direct = {URIRef(r["c"]): r["n"] for r in store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c")}
    assert partitions == direct
    assert sum(partitions.values()) == count(store, "?s a ?c")
    assert partitions[URIRef("https://w3id.org/gfmd/ontology#GCMObjective")] == 23
    assert len(partitions) == number(void, DATASET, VOID.classes)


def test_property_partitions_sum_to_the_triples(void, store):
    partitions = {void.value(p, VOID.property): number(void, p, VOID.triples)
                  for p in void.objects(DATASET, VOID.propertyPartition)}
    direct = {URIRef(r["p"]): r["n"] for r in store.select("SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p")}
    assert partitions == direct
    assert sum(partitions.values()) == number(void, DATASET, VOID.triples)


def test_one_subset_per_file_with_its_triples(void, store, project):
    subsets = {s: number(void, s, VOID.triples) for s in void.objects(DATASET, VOID.subset)
               if (s, RDF.type, VOID.Linkset) not in void}
    files = {n for n in project.graphs if project.kind(n) in ("ontology", "data")}
    assert set(subsets) == files
    for name, triples in subsets.items():
        assert triples == count(store, f"GRAPH <{name}> {{ ?s ?p ?o }}"), name
        assert str(void.value(name, DCTERMS.title)).endswith(".ttl")


def test_no_endpoint_or_dumps_without_a_base(void):
    for prop in (VOID.sparqlEndpoint, VOID.dataDump, DCAT.distribution):
        assert void.value(DATASET, prop) is None


def test_base_adds_endpoint_dumps_and_distributions(project):
    g = dataset_description(project, base="http://host:8000")
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://host:8000/sparql")
    dumps = set(g.objects(DATASET, VOID.dataDump))
    assert URIRef("http://host:8000/download/graph.nt") in dumps and len(dumps) == 6
    distributions = list(g.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 6
    for d in distributions:
        assert (d, RDF.type, DCAT.Distribution) in g
        assert g.value(d, DCAT.downloadURL) in dumps
        assert str(g.value(d, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")


def test_description_does_not_depend_on_the_clock_or_load(project):
    from gfmd_graph.load import load_project

    again = load_project(kinds=("ontology", "data"))
    assert export_graph(project, "void") == export_graph(again, "void")


# -- linksets to the external vocabularies -------------------------------------------

#: uriSpace of each external dataset -> the link predicates the data uses towards it.
LINKS = {
    "http://metadata.un.org/sdg/": {GFMD.goal, GFMD.goalInFocus, GFMD.relatedGoal, GFMD.relatedTarget,
                                    GFMD.relatedIndicator, GFMD.quantityOf},
    "http://metadata.un.org/sdg/codes/geoArea/": {SKOS.exactMatch},
    "http://publications.europa.eu/resource/authority/country/": {SKOS.exactMatch},
    "http://www.wikidata.org/entity/": {SKOS.exactMatch},
    "http://metadata.un.org/thesaurus/": {DCTERMS.subject},
    "http://purl.unep.org/sdg/": {SKOS.exactMatch},
}


def linksets(void: Graph) -> dict[tuple[str, URIRef], URIRef]:
    """(target uriSpace, link predicate) -> linkset, for each linkset of the dataset."""
    found = {}
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        assert (DATASET, VOID.subset, linkset) in void
        assert void.value(linkset, VOID.subjectsTarget) == DATASET
        target = void.value(linkset, VOID.objectsTarget)
        assert (target, RDF.type, VOID.Dataset) in void and void.value(target, FOAF.homepage)
        found[str(void.value(target, VOID.uriSpace)), void.value(linkset, VOID.linkPredicate)] = linkset
    return found


def test_one_linkset_per_external_dataset_and_link_predicate(void):
    assert set(linksets(void)) == {(space, p) for space, predicates in LINKS.items() for p in predicates}


def link_count(store, predicate: URIRef, space: str) -> int:
    """Triples of ``predicate`` from an IRI outside ``space`` to an IRI in it (not in a narrower target)."""
    narrower = [other for other in LINKS if other != space and other.startswith(space)]
    excluded = "".join(f' && !STRSTARTS(STR(?o), "{n}")' for n in narrower)
    return count(store, f"""?s <{predicate}> ?o FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?o), "{space}")
        && !STRSTARTS(STR(?s), "{space}"){excluded})""")


def test_linkset_triples_are_counted_from_the_data(void, store):
    for (space, predicate), linkset in linksets(void).items():
        assert number(void, linkset, VOID.triples) == link_count(store, predicate, space) > 0, (space, predicate)
    states = linksets(void)["http://metadata.un.org/sdg/codes/geoArea/", SKOS.exactMatch]
    assert number(void, states, VOID.triples) == count(store, f"?s a <{GFMD}State>")


def test_vocabularies_are_listed(void):
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"http://www.w3.org/2004/02/skos/core#", "http://metadata.un.org/sdg/ontology#",
            "http://purl.org/dc/terms/", "https://w3id.org/gfmd/ontology#"} <= vocabularies


def test_turtle_uses_the_project_prefixes_and_is_stable(project):
    first = export_graph(project, "void")
    text = first.decode("utf-8")
    assert "@prefix gfmd: <https://w3id.org/gfmd/ontology#> ." in text
    assert "@prefix void: <http://rdfs.org/ns/void#> ." in text
    assert "ns1:" not in text and " a void:Linkset ;" in text
    assert export_graph(project, "void") == first


def test_the_graph_binds_only_the_prefixes_it_uses(project):
    """What the service serialises with rdflib: project prefixes, not ns1:, the same bytes twice."""
    graph = dataset_description(project, base="http://host/")
    turtle = graph.serialize(format="turtle", encoding="utf-8")
    assert b"ns1:" not in turtle and b"void:Linkset" in turtle and b"gfmd:relatedTarget" in turtle
    assert graph.serialize(format="turtle", encoding="utf-8") == turtle
    bound = {prefix for prefix, _ in graph.namespaces()}
    assert {"void", "gfmd", "skos", "dcat"} <= bound and "unit" not in bound and "brick" not in bound
