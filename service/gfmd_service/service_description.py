"""The SPARQL 1.1 Service Description of the endpoint, built from what it really holds."""

from __future__ import annotations

from urllib.parse import urljoin

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from gfmd_graph.formats import FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
#: Where the VoID description of the dataset is served, relative to the endpoint.
VOID_PATH = ".well-known/void"

_FORMAT_IRIS = {
    "json": FORMATS_NS.SPARQL_Results_JSON, "xml": FORMATS_NS.SPARQL_Results_XML,
    "csv": FORMATS_NS.SPARQL_Results_CSV, "tsv": FORMATS_NS.SPARQL_Results_TSV,
    "turtle": FORMATS_NS.Turtle, "ntriples": FORMATS_NS["N-Triples"], "jsonld": FORMATS_NS["JSON-LD"],
    "rdfxml": FORMATS_NS.RDF_XML, "trig": FORMATS_NS.TriG, "nquads": FORMATS_NS["N-Quads"],
}


def service_description(endpoint: str, graph_sizes: dict[str, int], *, union_size: int,
                        version: str, allowlist: frozenset[str] = frozenset()) -> Graph:
    """Describe the endpoint at ``endpoint``: language, formats, features and its default dataset.

    ``graph_sizes`` maps every named graph the service holds to its triple count;
    the default graph is their union (``union_size`` triples). The default dataset
    points (``rdfs:seeAlso``) to its VoID description, with the linksets and partitions.
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS_NS)
    g.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if allowlist:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    for fmt in FORMATS:
        g.add((service, SD.resultFormat, _FORMAT_IRIS[fmt.name]))
    g.add((service, DCTERMS.hasVersion, Literal(version)))
    dataset = BNode("defaultDataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDFS.seeAlso, URIRef(urljoin(endpoint, VOID_PATH))))
    default_graph = BNode("defaultGraph")
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(union_size, datatype=XSD.integer)))
    for name, size in sorted(graph_sizes.items()):
        named = BNode("graph-" + name.rsplit("/graph/", 1)[-1].replace("/", "-"))
        graph = BNode("triples-" + name.rsplit("/graph/", 1)[-1].replace("/", "-"))
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(size, datatype=XSD.integer)))
    return g
