"""A VoID and DCAT description of the dataset, computed from the graph itself.

Counts are taken over the merged graph (ontology + data); dates and version come
from the ontology header, never from the clock, so the same data gives the same
description.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF

from .export import FILE_NAMES, KINDS, MEDIA_TYPES, graph_iris, prefixes_used
from .load import LoadedGraph
from .namespaces import GFMD, ID, PREFIXES, SDG, SDGO, UNBIS

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # open: rdflib's closed DCAT lacks DCAT 3's dcat:version
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

#: The IRI of the whole dataset.
DATASET = URIRef("https://w3id.org/gfmd/dataset")
#: Resources minted by the project live here; they are the dataset's entities.
URI_SPACE = str(ID)
DISTRIBUTION = Namespace("https://w3id.org/gfmd/distribution/")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: Paths under the service base URL: the SPARQL endpoint and the folder of the dumps (see export.FILE_NAMES).
SPARQL_PATH = "sparql"
DUMP_PATH = "download/"

_TITLE = "GFMD Knowledge Graph"
_DESCRIPTION = ("An open, linked-data record of global migration governance: the summits, roundtables, "
                "recommendations, practices, actors and instruments of the Global Forum on Migration and "
                "Development (GFMD), curated from five GFMD source documents with the document and line range "
                "of every fact, and linked to the SDG targets, the GCM objectives, UN M49 and ISO 3166 country "
                "codes and the UNBIS Thesaurus.")
_EXAMPLES = ("summit/2007", "practice/pfp-2347", "focus-area/2-2", "state/PHL")
#: Linksets and the external datasets they point to are named under the dataset's IRI.
LINKSET = Namespace(str(DATASET) + "/linkset/")
TARGET = Namespace(str(DATASET) + "/target/")


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset the data links to: the IRIs under ``uri_space`` (minus ``excluding``)."""

    key: str
    title: str
    uri_space: str
    homepage: str
    excluding: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return TARGET[self.key]

    def holds(self, iri: str) -> bool:
        return iri.startswith(self.uri_space) and not iri.startswith(self.excluding)


#: The external datasets of the links (see data/sdg.ttl, data/states.ttl and the UNBIS subjects).
LINK_TARGETS = (
    LinkTarget("sdg", "UN SDG Knowledge Organization System: goals, targets and indicators", str(SDG),
               "http://metadata.un.org/sdg", excluding=(str(SDG) + "codes/", str(SDGO))),
    LinkTarget("m49", "UN M49 geographic areas (UNSD)", str(SDG) + "codes/geoArea/",
               "https://unstats.un.org/unsd/methodology/m49/"),
    LinkTarget("eu-country", "EU Publications Office authority table of countries and territories",
               "http://publications.europa.eu/resource/authority/country/",
               "https://op.europa.eu/en/web/eu-vocabularies/concept-scheme/-/resource?uri="
               "http://publications.europa.eu/resource/authority/country"),
    LinkTarget("wikidata", "Wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/"),
    LinkTarget("unbis", "UNBIS Thesaurus", str(UNBIS), "https://metadata.un.org/thesaurus/"),
    LinkTarget("sdgio", "SDG Interface Ontology (SDGIO)", "http://purl.unep.org/sdg/",
               "https://github.com/SDG-InterfaceOntology/sdgio"),
)


def dataset_description(loaded: LoadedGraph, *, base: str | None = None) -> Graph:
    """The VoID/DCAT description of the dataset as an rdflib graph.

    ``void:entities`` counts the IRIs under :data:`URI_SPACE` that are subjects;
    class partitions count the subjects with each asserted ``rdf:type`` (no
    inference); property partitions count the triples of each predicate; one
    ``void:subset`` per file, named like its named graph. With ``base`` (the
    service's URL, e.g. ``http://localhost:8000/``) the description adds the SPARQL
    endpoint (``base + SPARQL_PATH``), the dumps (``base + DUMP_PATH + file``) and a
    ``dcat:distribution`` for each.
    """
    merged = loaded.merged(kinds=KINDS)
    g = Graph(bind_namespaces="none")
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal(_TITLE, lang="en")))
    g.add((d, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    g.add((d, DCTERMS.license, LICENSE))
    _ontology_metadata(g, loaded)
    for doc in sorted(merged.subjects(RDF.type, GFMD.SourceDocument)):
        g.add((d, DCTERMS.source, doc))
    g.add((d, VOID.uriSpace, Literal(URI_SPACE)))
    for ns in _vocabularies(merged):
        g.add((d, VOID.vocabulary, URIRef(ns)))
    for key in _EXAMPLES:
        if (ID[key], None, None) in merged:
            g.add((d, VOID.exampleResource, ID[key]))
    _counts(g, merged)
    for name, graph in sorted(loaded.graphs.items()):
        if loaded.kind(name) in KINDS:
            g.add((d, VOID.subset, name))
            g.add((name, RDF.type, VOID.Dataset))
            g.add((name, DCTERMS.title, Literal(loaded.files[name].relative_to(loaded.root).as_posix())))
            g.add((name, VOID.triples, _int(len(graph))))
    _linksets(g, merged)
    if base:
        _access(g, base if base.endswith("/") else base + "/")
    for prefix, ns in prefixes_used(graph_iris(g)).items():
        g.bind(prefix, ns)
    return g


def link_counts(merged: Graph) -> dict[tuple[LinkTarget, URIRef], int]:
    """Links per external dataset and predicate: triples from an IRI outside the target to an IRI in it.

    ``rdf:type`` is not a link (a class is vocabulary, listed by ``void:vocabulary``).
    """
    counts: Counter = Counter()
    for s, p, o in merged:
        if not isinstance(s, URIRef) or not isinstance(o, URIRef) or p == RDF.type:
            continue
        for target in LINK_TARGETS:
            if target.holds(str(o)) and not target.holds(str(s)):
                counts[target, p] += 1
    return dict(counts)


def _linksets(g: Graph, merged: Graph) -> None:
    """One ``void:Linkset`` per external dataset and link predicate, counted from the data."""
    counts = link_counts(merged)
    for target in sorted({t for t, _ in counts}, key=lambda t: t.key):
        g.add((target.iri, RDF.type, VOID.Dataset))
        g.add((target.iri, DCTERMS.title, Literal(target.title, lang="en")))
        g.add((target.iri, FOAF.homepage, URIRef(target.homepage)))
        g.add((target.iri, VOID.uriSpace, Literal(target.uri_space)))
    for (target, predicate), n in sorted(counts.items(), key=lambda item: (item[0][0].key, str(item[0][1]))):
        linkset = LINKSET[f"{target.key}-{_local_name(predicate)}"]
        g.add((DATASET, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, DATASET))
        g.add((linkset, VOID.objectsTarget, target.iri))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, _int(n)))


