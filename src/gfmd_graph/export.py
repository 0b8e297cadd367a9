"""Export the merged graph (ontology + data) in the RDF formats, the same bytes for the same input.

Blank nodes are renamed by RDF canonicalisation (RDFC-1.0) and statements are
sorted before writing, so neither parse order nor random blank-node ids show in
the output. N-Quads and TriG keep one named graph per file (see
:func:`gfmd_graph.load.graph_name`); the other formats hold the merged graph.
Prefixes (Turtle, TriG, RDF/XML and the JSON-LD ``@context``) are only those the
written IRIs use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .load import LoadedGraph
from .namespaces import PREFIXES
from .query import used_prefixes
from .turtle_format import format_graph

#: Export format -> file name written by :func:`write_exports`.
FILE_NAMES = {"ttl": "graph.ttl", "nt": "graph.nt", "nq": "graph.nq", "trig": "graph.trig",
              "jsonld": "graph.jsonld", "rdfxml": "graph.rdf", "void": "void.ttl"}

#: Export format -> media type (for HTTP downloads).
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
               "trig": "application/trig", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
               "void": "text/turtle"}

KINDS = ("ontology", "data")


def _canonical(graphs) -> list[ox.Quad]:
    """Quads of (graph name, rdflib graph) pairs with canonical blank nodes, sorted by graph then statement."""
    dataset = ox.Dataset()
    for graph_node, graph in graphs:
        data = graph.serialize(format="nt", encoding="utf-8")
        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True):
            dataset.add(ox.Quad(q.subject, q.predicate, q.object, graph_node))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=lambda q: (str(q.graph_name), str(ox.Triple(q.subject, q.predicate, q.object))))


def canonical_quads(loaded: LoadedGraph, *, kinds: tuple[str, ...] = KINDS) -> list[ox.Quad]:
    """Every statement of the given folders in its file's named graph, blank nodes canonical, sorted."""
    return _canonical((ox.NamedNode(str(name)), graph) for name, graph in loaded.graphs.items()
                      if loaded.kind(name) in kinds)


def merged_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads``, sorted by their N-Triples form."""
    unique = {str(t): t for t in (ox.Triple(q.subject, q.predicate, q.object) for q in quads)}
    return [unique[k] for k in sorted(unique)]


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _sorted_prefix_block(data: bytes) -> bytes:
    lines = data.decode("utf-8").split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("@prefix "):
        head += 1
    return "\n".join(sorted(lines[:head]) + lines[head:]).encode("utf-8")


def _namespace_of(iri: str, prefixes: dict[str, str]) -> str | None:
    """The prefix of the longest namespace that ``iri`` starts with (and can be written as ``prefix:local``)."""
    best = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and not iri[len(ns):].startswith("//") and (
                best is None or len(ns) > len(prefixes[best])):
            best = prefix
    return best


def prefixes_used(iris: Iterable[str], prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes (default: the project's) that some IRI of ``iris`` is written with, sorted by prefix."""
    prefixes = PREFIXES if prefixes is None else prefixes
    used = {_namespace_of(iri, prefixes) for iri in set(iris)}
    return {p: prefixes[p] for p in sorted(used - {None})}


def graph_iris(graph: Graph) -> set[str]:
    """Every IRI of ``graph``: subjects, predicates, objects and literal datatypes."""
    iris = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                iris.add(str(term))
            elif isinstance(term, Literal) and term.datatype is not None:
                iris.add(str(term.datatype))
    return iris


def jsonld_context(graph: Graph) -> dict[str, str]:
    """The JSON-LD ``@context`` of ``graph``: only the prefixes its IRIs use.

    The project's prefixes come first; a namespace they lack keeps the prefix the
    graph binds it to (e.g. ``sd:`` in the service description).
    """
    prefixes = dict(PREFIXES)
    known = set(PREFIXES.values())
    for prefix, ns in sorted(graph.namespaces()):
        if prefix and prefix not in prefixes and str(ns) not in known and str(ns)[-1:] in "/#":
            prefixes[prefix] = str(ns)
    return prefixes_used(graph_iris(graph), prefixes)


def _compact(value, context: dict[str, str], *, key: str | None = None):
    """Write the IRIs of expanded JSON-LD (keys, ``@id`` and ``@type`` values) as ``prefix:local``."""
    def shrink(iri: str) -> str:
        prefix = _namespace_of(iri, context)
        return iri if prefix is None else f"{prefix}:{iri[len(context[prefix]):]}"

    if isinstance(value, list):
        return [_compact(v, context, key=key) for v in value]
    if isinstance(value, dict):
        return {(k if k.startswith("@") else shrink(k)): _compact(v, context, key=k) for k, v in value.items()}
    if isinstance(value, str) and key in ("@id", "@type") and not value.startswith("_:"):
        return shrink(value)
    return value


def _jsonld(triples: list[ox.Triple]) -> bytes:
    """JSON-LD of ``triples`` with a context of only the prefixes they use, IRIs compacted with it."""
    context = prefixes_used(term.value for term in _triple_iris(triples))
    nodes = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    doc = {"@context": context, "@graph": _compact(nodes, context)} if context else nodes
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _triple_iris(triples: list[ox.Triple]):
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                yield term
            elif isinstance(term, ox.Literal):
                yield term.datatype


def render(fmt: str, quads: list[ox.Quad], loaded: LoadedGraph | None = None, *, base: str | None = None) -> bytes:
    """Write canonical ``quads`` (from :func:`canonical_quads`) in one export format."""
    if fmt not in FILE_NAMES:
        raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FILE_NAMES)}")
    if fmt == "void":
        from .describe import dataset_description

        if loaded is None:
            raise ValueError("the void export needs the loaded project")
        return format_graph(dataset_description(loaded, base=base)).encode("utf-8")
    if fmt == "nq":
        return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    if fmt == "trig":
        return _sorted_prefix_block(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used_prefixes(quads)))
    triples = merged_triples(quads)
    if fmt == "nt":
        return _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    if fmt == "ttl":
        graph = Graph(bind_namespaces="none")
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        return format_graph(graph).encode("utf-8")
    if fmt == "jsonld":
        return _jsonld(triples)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used_prefixes(triples)) + b"\n"


def export_graph(loaded: LoadedGraph, fmt: str, *, base: str | None = None) -> bytes:
    """The merged graph in one format: ttl, nt, nq, trig, jsonld, rdfxml, or void (the dataset description)."""
    quads = [] if fmt == "void" else canonical_quads(loaded)
    return render(fmt, quads, loaded, base=base)


def write_exports(loaded: LoadedGraph, out_dir: Path, formats: list[str] | tuple[str, ...] | None = None, *,
                  base: str | None = None) -> list[Path]:
    """Write each format into ``out_dir`` under its :data:`FILE_NAMES` name; return the paths written."""
    formats = list(formats or FILE_NAMES)
    unknown = [f for f in formats if f not in FILE_NAMES]
    if unknown:
        raise ValueError(f"unknown export format {unknown[0]!r}; formats: {', '.join(FILE_NAMES)}")
    quads = canonical_quads(loaded) if any(f != "void" for f in formats) else []
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / FILE_NAMES[fmt]
        path.write_bytes(render(fmt, quads, loaded, base=base))
        written.append(path)
    return written
