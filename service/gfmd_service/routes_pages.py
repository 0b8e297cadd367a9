"""Linked data: every ``/id/…`` resource and the ontology resolve by path, as HTML or RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from gfmd_graph.namespaces import GFMD, ONTOLOGY_IRI
from gfmd_graph.passages import parse_passage, source_lines
from gfmd_graph.paths import sources_dir

from .conditional import conditional, representation_etag
from .languages import UN_LANGUAGES, preferred
from .problems import HttpProblem
from .rdf_response import HTML, OFFERS, Offer, media_type, negotiate, rdf_response
from .templates import render

router = APIRouter()

_SAFE_KEY = re.compile(r"^[A-Za-z0-9._~\-/%]+$")


def context_query(iri: str) -> str:
    """A CONSTRUCT for the labels around ``iri`` and the links into it (at most 500)."""
    return f"""
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {{ ?x rdfs:label ?xl . ?in ?ip <{iri}> . ?in rdfs:label ?il . ?x skos:prefLabel ?xp }}
WHERE {{
  {{ <{iri}> ?p ?x . ?x rdfs:label ?xl }}
  UNION {{ <{iri}> ?p ?x . ?x skos:prefLabel ?xp }}
  UNION {{ <{iri}> ?x ?o . ?x rdfs:label ?xl }}
  UNION {{ <{iri}> ?p ?b . FILTER(isBlank(?b)) ?b (owl:unionOf|owl:intersectionOf)/rdf:rest*/rdf:first ?x . ?x rdfs:label ?xl }}
  UNION {{ SELECT ?in ?ip WHERE {{ ?in ?ip <{iri}> }} LIMIT 500 }}
  UNION {{ {{ SELECT DISTINCT ?in WHERE {{ ?in ?ip0 <{iri}> }} LIMIT 500 }} ?in rdfs:label ?il }}
  UNION {{ ?in ?ip1 <{iri}> . ?ip1 rdfs:label ?xl . BIND(?ip1 AS ?x) }}
}}"""


async def fetch_description(request: Request, iri: str) -> Graph:
    """The concise bounded description of ``iri`` plus labels and incoming links (empty if unknown)."""
    backend = request.app.state.backend
    graph = Graph()
    for query in (f"DESCRIBE <{iri}>", context_query(iri)):
        answer = await backend.execute(backend.request(query, "ntriples"))
        graph.parse(data=answer.body.decode("utf-8"), format="nt")
    return graph


def _local_path(iri: str, base: str) -> str | None:
    if iri.startswith(base + "id/"):
        return "/" + iri[len(base):]
    if iri.startswith(ONTOLOGY_IRI):
        return "/ontology" + iri[len(ONTOLOGY_IRI):]
    return None


@dataclass
class Value:
    """A value on a page: shown text, a link if it has one, and extra (language, datatype)."""

    text: str
    href: str | None = None
    note: str | None = None


def _label(graph: Graph, node, languages: tuple[str, ...] = ("en",)) -> str | None:
    """The node's label in the first of ``languages`` it has (rdfs:label, then skos:prefLabel), else any."""
    for lang in languages:
        for prop in (RDFS.label, SKOS.prefLabel):
            found = sorted(str(l) for l in graph.objects(node, prop)
                           if isinstance(l, Literal) and (l.language or "").split("-")[0].lower() == lang)
            if found:
                return found[0]
    for prop in (RDFS.label, SKOS.prefLabel):
        labels = sorted(graph.objects(node, prop), key=lambda l: (getattr(l, "language", None) is not None, str(l)))
        if labels:
            return str(labels[0])
    return None


def _value(graph: Graph, node, base: str, prefixes: dict[str, str], languages: tuple[str, ...] = ("en",)) -> Value:
    if isinstance(node, Literal):
        note = f"@{node.language}" if node.language else (_curie(str(node.datatype), prefixes) if node.datatype else None)
        return Value(str(node), None, note)
    if isinstance(node, BNode):
        for op, word in ((OWL.unionOf, "any of"), (OWL.intersectionOf, "all of")):
            head = graph.value(node, op)
            if head is not None:
                members = [_value(graph, m, base, prefixes, languages).text for m in Collection(graph, head)]
                return Value(f"{word}: " + ", ".join(members))
        parts = []
        for p, o in sorted(graph.predicate_objects(node)):
            parts.append(f"{_curie(str(p), prefixes)} {_label(graph, o, languages) or _curie(str(o), prefixes)}")
        return Value("[ " + "; ".join(parts) + " ]" if parts else "[ ]")
    iri = str(node)
    curie = _curie(iri, prefixes)
    text = _label(graph, node, languages) or curie
    return Value(text, _local_path(iri, base) or iri, curie if curie != text else None)


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    best = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def source_passages(graph: Graph, iri: URIRef) -> list[dict]:
    """The resource's source passages with their text, when the source documents are at hand."""
    folder = sources_dir()
    out = []
    for passage in sorted(str(p) for p in graph.objects(iri, GFMD.sourcePassage)):
        p = parse_passage(passage)
        entry = {"ref": passage, "lines": None}
        if p and folder is not None:
            path = Path(folder) / p.file
            if path.is_file() and path.parent == Path(folder):
                lines = source_lines(str(path))
                entry["lines"] = [(n, lines[n - 1]) for n in range(p.start, min(p.end, len(lines)) + 1)][:80]
        out.append(entry)
    return out


def _page(request: Request, iri: str, graph: Graph, headers: dict[str, str]) -> HTMLResponse:
    settings = request.app.state.settings
    prefixes = request.app.state.backend.prefixes
    base = settings.base_iri
    languages = tuple(preferred(request))
    node = URIRef(iri)

    def value(n) -> Value:
        return _value(graph, n, base, prefixes, languages)

    rows = []
    for p in sorted(set(graph.predicates(node, None))):
        rows.append({"property": value(p), "objects": sorted((value(o) for o in graph.objects(node, p)),
                                                             key=lambda v: v.text.lower())})
    incoming = []
    for s, p in sorted(graph.subject_predicates(node)):
        if s == node:
            continue
        incoming.append({"subject": value(s), "property": value(p)})
    path = request.url.path
    offered = {lang for lang in UN_LANGUAGES
               for prop in (RDFS.label, SKOS.prefLabel) for l in graph.objects(node, prop)
               if isinstance(l, Literal) and (l.language or "").split("-")[0].lower() == lang}
    html = render("resource.html", iri=iri, label=_label(graph, node, languages) or _curie(iri, prefixes),
                  lang=languages[0],
                  languages=[(lang, name, f"{path}?lang={lang}") for lang, name in UN_LANGUAGES.items()
                             if lang in offered] if len(offered) > 1 else [],
                  types=[value(t) for t in sorted(graph.objects(node, RDF.type))],
                  definition=next((str(d) for d in graph.objects(node, SKOS.definition)), None),
                  rows=rows, incoming=incoming, passages=source_passages(graph, node),
                  alternates=[(label, f"{path}?format={name}") for name, label in _ALTERNATES])
    return HTMLResponse(html, headers={**headers, "Content-Language": languages[0]})


#: The RDF formats a page links to as alternates (rel="alternate"), with their labels.
_ALTERNATES = (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("ntriples", "N-Triples"), ("rdfxml", "RDF/XML"),
               ("trig", "TriG"), ("nquads", "N-Quads"))


def _link_headers(iri: str, path: str) -> dict[str, str]:
    links = [f'<{iri}>; rel="canonical"'] + [
        f'<{path}?format={name}>; rel="alternate"; type="{media_type(name)}"' for name, _ in _ALTERNATES]
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
        return _page(request, iri, graph, headers)
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