def _local_name(iri: URIRef) -> str:
    """``skos-exactMatch`` for skos:exactMatch (the IRI's last segment if it has no project prefix)."""
    text = str(iri)
    for prefix, ns in prefixes_used([text]).items():
        return f"{prefix}-{text[len(ns):]}"
    return text[max(text.rfind("#"), text.rfind("/")) + 1:]


def _node(kind: str, term) -> BNode:
    """A blank node named after what it describes, so the description is the same in every process."""
    return BNode(f"{kind}-{hashlib.sha256(str(term).encode('utf-8')).hexdigest()[:16]}")


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD_INTEGER)


def _ontology_metadata(g: Graph, loaded: LoadedGraph) -> None:
    ontology = Graph()
    for name, graph in loaded.graphs.items():
        if loaded.kind(name) == "ontology":
            ontology += graph
    head = next(iter(sorted(ontology.subjects(RDF.type, OWL.Ontology))), None)
    if head is None:
        return
    for value in ontology.objects(head, OWL.versionInfo):
        g.add((DATASET, OWL.versionInfo, value))
        g.add((DATASET, DCAT.version, Literal(str(value))))
    for prop in (DCTERMS.modified, DCTERMS.issued, DCTERMS.creator):
        for value in ontology.objects(head, prop):
            g.add((DATASET, prop, value))


def _vocabularies(merged: Graph) -> list[str]:
    """Namespaces (of the project's prefixes) of every predicate and class used."""
    terms = set(merged.predicates()) | set(merged.objects(None, RDF.type))
    namespaces = sorted(set(PREFIXES.values()), key=len, reverse=True)
    used = set()
    for term in terms:
        ns = next((n for n in namespaces if str(term).startswith(n)), None)
        if ns and not ns.startswith(URI_SPACE):
            used.add(ns)
    return sorted(used)


def _counts(g: Graph, merged: Graph) -> None:
    d = DATASET
    subjects = set(merged.subjects())
    g.add((d, VOID.triples, _int(len(merged))))
    g.add((d, VOID.entities, _int(sum(isinstance(s, URIRef) and str(s).startswith(URI_SPACE) for s in subjects))))
    g.add((d, VOID.distinctSubjects, _int(len(subjects))))
    g.add((d, VOID.distinctObjects, _int(len(set(merged.objects())))))
    instances: dict = {}
    for s, cls in merged.subject_objects(RDF.type):
        instances.setdefault(cls, set()).add(s)
    g.add((d, VOID.classes, _int(len(instances))))
    for cls, members in instances.items():
        part = _node("class", cls)
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, _int(len(members))))
    per_property = Counter(p for _, p, _ in merged)
    g.add((d, VOID.properties, _int(len(per_property))))
    for prop, n in per_property.items():
        part = _node("property", prop)
        g.add((d, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, _int(n)))


def _access(g: Graph, base: str) -> None:
    d = DATASET
    g.add((d, VOID.sparqlEndpoint, URIRef(base + SPARQL_PATH)))
    for fmt, file_name in FILE_NAMES.items():
        if fmt == "void":
            continue
        url = URIRef(base + DUMP_PATH + file_name)
        dist = DISTRIBUTION[fmt]
        g.add((d, VOID.dataDump, url))
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[fmt])))
        g.add((dist, DCTERMS.title, Literal(f"{_TITLE} ({file_name})", lang="en")))
        g.add((dist, DCTERMS.license, LICENSE))
