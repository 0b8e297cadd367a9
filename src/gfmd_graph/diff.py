"""What changed in the graph between two snapshots, by resource, and that change as a report.

:func:`compute_diff` compares two loaded projects statement by statement and groups the
differences by subject: a resource is *added* or *removed* when it is the subject of
statements on one side only, *altered* when its statements or their references differ.
Statement references (``owl:Axiom`` nodes carrying ``gfmd:sourcePassage``) are not
resources: a changed reference is reported on the statement it annotates. Other blank
nodes (OWL class expressions, SHACL property shapes, lists) are compared by their
content, written out as Turtle. The renderers turn a :class:`GraphDiff` into terminal
text, a markdown pull-request comment, JSON or a CHANGELOG section.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .namespaces import GFMD, PREFIXES
from .snapshot import Location, Snapshot
from .turtle_format import natural_key

#: Version of the JSON layout written by :func:`render_json` (raised when a key changes meaning).
JSON_VERSION = 1

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_AXIOM_PARTS = {OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget}
_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title, URIRef("http://www.w3.org/ns/shacl#name"))
_NO_KIND = "(no type)"


def compact(iri: str) -> str:
    """The project's prefixed name of an IRI, or ``<iri>`` when no prefix fits.

    >>> compact("https://w3id.org/gfmd/id/summit/2007"), compact("http://example.org/x")
    ('summit:2007', '<http://example.org/x>')
    """
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            local = iri[len(ns):]
            if local == "" or _PN_LOCAL.match(local):
                best = prefix
    return f"<{iri}>" if best is None else f"{best}:{iri[len(PREFIXES[best]):]}"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def term_text(graph, node, _seen: frozenset = frozenset()) -> str:
    """A term written as in the project's Turtle; blank nodes by their content, lists as ``( … )``.

    >>> term_text(None, Literal("Brussels", lang="en")), term_text(None, Literal(2007))
    ('"Brussels"@en', '2007')
    """
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, Literal):
        lex = str(node)
        if node.language:
            return f'"{_escape(lex)}"@{node.language}'
        if node.datatype in (None, XSD.string):
            return f'"{_escape(lex)}"'
        if node.datatype in (XSD.integer, XSD.boolean) and re.fullmatch(r"[+-]?[0-9]+|true|false", lex):
            return lex
        return f'"{_escape(lex)}"^^{compact(str(node.datatype))}'
    if node == RDF.nil:
        return "()"
    if node in _seen:
        return "[…]"
    seen = _seen | {node}
    items = _list_items(graph, node)
    if items is not None:
        return "( " + " ".join(term_text(graph, item, seen) for item in items) + " )"
    parts = sorted(f"{_predicate_text(p)} {term_text(graph, o, seen)}" for p, o in graph.predicate_objects(node))
    return "[ " + " ; ".join(parts) + " ]" if parts else "[]"


def _predicate_text(p) -> str:
    return "a" if p == RDF.type else compact(str(p))


def _list_items(graph, node) -> list | None:
    items, cell = [], node
    while cell != RDF.nil:
        first, rest = graph.value(cell, RDF.first), graph.value(cell, RDF.rest)
        if first is None or rest is None or len(items) > 10000:
            return None
        items.append(first)
        cell = rest
    return items


@dataclass(frozen=True)
class StatementChange:
    """One statement of a resource that differs: ``added``, ``removed``, ``changed`` (the one value
    of a property replaced) or ``reference`` (same statement, other source passages)."""

    change: str
    property: str
    property_label: str | None
    old: str | None = None
    new: str | None = None
    old_references: tuple[str, ...] = ()
    new_references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceChange:
    """A resource that was added, removed or altered, with where its block is on each side."""

    iri: str
    curie: str
    label: str | None
    kind: str
    kind_label: str | None
    types: tuple[str, ...]
    change: str
    base: Location | None
    head: Location | None
    statements: tuple[StatementChange, ...] = ()

    @property
    def location(self) -> Location | None:
        """The block on the side where the resource is now (the base side for a removed one)."""
        return self.head or self.base


@dataclass
class GraphDiff:
    """Every changed resource between a base and a head snapshot, sorted by kind and name."""

    base: str
    head: str
    base_revision: str | None = None
    head_revision: str | None = None
    resources: list[ResourceChange] = field(default_factory=list)

    def counts(self) -> dict[str, Counter]:
        """Per kind, how many resources were added, removed, altered."""
        out: dict[str, Counter] = {}
        for r in self.resources:
            out.setdefault(r.kind, Counter())[r.change] += 1
        return out

    def kind_labels(self) -> dict[str, str | None]:
        return {r.kind: r.kind_label for r in self.resources}

    def totals(self) -> Counter:
        return Counter(r.change for r in self.resources)


class TripleIndex:
    """The triples of several graphs by subject: the few look-ups the comparison needs, fast.

    >>> g = Graph(); _ = g.add((URIRef("x:a"), RDF.type, URIRef("x:C")))
    >>> list(TripleIndex([g]).objects(URIRef("x:a"), RDF.type))
    [rdflib.term.URIRef('x:C')]
    """

    def __init__(self, graphs) -> None:
        self.by_subject: dict = defaultdict(lambda: defaultdict(list))
        for graph in graphs:
            for s, p, o in graph:
                self.by_subject[s][p].append(o)

    def objects(self, s, p) -> list:
        by = self.by_subject.get(s)
        return by.get(p, []) if by else []

    def value(self, s, p):
        values = self.objects(s, p)
        return values[0] if values else None

    def predicate_objects(self, s):
        for p, objects in self.by_subject.get(s, {}).items():
            for o in objects:
                yield p, o

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self.objects(s, p)


@dataclass
class _Side:
    """One snapshot reduced to what the comparison needs."""

    graph: TripleIndex
    statements: dict[URIRef, dict[tuple[URIRef, str], tuple[str, ...]]]
    references: dict[URIRef, dict[tuple[URIRef, str], tuple[str, ...]]]
    snapshot: Snapshot


def _side(snapshot: Snapshot) -> _Side:
    graph = TripleIndex(snapshot.loaded.graphs.values())
    statements: dict = defaultdict(dict)
    references: dict = defaultdict(lambda: defaultdict(set))
    axioms = []
    for s, by in graph.by_subject.items():
        if isinstance(s, URIRef):
            statements[s] = {(p, term_text(graph, o)): () for p, objects in by.items() for o in objects}
        elif OWL.Axiom in by.get(RDF.type, ()):
            axioms.append(s)
    for axiom in axioms:
        source, prop = graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedProperty)
        target = graph.value(axiom, OWL.annotatedTarget)
        if not isinstance(source, URIRef) or prop is None or target is None:
            continue
        refs = references[source][(prop, term_text(graph, target))]
        for p, o in graph.predicate_objects(axiom):
            if p == GFMD.sourcePassage:
                refs.add(str(o))
            elif p != RDF.type and p not in _AXIOM_PARTS:
                refs.add(f"{_predicate_text(p)} {term_text(graph, o)}")
    frozen = {s: {k: tuple(sorted(v, key=natural_key)) for k, v in by.items()} for s, by in references.items()}
    return _Side(graph, dict(statements), frozen, snapshot)


def _label(graph, node) -> str | None:
    for prop in _LABELS:
        values = list(graph.objects(node, prop))
        if values:
            english = [v for v in values if isinstance(v, Literal) and v.language in ("en", None)]
            return str(sorted(english or values)[0])
    return None


def _kind(graph, node) -> tuple[str, tuple[str, ...]]:
    """The resource's kind (its most general class, project classes first) and all its types."""
    types = sorted({t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)}, key=str)
    if not types:
        return _NO_KIND, ()
    own = [t for t in types if str(t).startswith(str(GFMD))] or types
    general = [t for t in own if not any(o != t and (t, RDFS.subClassOf, o) in graph for o in own)] or own
    chosen = min(general, key=lambda t: natural_key(compact(str(t))))
    return compact(str(chosen)), tuple(compact(str(t)) for t in types)


