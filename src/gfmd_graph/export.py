"""Export the merged graph (ontology + data) in the RDF formats, the same bytes for the same input.

Blank nodes are renamed by RDF canonicalisation (RDFC-1.0) and statements are
sorted before writing, so neither parse order nor random blank-node ids show in
the output. N-Quads and TriG keep one named graph per file (see
:func:`gfmd_graph.load.graph_name`); the other formats hold the merged graph.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .load import LoadedGraph
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
        doc = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
        return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
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
