"""Serve an rdflib graph in the RDF format the client prefers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from rdflib import Graph

from gfmd_graph.export import jsonld_context
from gfmd_graph.formats import by_name, resolve

from .negotiation import choose
from .problems import HttpProblem

#: Media types offered for graph documents, best first, with rdflib's serializer names.
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/plain": "nt",
    "application/json": "json-ld",
}


def pick_rdf_type(request: Request, *, offered: list[str] | None = None, format_param=None) -> str | None:
    """The RDF media type to send (from ``format`` hints, else Accept), or None if the client wants none.

    ``format_param`` is one name or several hints, best first; unknown names give 400.
    """
    offered = offered or list(RDF_TYPES)
    hints = (format_param,) if isinstance(format_param, str) else tuple(format_param or ())
    known = False
    for hint in hints:
        fmt = resolve(hint, graph=True)
        known = known or fmt is not None or by_name(hint) is not None
        if fmt is not None and fmt.media_type in offered:
            return fmt.media_type
    if hints and not known:
        raise HttpProblem(400, "unknown-format", f"unknown format {hints[0]!r}; use turtle, ntriples, "
                          "jsonld, rdfxml, trig or nquads")
    return choose(request.headers.get("accept"), offered)


def serialize(graph: Graph, media_type: str) -> bytes:
    """Serialise ``graph`` for a media type of :data:`RDF_TYPES`."""
    fmt = RDF_TYPES[media_type]
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=jsonld_context(graph), encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def rdf_response(graph: Graph, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A response carrying ``graph`` as ``media_type``."""
    shown = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
    return Response(serialize(graph, media_type), media_type=shown, headers={"Vary": "Accept", **(headers or {})})