def _property_label(graph, prop: URIRef) -> str | None:
    return _label(graph, prop)


def _refs(side: _Side, s, key) -> tuple[str, ...]:
    return side.references.get(s, {}).get(key, ())


def _statement_changes(base: _Side, head: _Side, s: URIRef) -> list[StatementChange]:
    before, after = base.statements.get(s, {}), head.statements.get(s, {})
    removed = [k for k in before if k not in after]
    added = [k for k in after if k not in before]
    values_before: Counter = Counter(p for p, _ in before)
    values_after: Counter = Counter(p for p, _ in after)
    changes: list[StatementChange] = []
    by_prop: dict = defaultdict(lambda: ([], []))
    for key in removed:
        by_prop[key[0]][0].append(key)
    for key in added:
        by_prop[key[0]][1].append(key)
    label_graph = head.graph if s in head.statements else base.graph
    for prop, (gone, new) in by_prop.items():
        label = _property_label(label_graph, prop) or _property_label(base.graph, prop)
        name = _predicate_text(prop)
        if len(gone) == 1 and len(new) == 1 and values_before[prop] == 1 and values_after[prop] == 1:
            changes.append(StatementChange("changed", name, label, gone[0][1], new[0][1],
                                           _refs(base, s, gone[0]), _refs(head, s, new[0])))
            continue
        changes.extend(StatementChange("removed", name, label, old=k[1], old_references=_refs(base, s, k))
                       for k in gone)
        changes.extend(StatementChange("added", name, label, new=k[1], new_references=_refs(head, s, k))
                       for k in new)
    kept = set(before) & set(after)
    cited = set(base.references.get(s, {})) | set(head.references.get(s, {}))
    for key in kept | (cited - set(before) - set(after)):
        old, new = _refs(base, s, key), _refs(head, s, key)
        if old != new:
            changes.append(StatementChange("reference", _predicate_text(key[0]), _property_label(label_graph, key[0]),
                                           key[1], key[1], old, new))
    order = {"a": (0, [])}
    changes.sort(key=lambda c: (order.get(c.property, (1, natural_key(c.property))),
                                natural_key(c.old or c.new or ""), c.change))
    return changes


