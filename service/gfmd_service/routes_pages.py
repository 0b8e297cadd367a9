"""Linked data: every ``/id/…`` resource and the ontology resolve by path, as HTML or RDF."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gfmd_graph.namespaces import ONTOLOGY_IRI
from gfmd_graph.paths import sources_dir

from .conditional import conditional, representation_etag
from .languages import preferred
from .problems import HttpProblem
from .rdf_response import ALTERNATES, HTML, OFFERS, Offer, media_type, negotiate, rdf_response

router = APIRouter()

_SAFE_KEY = re.compile(r"^[A-Za-z0-9._~\-/%]+$")


def _link_headers(iri: str, path: str) -> dict[str, str]:
    links = [f'<{iri}>; rel="canonical"'] + [
        f'<{path}?format={name}>; rel="alternate"; type="{media_type(name)}"' for name, _ in ALTERNATES]
    return {"Link": ", ".join(links), "Vary": "Accept, Accept-Language"}


def _etag(request: Request, fmt: str) -> str:
    """The page's entity tag: dataset version, format (and language of an HTML page), and the service
    version and settings that shape it."""
    settings = request.app.state.settings
    variant = f"{fmt}-{preferred(request)[0]}" if fmt == HTML else fmt
    return representation_etag(request.app.state.backend.version, variant, request.app.version, settings.base_iri,
                               str(sources_dir()))


async def resolve(request: Request, iri: str, *, offer: Offer = OFFERS["resource"]) -> Response:
    """Answer a dereference of ``iri``: HTML for browsers, RDF by Accept or ``?format=``, 404 if unknown.

    Negotiation comes first (400/406 before any query); 304 when the client's copy is current.
    """
    from rdflib import URIRef  # loaded by the first page, not by the service's start

    from .resource_page import fetch_description, render_page

    fmt = negotiate(request, offer)
    preferred(request)  # an unknown ?lang= is a 400 whatever the format
    graph = await fetch_description(request, iri)
    if (URIRef(iri), None, None) not in graph:
        raise HttpProblem(404, "not-found", f"the graph says nothing about <{iri}>")
    backend = request.app.state.backend
    headers = _link_headers(iri, request.url.path)
    if (unchanged := conditional(request, _etag(request, fmt), backend.last_modified, headers)) is not None:
        return unchanged
    for prefix, ns in backend.prefixes.items():
        graph.bind(prefix, ns, override=True)
    if fmt == HTML:
        return render_page(request, iri, graph, headers)
    return rdf_response(graph, fmt, headers)


def _responses(offer: Offer) -> dict:
    return {200: {"content": {media_type(n): {} for n in offer.names}}, 304: {}, 400: {}, 404: {}, 406: {}}


@router.get("/id/{key:path}", summary="Dereference a resource IRI (https://w3id.org/gfmd/id/…)",
            responses=_responses(OFFERS["resource"]))
async def resource(request: Request, key: str) -> Response:
    if not _SAFE_KEY.match(key):
        raise HttpProblem(404, "not-found", "no such resource")
    return await resolve(request, request.app.state.settings.base_iri + "id/" + key)


@router.get("/ontology", summary="The ontology: HTML documentation or RDF by Accept",
            responses=_responses(OFFERS["ontology"]))
async def ontology(request: Request) -> Response:
    fmt = negotiate(request, OFFERS["ontology"])
    backend = request.app.state.backend
    headers = _link_headers(ONTOLOGY_IRI, "/ontology")
    if (unchanged := conditional(request, _etag(request, fmt), backend.last_modified, headers)) is not None:
        return unchanged
    if fmt == HTML:
        return HTMLResponse(backend.ontology_html(), headers=headers)
    return rdf_response(backend.ontology_graph(), fmt, headers)


@router.get("/ontology/{term}", summary="One ontology term (gfmd:Term), as a page or RDF",
            responses=_responses(OFFERS["ontology"]))
async def ontology_term(request: Request, term: str) -> Response:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", term):
        raise HttpProblem(404, "not-found", "no such term")
    return await resolve(request, ONTOLOGY_IRI + "#" + term, offer=OFFERS["ontology"])
