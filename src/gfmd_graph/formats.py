"""The result and RDF serialisation formats the project reads and writes, by name and media type."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, media type, file extension and what it can carry."""

    name: str
    media_type: str
    extension: str
    carries: str  # "results" (SELECT/ASK), "graph" (triples) or "dataset" (quads; also triples)
    aliases: tuple[str, ...] = ()

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _OX_RDF[self.name]


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "srj", "results", ("srj",)),
    Format("xml", "application/sparql-results+xml", "srx", "results", ("srx",)),
    Format("csv", "text/csv", "csv", "results"),
    Format("tsv", "text/tab-separated-values", "tsv", "results"),
    Format("turtle", "text/turtle", "ttl", "graph", ("ttl",)),
    Format("ntriples", "application/n-triples", "nt", "graph", ("nt", "n-triples")),
    Format("jsonld", "application/ld+json", "jsonld", "graph", ("json-ld", "application/x-json+ld")),
    Format("rdfxml", "application/rdf+xml", "rdf", "graph", ("rdf", "xml-rdf", "owl", "rdf+xml")),
    Format("trig", "application/trig", "trig", "dataset"),
    Format("nquads", "application/n-quads", "nq", "dataset", ("nq", "n-quads")),
)

_OX_RDF = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
}

#: Media types some clients send for the same formats.
MEDIA_TYPE_ALIASES = {
    "application/json": "json",
    "application/sparql-results+json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/x-trig": "trig",
}


def by_name(name: str) -> Format | None:
    """Find a format by short name, alias, extension or media type.

    >>> by_name("ttl").media_type
    'text/turtle'
    >>> by_name("application/sparql-results+json").name
    'json'
    """
    key = name.strip().lower()
    for fmt in FORMATS:
        if key in (fmt.name, fmt.media_type, fmt.extension, *fmt.aliases):
            return fmt
    alias = MEDIA_TYPE_ALIASES.get(key)
    return by_name(alias) if alias else None


#: Names that mean an RDF format when the result is a graph (SPARQLWrapper sends ``xml`` for RDF/XML).
_GRAPH_ALIASES = {"json": "jsonld", "application/json": "jsonld", "xml": "rdfxml",
                  "application/xml": "rdfxml", "text/xml": "rdfxml"}


def resolve(name: str, *, graph: bool) -> Format | None:
    """The format ``name`` means for a graph result (``graph=True``) or for SELECT/ASK results.

    None when the name is unknown or names a format that cannot carry that kind of result.

    >>> resolve("xml", graph=True).name, resolve("xml", graph=False).name
    ('rdfxml', 'xml')
    >>> resolve("ttl", graph=False) is None
    True
    """
    key = name.strip().lower()
    fmt = by_name(_GRAPH_ALIASES.get(key, key) if graph else key)
    if fmt is None or (fmt.carries == "results") == graph:
        return None
    return fmt


#: The RDF formats (graphs and datasets), in the order the service offers them.
RDF_FORMAT_NAMES = ("turtle", "jsonld", "ntriples", "rdfxml", "trig", "nquads")

#: Media types some clients send in ``Accept`` for a graph, beside the formats' own.
GRAPH_MEDIA_TYPE_ALIASES = {
    **{k: v for k, v in MEDIA_TYPE_ALIASES.items() if by_name(v).carries != "results"},
    "application/json": "jsonld", "application/xml": "rdfxml", "text/xml": "rdfxml",
}


def rdf_by_name(name: str) -> Format | None:
    """The RDF format a name, alias, extension or media type means; None for unknown or results formats.

    Unlike :func:`resolve`, results-format names (``json``, ``xml``) are not taken for RDF ones.

    >>> rdf_by_name("nq").name, rdf_by_name("rdf").name, rdf_by_name("json")
    ('nquads', 'rdfxml', None)
    """
    fmt = by_name(name)
    return fmt if fmt is not None and fmt.carries != "results" else None


def formats_for(form: str) -> list[Format]:
    """Formats that can carry the result of a query form (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    if form in ("SELECT", "ASK"):
        return [f for f in FORMATS if f.carries == "results"]
    return [f for f in FORMATS if f.carries == "graph"]