def compute_diff(base: Snapshot, head: Snapshot) -> GraphDiff:
    """Compare two snapshots: every resource added, removed or altered, sorted by kind and name."""
    b, h = _side(base), _side(head)
    subjects = set(b.statements) | set(h.statements) | set(b.references) | set(h.references)
    out = GraphDiff(base=base.name, head=head.name, base_revision=base.revision, head_revision=head.revision)
    for s in subjects:
        in_base, in_head = s in b.statements, s in h.statements
        if in_base and in_head:
            statements = _statement_changes(b, h, s)
            if not statements:
                continue
            change = "altered"
        elif in_head or in_base:
            change = "added" if in_head else "removed"
            statements = _statement_changes(b, h, s)
        else:
            statements = _statement_changes(b, h, s)  # references of statements made on neither side
            if not statements:
                continue
            change = "altered"
        graph = h.graph if in_head else b.graph
        kind, types = _kind(graph, s)
        kind_label = _label(graph, URIRef(_expand(kind))) if kind != _NO_KIND else None
        iri = str(s)
        out.resources.append(ResourceChange(
            iri=iri, curie=compact(iri), label=_label(graph, s), kind=kind, kind_label=kind_label, types=types,
            change=change, base=base.blocks.get(iri) if in_base else None,
            head=head.blocks.get(iri) if in_head else None, statements=tuple(statements)))
    rank = {"added": 0, "altered": 1, "removed": 2}
    out.resources.sort(key=lambda r: (natural_key(r.kind), rank[r.change], natural_key(r.curie)))
    return out


def _expand(curie: str) -> str:
    if curie.startswith("<"):
        return curie[1:-1]
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


# -- rendering ----------------------------------------------------------------------------

_SIGN = {"added": "+", "removed": "-", "altered": "~"}


def shorten(text: str, limit: int = 160) -> str:
    """Cut a long value in its middle.

    >>> shorten("x" * 10, 20), len(shorten("x" * 300))
    ('xxxxxxxxxx', 160)
    """
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - (limit - 1 - half):]


