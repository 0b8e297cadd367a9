"""The service's dataset descriptions: VoID and the Service Description, in Turtle and JSON-LD."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from gfmd_service.service_description import service_description

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


def test_void_turtle_uses_the_project_prefixes_and_holds_the_linksets(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "@prefix void: <http://rdfs.org/ns/void#> ." in response.text and "ns1:" not in response.text
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(set(graph.subjects(RDF.type, VOID.Linkset))) >= 6
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).content == response.content


def test_void_jsonld_context_has_only_the_used_prefixes(client):
    turtle = Graph().parse(data=client.get("/.well-known/void", params={"format": "turtle"}).text, format="turtle")
    response = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    context = response.json()["@context"]
    assert {"void", "dcterms", "gfmd", "skos"} <= set(context)
    assert not {"brick", "csvw", "unit", "sh"} & set(context)
    assert isomorphic(Graph().parse(data=response.text, format="json-ld"), turtle)


def test_service_description_jsonld_prunes_the_default_bindings(client):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    context = response.json()["@context"]
    assert "sd" in context and "brick" not in context and "schema" not in context


def test_default_dataset_points_to_its_void_description():
    g = service_description("http://host:8000/sparql", {"https://w3id.org/gfmd/graph/data/a": 3},
                            union_size=3, version="v")
    dataset = g.value(URIRef("http://host:8000/sparql"), SD.defaultDataset)
    assert g.value(dataset, RDFS.seeAlso) == URIRef("http://host:8000/.well-known/void")
