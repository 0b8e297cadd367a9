"""Namespaces and the prefixes used in every Turtle file of the project."""

from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/gfmd/ontology"

#: Namespace IRIs; the rdflib ``Namespace`` of each (``GFMD``, ``ID``, ...) is made on first use,
#: so that a process that only needs the prefixes (the web service) never loads rdflib.
NAMESPACE_IRIS: dict[str, str] = {
    "GFMD": ONTOLOGY_IRI + "#",
    "ID": "https://w3id.org/gfmd/id/",
    "SHAPES": "https://w3id.org/gfmd/shapes#",
    "GRAPH": "https://w3id.org/gfmd/graph/",
    "SDG": "http://metadata.un.org/sdg/",
    "SDGO": "http://metadata.un.org/sdg/ontology#",
    "UNBIS": "http://metadata.un.org/thesaurus/",
}


def __getattr__(name: str):
    if name in NAMESPACE_IRIS:
        from rdflib import Namespace

        namespace = Namespace(NAMESPACE_IRIS[name])
        globals()[name] = namespace
        return namespace
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "gfmd": NAMESPACE_IRIS["GFMD"],
    "gfmdsh": NAMESPACE_IRIS["SHAPES"],
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sdg": NAMESPACE_IRIS["SDG"],
    "sdgo": NAMESPACE_IRIS["SDGO"],
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "unbis": NAMESPACE_IRIS["UNBIS"],
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{prefix: f"{NAMESPACE_IRIS['ID']}{kind}/" for kind, prefix in ID_KINDS.items()},
}
