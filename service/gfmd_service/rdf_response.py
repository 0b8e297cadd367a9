"""The one table of formats each route serves, negotiation over it, and RDF responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import Response
from gfmd_graph.formats import GRAPH_MEDIA_TYPE_ALIASES, RDF_FORMAT_NAMES, by_name, rdf_by_name

from .negotiation import choose
from .problems import HttpProblem

if TYPE_CHECKING:  # rdflib is loaded by the first RDF response, not by the service's start
    from rdflib import Graph

#: The name of the HTML page among a route's formats.
HTML = "html"


@dataclass(frozen=True)
class Offer:
    """What one route serves: format names, best first (the first answers ``Accept: */*``)."""

    what: str
    names: tuple[str, ...]

    def media_types(self) -> dict[str, str]:
        """Media type -> format name: each format's own type, then the aliases clients send."""
        types = {media_type(name): name for name in self.names}
        for alias, name in GRAPH_MEDIA_TYPE_ALIASES.items():
            if name in self.names:
                types.setdefault(alias, name)
        return types

    def name_for(self, hint: str) -> str | None:
        """The offered format a ``format=`` value names (name, alias, extension or media type)."""
        key = hint.strip().lower()
        if key in (HTML, "text/html") and HTML in self.names:
            return HTML
        fmt = rdf_by_name(key)
        return fmt.name if fmt is not None and fmt.name in self.names else None

    def listing(self) -> dict:
        """The offered formats for a problem body: names (with aliases) and media types."""
        aliases = {}
        for name in self.names:
            fmt = by_name(name)
            if fmt is not None:
                aliases.update({alias: name for alias in (fmt.extension, *fmt.aliases) if alias != name})
        return {"offered": list(self.names), "aliases": aliases, "media_types": [media_type(n) for n in self.names]}


#: Every route's formats. Resource pages, the ontology, VoID and the service description are
#: negotiated (``Accept`` or ``?format=``); downloads are chosen by their file extension.
OFFERS = {
    "resource": Offer("resource pages", (HTML, *RDF_FORMAT_NAMES)),
    "ontology": Offer("the ontology", (HTML, *RDF_FORMAT_NAMES)),
    "void": Offer("the dataset description", RDF_FORMAT_NAMES),
    "service-description": Offer("the service description", (*RDF_FORMAT_NAMES, HTML)),
    "download": Offer("downloads", ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")),
}


def media_type(name: str) -> str:
    """The media type of a format name of :data:`OFFERS`."""
    return "text/html" if name == HTML else by_name(name).media_type


def negotiate(request: Request, offer: Offer, format_param=None) -> str:
    """The format name to send: the first ``format`` hint the route offers, else the best by ``Accept``.

    ``format_param`` is one name or several hints (default: the request's ``format`` fields).
    A ``format`` naming nothing the route offers (unknown, or a results format such as ``csv``)
    gives 400; an ``Accept`` nothing offered satisfies gives 406. Both list what is offered.
    """
    if format_param is None:
        format_param = request.query_params.getlist("format")
    hints = (format_param,) if isinstance(format_param, str) else tuple(h for h in format_param if h)
    for hint in hints:
        name = offer.name_for(hint)
        if name is not None:
            return name
    if hints:
        raise HttpProblem(400, "unsupported-format",
                          f"format {hints[0]!r} is not offered for {offer.what}; use one of "
                          + ", ".join(offer.names), details=offer.listing())
    types = offer.media_types()
    chosen = choose(request.headers.get("accept"), list(types))
    if chosen is None:
        raise HttpProblem(406, "not-acceptable", f"no acceptable format for {offer.what}; offered: " + ", ".join(
            media_type(n) for n in offer.names), {"Vary": "Accept"}, details=offer.listing())
    return types[chosen]


def serialize(graph: Graph, name: str) -> bytes:
    """Serialise ``graph`` as the RDF format ``name``; as TriG or N-Quads its triples form the default graph."""
    from rdflib import Dataset

    from gfmd_graph.export import jsonld_context

    fmt = rdf_by_name(name)
    if fmt.name == "jsonld":
        return graph.serialize(format="json-ld", context=jsonld_context(graph), encoding="utf-8")
    if fmt.carries == "dataset" and not isinstance(graph, Dataset):
        dataset = Dataset()
        for prefix, namespace in graph.namespaces():
            dataset.bind(prefix, namespace, override=True)
        for triple in graph:
            dataset.add(triple)
        graph = dataset
    rdflib_names = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}
    return graph.serialize(format=rdflib_names[fmt.name], encoding="utf-8")


def with_charset(media: str) -> str:
    """The Content-Type for a media type (UTF-8 stated for text formats)."""
    text = media.startswith("text/") or media in ("application/n-triples", "application/n-quads")
    return media + "; charset=utf-8" if text else media


def rdf_response(graph: Graph, name: str, headers: dict[str, str] | None = None) -> Response:
    """A response carrying ``graph`` as the RDF format ``name`` (a format name or media type)."""
    fmt = rdf_by_name(name)
    return Response(serialize(graph, fmt.name), media_type=with_charset(fmt.media_type),
                    headers={"Vary": "Accept", **(headers or {})})


#: The RDF formats a page links to as alternates (rel="alternate"), with their labels.
ALTERNATES = (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("ntriples", "N-Triples"), ("rdfxml", "RDF/XML"),
               ("trig", "TriG"), ("nquads", "N-Quads"))


#: Media types of the RDF formats (kept for routes that list them).
RDF_TYPES = {by_name(n).media_type: n for n in RDF_FORMAT_NAMES}


def pick_rdf_type(request: Request, *, offered: list[str] | None = None, format_param=None) -> str:
    """The RDF media type to send for the service description, by :func:`negotiate` over its RDF formats.

    ``offered`` is accepted for older callers and ignored: :data:`OFFERS` decides.
    """
    offer = OFFERS["service-description"]
    return media_type(negotiate(request, Offer(offer.what, tuple(n for n in offer.names if n != HTML)), format_param))
