"""The HTML page of one resource, built from its description (rdflib is loaded with this module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from gfmd_graph.namespaces import GFMD, ONTOLOGY_IRI
from gfmd_graph.passages import parse_passage, source_lines
from gfmd_graph.paths import sources_dir

from .languages import UN_LANGUAGES, preferred
from .links import local_path
from .rdf_response import ALTERNATES
from .templates import render


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
    return Value(text, local_path(iri, base) or iri, curie if curie != text else None)


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


def render_page(request: Request, iri: str, graph: Graph, headers: dict[str, str]) -> HTMLResponse:
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
                  alternates=[(label, f"{path}?format={name}") for name, label in ALTERNATES])
    return HTMLResponse(html, headers={**headers, "Content-Language": languages[0]})
