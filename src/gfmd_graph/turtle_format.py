"""Canonical Turtle: the one layout every curated file is kept in.

Prefixes first (sorted, only those used), the ``owl:Ontology`` header next, then
one block per subject in natural order of its name, ``a`` first, predicates
sorted, objects sorted one per line. Blank nodes used once are written inline
(``[ ... ]`` and ``( ... )``), so a diff shows only what changed. Statement
references (``owl:Axiom`` nodes) follow the block of the subject they annotate,
ordered by property and value, their source, property and target first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from .errors import GfmdSyntaxError
from .namespaces import PREFIXES

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_INDENT = "    "
# Predicates written before all others, in this order (the rest follow sorted).
_PREDICATE_RANK = {"a": 0, "owl:annotatedSource": 1, "owl:annotatedProperty": 2, "owl:annotatedTarget": 3}


def natural_key(text: str) -> list:
    """Sort key that orders embedded numbers by value.

    >>> sorted(["rec:a-10", "rec:a-9", "rec:a-1"], key=natural_key)
    ['rec:a-1', 'rec:a-9', 'rec:a-10']
    """
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text) if part != ""]


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


class _Writer:
    def __init__(self, graph: Graph, prefixes: dict[str, str]) -> None:
        self.graph = graph
        self.prefixes = prefixes
        self.used: set[str] = set()
        self.lists: dict[BNode, list] = {}
        self.inline: set[BNode] = set()
        self.labels: dict[BNode, str] = {}
        self._scan_bnodes()

    # -- blank-node structure -------------------------------------------------
    def _scan_bnodes(self) -> None:
        g = self.graph
        refs: dict[BNode, int] = defaultdict(int)
        for _, _, o in g:
            if isinstance(o, BNode):
                refs[o] += 1
        for node in set(s for s in g.subjects() if isinstance(s, BNode)):
            items = self._as_list(node, refs)
            if items is not None:
                self.lists[node] = items
        list_cells = set()
        for head in self.lists:
            cell = head
            while cell != RDF.nil:
                list_cells.add(cell)
                cell = g.value(cell, RDF.rest)
        for node, count in refs.items():
            if count == 1 and node not in list_cells:
                self.inline.add(node)
        for head in self.lists:
            if refs.get(head, 0) == 1:
                self.inline.add(head)

    def _as_list(self, node: BNode, refs: dict) -> list | None:
        g = self.graph
        items = []
        cell = node
        seen = set()
        while cell != RDF.nil:
            if not isinstance(cell, BNode) or cell in seen:
                return None
            seen.add(cell)
            preds = set(g.predicates(cell))
            if preds != {RDF.first, RDF.rest}:
                return None
            firsts = list(g.objects(cell, RDF.first))
            rests = list(g.objects(cell, RDF.rest))
            if len(firsts) != 1 or len(rests) != 1:
                return None
            if cell is not node and refs.get(cell, 0) != 1:
                return None
            items.append(firsts[0])
            cell = rests[0]
        return items

    # -- terms ----------------------------------------------------------------
    def iri(self, iri: URIRef, *, predicate: bool = False) -> str:
        text = str(iri)
        if predicate and iri == RDF.type:
            return "a"
        best = None
        for prefix, ns in self.prefixes.items():
            if text.startswith(ns) and (best is None or len(ns) > len(self.prefixes[best])):
                local = text[len(ns):]
                if local == "" or _PN_LOCAL.match(local):
                    best = prefix
        if best is None:
            return f"<{text}>"
        self.used.add(best)
        return f"{best}:{text[len(self.prefixes[best]):]}"

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        if lit.language:
            return f'"{_escape(lex)}"@{lit.language}'
        dt = lit.datatype
        if dt is None or dt == XSD.string:
            return f'"{_escape(lex)}"'
        if dt == XSD.integer and _INTEGER.match(lex):
            return lex
        if dt == XSD.boolean and lex in ("true", "false"):
            return lex
        return f'"{_escape(lex)}"^^{self.iri(dt)}'

    def term(self, node, depth: int = 0) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if node in self.lists and node in self.inline:
            return "( " + " ".join(self.term(x, depth + 1) for x in self.lists[node]) + " )"
        if node == RDF.nil:
            return "()"
        if node in self.inline:
            body = self.predicate_objects(node, depth + 1, inline=True)
            return f"[ {body} ]" if body else "[]"
        return self.labels.setdefault(node, f"_:b{len(self.labels) + 1}")

    def predicate_objects(self, subject, depth: int, inline: bool = False) -> str:
        by_pred: dict = defaultdict(list)
        for p, o in self.graph.predicate_objects(subject):
            by_pred[p].append(o)
        rendered = []
        for p in by_pred:
            objs = sorted({self.term(o, depth) for o in by_pred[p]}, key=natural_key)
            rendered.append((self.iri(p, predicate=True), objs))
        rendered.sort(key=lambda po: (_PREDICATE_RANK.get(po[0], len(_PREDICATE_RANK)), natural_key(po[0])))
        if inline:
            return " ; ".join(f"{p} {', '.join(objs)}" for p, objs in rendered)
        lines = []
        for p, objs in rendered:
            if len(objs) == 1 or p == "a":
                lines.append(f"{p} {', '.join(objs)}")
            else:
                lines.append(f"{p} " + (",\n" + _INDENT * 2).join(objs))
        return (" ;\n" + _INDENT).join(lines)

    def document(self) -> str:
        g = self.graph
        ontology_heads = set(g.subjects(RDF.type, OWL.Ontology))
        named = [s for s in set(g.subjects()) if not isinstance(s, BNode)]
        top_bnodes = [s for s in set(g.subjects()) if isinstance(s, BNode)
                      and s not in self.inline and not self._is_list_cell(s)]
        named_set = set(named)
        axioms: dict = defaultdict(list)
        bnode_blocks = []
        for s in top_bnodes:
            body = self.predicate_objects(s, 1)
            head = "[]" if s not in self.labels else self.labels[s]
            source = g.value(s, OWL.annotatedSource)
            if (s, RDF.type, OWL.Axiom) in g and source in named_set:
                axioms[source].append(f"{head} {body} .")
            else:
                bnode_blocks.append(f"{head} {body} .")
        blocks = []
        for s in sorted(named, key=lambda s: (s not in ontology_heads, natural_key(self.iri(s)))):
            blocks.append(f"{self.iri(s)} {self.predicate_objects(s, 1)} .")
            blocks.extend(sorted(axioms.get(s, ()), key=natural_key))
        blocks.extend(sorted(bnode_blocks, key=natural_key))
        header = [f"@prefix {p}: <{self.prefixes[p]}> ." for p in sorted(self.used)]
        parts = []
        if header:
            parts.append("\n".join(header))
        parts.extend(blocks)
        return "\n\n".join(parts) + "\n"

    def _is_list_cell(self, node) -> bool:
        return any(node in self._cells(h) for h in self.lists)

    def _cells(self, head):
        cell, out = head, set()
        while cell != RDF.nil and cell is not None:
            out.add(cell)
            cell = self.graph.value(cell, RDF.rest)
        return out


def parse_turtle(text: str, *, source: str | Path = "<string>") -> Graph:
    """Parse Turtle into a graph without default prefix bindings.

    Raises :class:`GfmdSyntaxError` with the file, line and column of the error.

    >>> len(parse_turtle("<http://a> <http://b> 1 ."))
    1
    """
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=text, format="turtle", publicID=Path(str(source)).resolve().as_uri()
                    if source != "<string>" else None)
    except Exception as exc:  # rdflib raises several unrelated types
        raise _syntax_error(exc, text, source) from exc
    return graph


def _oxigraph_position(text: str) -> tuple[int, int, str] | None:
    """Line, column (1-based) and message of the first Turtle error, read by pyoxigraph's parser.

    rdflib's messages carry no column; pyoxigraph's carry both.
    """
    import pyoxigraph as ox

    try:
        for _ in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri="http://base.invalid/"):
            pass
    except SyntaxError as exc:
        if exc.lineno:
            return exc.lineno, exc.offset or 1, str(exc.msg if hasattr(exc, "msg") else exc)
    return None


def _syntax_error(exc: Exception, text: str, source) -> GfmdSyntaxError:
    position = _oxigraph_position(text)
    if position is not None:
        line, column, message = position
        return GfmdSyntaxError(re.sub(r"\s+", " ", message).strip(), file=source, line=line, column=column)
    message = str(exc)
    column = None
    match = re.search(r"at line (\d+)", message) or re.search(r"line (\d+)", message)
    line = int(match.group(1)) if match else None
    if line is not None:
        col_match = re.search(r"column (\d+)", message)
        column = int(col_match.group(1)) if col_match else None
        if column is None:
            column = 1
    message = re.sub(r"\s+", " ", message).strip()
    return GfmdSyntaxError(message, file=source, line=line, column=column)


def format_graph(graph: Graph, *, extra_prefixes: dict[str, str] | None = None) -> str:
    """Serialize a graph as canonical Turtle.

    >>> g = parse_turtle('@prefix gfmd: <https://w3id.org/gfmd/ontology#> . '
    ...                  'gfmd:B a gfmd:C ; gfmd:p "x"@en . gfmd:A a gfmd:C .')
    >>> print(format_graph(g))
    @prefix gfmd: <https://w3id.org/gfmd/ontology#> .
    <BLANKLINE>
    gfmd:A a gfmd:C .
    <BLANKLINE>
    gfmd:B a gfmd:C ;
        gfmd:p "x"@en .
    <BLANKLINE>
    """
    prefixes = dict(PREFIXES)
    for prefix, ns in (extra_prefixes or {}).items():
        if prefix and prefix not in prefixes and str(ns) not in prefixes.values():
            prefixes[prefix] = str(ns)
    return _Writer(graph, prefixes).document()


def format_turtle(text: str, *, source: str | Path = "<string>") -> str:
    """Return the canonical form of a Turtle document (keeping its own prefixes)."""
    graph = parse_turtle(text, source=source)
    own = {p: str(ns) for p, ns in graph.namespaces()}
    return format_graph(graph, extra_prefixes=own)


def format_file(path: Path, *, check: bool = False) -> bool:
    """Rewrite ``path`` canonically; return True if it was (or would be) changed."""
    original = path.read_text(encoding="utf-8")
    canonical = format_turtle(original, source=path)
    if canonical == original:
        return False
    if not check:
        path.write_text(canonical, encoding="utf-8")
    return True
