"""Namespaces and the prefixes used in every Turtle file of the project."""

from __future__ import annotations

from rdflib import Namespace

ONTOLOGY_IRI = "https://w3id.org/gfmd/ontology"
GFMD = Namespace(ONTOLOGY_IRI + "#")
ID = Namespace("https://w3id.org/gfmd/id/")
SHAPES = Namespace("https://w3id.org/gfmd/shapes#")
GRAPH = Namespace("https://w3id.org/gfmd/graph/")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
UNBIS = Namespace("http://metadata.un.org/thesaurus/")

#: id/<kind>/ namespaces with their preferred prefix.
ID_KINDS = {
    "contribution": "contribution",
    "disagreement": "disagreement",
    "intervention": "intervention",
    "intervention-kind": "interventionkind",
    "membership": "membership",
    "membership-event": "membershipevent",
    "outcome": "outcome",
    "provision": "provision",
    "provision-kind": "provisionkind",
    "qualifier": "qualifier",
    "quantity": "quantity",
    "quantity-kind": "quantitykind",
    "role": "role",
    "schedule": "schedule",
    "unit": "unit",
    "chairmanship": "chairmanship",
    "cluster": "cluster",
    "document": "doc",
    "focus-area": "focusarea",
    "gcm-objective": "gcmobj",
    "instrument": "instrument",
    "md-area": "mdarea",
    "meeting": "meeting",
    "organization": "organization",
    "person": "person",
    "place": "place",
    "practice": "practice",
    "practice-collection": "collection",
    "recommendation": "rec",
    "roundtable": "roundtable",
    "scheme": "scheme",
    "sdg-link": "sdglink",
    "sdg-link-category": "linkcat",
    "section": "section",
    "state": "state",
    "summit": "summit",
}

#: Every prefix the project's files may use, prefix -> namespace IRI.
PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "gfmd": str(GFMD),
    "gfmdsh": str(SHAPES),
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sdg": str(SDG),
    "sdgo": str(SDGO),
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "unbis": str(UNBIS),
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{prefix: f"{ID}{kind}/" for kind, prefix in ID_KINDS.items()},
}