def shorten_pair(old: str, new: str, limit: int = 160) -> tuple[str, str]:
    """Two long values cut to the part where they differ, with a little context.

    >>> shorten_pair('"a' + "x" * 300 + 'b"', '"a' + "x" * 300 + 'c"', 20)
    ('…xxxxxxxxxxb"', '…xxxxxxxxxxc"')
    """
    if len(old) <= limit and len(new) <= limit:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    context = 10

    def cut(text: str) -> str:
        a, z = max(0, start - context), len(text) - max(0, end - context)
        body = text[a:z]
        return ("…" if a else "") + shorten(body, limit) + ("…" if z < len(text) else "")

    return cut(old), cut(new)


def _refs_text(refs: tuple[str, ...]) -> str:
    return ", ".join(refs) if refs else "none"


def statement_lines(change: StatementChange, *, limit: int = 160) -> list[str]:
    """One statement change as report lines (``+``/``-`` statement, ``old -> new``, reference)."""
    if change.change == "changed":
        old, new = shorten_pair(change.old or "", change.new or "", limit)
        lines = [f"{change.property}: {old} -> {new}"]
        if change.old_references != change.new_references:
            lines.append(f"  reference: {_refs_text(change.old_references)} -> {_refs_text(change.new_references)}")
        return lines
    if change.change == "reference":
        return [f"reference of {change.property} {shorten(change.new or '', limit)}: "
                f"{_refs_text(change.old_references)} -> {_refs_text(change.new_references)}"]
    value = change.new if change.change == "added" else change.old
    refs = change.new_references if change.change == "added" else change.old_references
    line = f"{'+' if change.change == 'added' else '-'} {change.property} {shorten(value or '', limit)}"
    return [line + (f"  [{_refs_text(refs)}]" if refs else "")]


def _where(r: ResourceChange, base_name: str) -> str:
    if r.head is not None:
        return str(r.head)
    if r.base is not None:
        return f"{r.base} (in {base_name})"
    return ""


def _heading(diff: GraphDiff) -> str:
    t = diff.totals()
    return (f"{diff.base} -> {diff.head}: {t['added']} added, {t['removed']} removed, "
            f"{t['altered']} altered resources")


def _kind_title(kind: str, label: str | None) -> str:
    return f"{kind} ({label})" if label else kind


