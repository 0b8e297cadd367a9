"""SPARQL over the graph with pyoxigraph, and the named queries of ``queries/``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import GfmdSyntaxError, UnknownQueryError
from .load import LoadedGraph, load_project
from .paths import queries_dir

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file with its header (title, description, parameters)."""

    name: str
    path: Path
    title: str
    description: str
    text: str
    params: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_file(cls, path: Path, root: Path) -> "NamedQuery":
        text = path.read_text(encoding="utf-8")
        meta: dict[str, list[str]] = {"title": [], "description": [], "param": []}
        for line in text.splitlines():
            m = _HEADER.match(line)
            if m:
                meta[m.group(1)].append(m.group(2).strip())
        name = path.relative_to(root).with_suffix("").as_posix()
        return cls(name=name, path=path, title=" ".join(meta["title"]) or path.stem,
                   description=" ".join(meta["description"]), text=text, params=tuple(meta["param"]))


def named_queries(root: Path | None = None) -> dict[str, NamedQuery]:
    """Every ``.rq`` file under ``queries/`` keyed by its path without suffix, e.g. ``cq/cq02-gcm-objectives``."""
    base = queries_dir(root)
    return {q.name: q for q in (NamedQuery.from_file(p, base) for p in sorted(base.rglob("*.rq")))}


def to_python(term: Any) -> Any:
    """Convert a pyoxigraph term to a plain Python value (int, bool, str)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in ("http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#int",
                  "http://www.w3.org/2001/XMLSchema#long"):
            return int(term.value)
        if dt == "http://www.w3.org/2001/XMLSchema#boolean":
            return term.value == "true"
        return term.value
    return term.value


class GraphStore:
    """An in-memory pyoxigraph store over the project's ontology and data.

    Each Turtle file is one named graph; the default graph is their union.
    """

    def __init__(self, loaded: LoadedGraph | None = None, *, kinds=("ontology", "data")) -> None:
        loaded = loaded or load_project(kinds=kinds)
        self.store = ox.Store()
        for name, graph in loaded.graphs.items():
            if loaded.kind(name) not in kinds:
                continue
            data = graph.serialize(format="nt", encoding="utf-8")
            self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
        self.graph_names = sorted(str(n) for n in loaded.graphs if loaded.kind(n) in kinds)

    def query(self, sparql: str, **options: Any):
        """Run a SPARQL query over the union of all graphs."""
        try:
            return self.store.query(sparql, use_default_graph_as_union=True, **options)
        except SyntaxError as exc:
            raise GfmdSyntaxError(str(exc)) from exc

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Run a SELECT query; return one dict per row with plain Python values (unbound variables absent)."""
        solutions = self.query(sparql)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            rows.append({n: to_python(solution[n]) for n in names if solution[n] is not None})
        return rows

    def run_named(self, name: str, root: Path | None = None) -> list[dict[str, Any]]:
        """Run a named query by name (e.g. ``cq/cq02-gcm-objectives``)."""
        queries = named_queries(root)
        if name not in queries:
            raise UnknownQueryError(f"no named query {name!r}; known: {', '.join(sorted(queries))}")
        return self.select(queries[name].text)