def render_text(diff: GraphDiff) -> str:
    """The report for a terminal: per kind, one line per resource, the statements of altered ones."""
    lines = [_heading(diff)]
    labels = diff.kind_labels()
    current = None
    for r in diff.resources:
        if r.kind != current:
            current = r.kind
            lines += ["", _kind_title(r.kind, labels[r.kind])]
        label = f'  "{r.label}"' if r.label else ""
        lines.append(f"  {_SIGN[r.change]} {r.curie}{label}  {_where(r, diff.base)}".rstrip())
        if r.change == "altered":
            for st in r.statements:
                lines.extend("      " + line for line in statement_lines(st))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(diff: GraphDiff, *, fold_after: int = 10) -> str:
    """The report as a pull-request comment: a table of counts per kind, then the details,
    lists longer than ``fold_after`` items folded in ``<details>``."""
    t = diff.totals()
    out = ["### Knowledge graph changes", "",
           f"`{diff.base}` → `{diff.head}`: **{t['added']}** added, **{t['removed']}** removed, "
           f"**{t['altered']}** altered resources", ""]
    if not diff.resources:
        out.append("No resource changed.")
        return "\n".join(out) + "\n"
    counts, labels = diff.counts(), diff.kind_labels()
    out += ["| kind | added | removed | altered |", "|---|---:|---:|---:|"]
    for kind in sorted(counts, key=natural_key):
        c = counts[kind]
        out.append(f"| {_md(_kind_title(kind, labels[kind]))} | {c['added']} | {c['removed']} | {c['altered']} |")
    out += [f"| **total** | **{t['added']}** | **{t['removed']}** | **{t['altered']}** |", ""]
    for kind in sorted(counts, key=natural_key):
        for change in ("added", "altered", "removed"):
            items = [r for r in diff.resources if r.kind == kind and r.change == change]
            if not items:
                continue
            body = []
            for r in items:
                label = f" {_md(r.label)}" if r.label else ""
                where = f" — `{r.location}`" if r.location else ""
                body.append(f"- `{r.curie}`{label}{where}" + (f" (in `{diff.base}`)" if r.head is None and r.base else ""))
                if change == "altered":
                    body.append("  ```diff")
                    for st in r.statements:
                        for line in statement_lines(st):
                            body.append("  " + (line if line[:1] in "+-" else "! " + line))
                    body.append("  ```")
            title = f"{_kind_title(kind, labels[kind])}: {len(items)} {change}"
            if len(items) > fold_after or (change == "altered" and len(body) > 3 * fold_after):
                out += [f"<details><summary>{_md(title)}</summary>", "", *body, "", "</details>", ""]
            else:
                out += [f"#### {_md(title)}", "", *body, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def as_dict(diff: GraphDiff) -> dict:
    """The diff as plain data, the layout :func:`render_json` writes (see the README)."""
    counts, labels, t = diff.counts(), diff.kind_labels(), diff.totals()
    return {
        "version": JSON_VERSION,
        "base": {"name": diff.base, "revision": diff.base_revision},
        "head": {"name": diff.head, "revision": diff.head_revision},
        "summary": {"added": t["added"], "removed": t["removed"], "altered": t["altered"]},
        "kinds": [{"kind": k, "label": labels[k], "added": counts[k]["added"], "removed": counts[k]["removed"],
                   "altered": counts[k]["altered"]} for k in sorted(counts, key=natural_key)],
        "resources": [{
            "iri": r.iri, "curie": r.curie, "label": r.label, "kind": r.kind, "kind_label": r.kind_label,
            "types": list(r.types), "change": r.change,
            "base": asdict(r.base) if r.base else None, "head": asdict(r.head) if r.head else None,
            "statements": [{**asdict(st), "old_references": list(st.old_references),
                            "new_references": list(st.new_references)} for st in r.statements],
        } for r in diff.resources],
    }


def render_json(diff: GraphDiff) -> str:
    """The diff as JSON (keys: version, base, head, summary, kinds, resources; see the README)."""
    return json.dumps(as_dict(diff), indent=2, ensure_ascii=False) + "\n"


def _side_name(name: str, revision: str | None) -> str:
    """``name`` in code style, with the short commit when the name is not one (``HEAD (9582bf7)``)."""
    if revision and not revision.startswith(name):
        return f"`{name}` (`{revision[:7]}`)"
    return f"`{name}`"


def render_changelog(diff: GraphDiff, version: str, *, notable: int = 5) -> str:
    """A CHANGELOG.md section ``## VERSION``: counts per kind and the first additions of each kind."""
    t = diff.totals()
    out = [f"## {version}", "",
           f"Changes of the graph from {_side_name(diff.base, diff.base_revision)} to "
           f"{_side_name(diff.head, diff.head_revision)}: {t['added']} resources added, {t['removed']} removed, "
           f"{t['altered']} altered.", ""]
    counts, labels = diff.counts(), diff.kind_labels()
    if counts:
        out += ["| kind | added | removed | altered |", "|---|---:|---:|---:|"]
        for kind in sorted(counts, key=natural_key):
            c = counts[kind]
            out.append(f"| {_md(_kind_title(kind, labels[kind]))} | {c['added']} | {c['removed']} | {c['altered']} |")
        out.append("")
    additions = [(k, [r for r in diff.resources if r.kind == k and r.change == "added"]) for k in sorted(counts, key=natural_key)]
    additions = [(k, items) for k, items in additions if items]
    if additions:
        out += ["### Notable additions", ""]
        for kind, items in sorted(additions, key=lambda ki: (-len(ki[1]), natural_key(ki[0]))):
            names = [_md(shorten(r.label, 80)) if r.label else f"`{r.curie}`" for r in items[:notable]]
            more = f", and {len(items) - notable} more" if len(items) > notable else ""
            out.append(f"- {_md(_kind_title(kind, labels[kind]))}: {'; '.join(names)}{more}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
