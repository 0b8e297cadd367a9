"""SHACL validation of the data (with the ontology) against the shapes.

Two engines share the work, and together they give the same results as pyshacl
alone (checked on the real data, on the base plus each invalid fixture of the
shapes, and on the real data with every fixture added):

* SHACL-Core (the node and property shapes of ``shapes/structure.ttl``) is
  validated by pyshacl, which is fast on it.
* SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``, as in
  ``shapes/rules.ttl``) are evaluated here over pyoxigraph. This is an
  implementation of SHACL-SPARQL (SHACL §5) over a faster SPARQL engine than
  rdflib's. pyshacl runs each SELECT once per focus node through rdflib, parsing
  the query text again every time: on the real data that was 6,545 queries,
  about 98% of the time of a validation, most of it in the SPARQL parser.

How a SPARQL constraint is evaluated (SHACL §5.3). The focus nodes of its shape
are those of the shape's targets (``sh:targetClass`` with ``rdfs:subClassOf*``
in the data graph, implicit class targets, ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``). ``$this`` (and
``$currentShape``) are pre-bound. When the query allows it, the SELECT runs
*once*: a sub-select that yields ``$this`` for every focus node (and the shape
as ``$currentShape``) is joined as the first element of the WHERE clause, so
``$this`` is bound wherever the top-level group of the query uses it. That is
the same as pre-binding except where ``$this`` is used in a nested group whose
own evaluation would depend on it being bound, so :func:`_plan` inspects the
query's algebra and runs only the queries free of such uses that way; the
others run once per focus node with pyoxigraph's substitution of ``$this``
(SEP-0007, the semantics of pre-binding). Each solution is one result, as in
pyshacl (duplicate solutions of one focus node collapse): focus ``$this``,
path ``?path``, value ``?value`` (the focus node when unbound), severity of the
shape, messages of the shape and the constraint with ``{?var}``/``{$var}``
replaced by the solution's values, source shape the constraint node. A
constraint this module cannot evaluate (a property shape's constraint, one
using ``$PATH`` or ``$shapesGraph``, one on a shape referenced by other shapes
or with SPARQL-based targets) is left to pyshacl, as before.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH


@dataclass(frozen=True)
class ShaclResult:
    """One SHACL validation result, flattened."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str | None
    value: str | None
    message: str
    source_shape: str  # the SPARQL constraint for sh:sparql results, else the shape


def shacl_validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> list[ShaclResult]:
    """Validate ``data`` (merged with ``ontology``) against ``shapes``; return every result.

    The ontology is merged into the data graph so that ``sh:targetClass`` reaches
    instances of subclasses (SHACL follows ``rdfs:subClassOf`` in the data graph).
    """
    graph = _merge(data, ontology)
    if (None, SH.rule, None) in shapes:  # SHACL rules add triples before validation: all to pyshacl
        return _sorted(pyshacl_validate_graph(graph, shapes))
    with _LOCK:  # the split is shared between calls, and pyshacl adds a few triples to its shapes graph
        constraints, core_shapes = _split(shapes)
        results: list[ShaclResult] = []
        if constraints:
            try:
                store, terms = _to_oxigraph(graph)
            except ValueError:  # a term pyoxigraph rejects (e.g. an IRI with a space)
                return _sorted(pyshacl_validate_graph(graph, shapes))
            for constraint in constraints:
                results.extend(constraint.evaluate(store, terms))
        results.extend(pyshacl_validate_graph(graph, core_shapes))
    return _sorted(results)


def pyshacl_validate_graph(graph: Graph, shapes: Graph) -> list[ShaclResult]:
    """Validate ``graph`` against ``shapes`` with pyshacl alone (every constraint, SPARQL ones too).

    pyshacl works on ``graph`` itself, not on a copy (SHACL rules would add to it): pass a graph
    of your own.
    """
    import pyshacl  # slow import, only needed here

    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, inplace=True,
    )
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        messages = [str(m) for m in report.objects(node, SH.resultMessage)]
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        results.append(ShaclResult(
            severity=_severity(severity),
            focus=str(report.value(node, SH.focusNode)),
            path=str(path) if isinstance(path, URIRef) else None,
            value=None if value is None else str(value),
            message=" ".join(sorted(set(messages))) or "Constraint violated",
            source_shape=str(report.value(node, SH.sourceConstraint) or report.value(node, SH.sourceShape)),
        ))
    return results


def _merge(data: Graph, ontology: Graph | None) -> Graph:
    graph = Graph()
    for triple in data:
        graph.add(triple)
    if ontology is not None:
        for triple in ontology:
            graph.add(triple)
    return graph


def _sorted(results: list[ShaclResult]) -> list[ShaclResult]:
    return sorted(results, key=lambda r: (r.severity != "Violation", r.focus, r.path or "", r.message,
                                          r.value or "", r.source_shape))


def _severity(node) -> str:
    return str(node).rsplit("#", 1)[-1] if node else "Violation"


# --- SHACL-SPARQL over pyoxigraph -------------------------------------------------------------

_PREBOUND = ("this", "currentShape")
# Shapes whose focus nodes come from another shape, not from targets alone: leave those to pyshacl.
_SHAPE_REFERENCES = (SH.node, SH.property, SH.qualifiedValueShape, SH["not"], RDF.first)


@dataclass(frozen=True)
class _Constraint:
    """One ``sh:sparql`` constraint of one node shape, ready to run over pyoxigraph."""

    shape: URIRef | BNode
    node: URIRef | BNode
    query: str  # with its PREFIX declarations
    batch: bool  # run once for all focus nodes (else once per focus node)
    prebound: frozenset[str]  # the pre-bound variables the query uses
    targets: str  # a SPARQL group pattern binding ?this to every focus node
    severity: str
    messages: tuple[str, ...]

    def evaluate(self, store, terms: dict) -> list[ShaclResult]:
        from pyoxigraph import NamedNode, Variable

        shape = NamedNode(str(self.shape)) if "currentShape" in self.prebound else None
        solutions = []  # (focus, {variable name: term}) in order
        if self.batch:
            extra = f" ({shape} AS ?currentShape)" if shape is not None else ""
            subselect = f"{{ SELECT DISTINCT ?this{extra} WHERE {{ {self.targets} }} }}"
            query = _insert_into_where(self.query, subselect)
            result = store.query(query)
            names = [v.value for v in result.variables]
            for row in result:
                values = {n: row[n] for n in names if row[n] is not None}
                solutions.append((values.get("this"), values))
        else:
            focus_nodes = [row["this"] for row in store.query(f"SELECT DISTINCT ?this WHERE {{ {self.targets} }}")]
            for focus in focus_nodes:
                substitutions = {Variable("this"): focus} if "this" in self.prebound else {}
                if shape is not None:
                    substitutions[Variable("currentShape")] = shape
                result = store.query(self.query, substitutions=substitutions)
                names = [v.value for v in result.variables]
                for row in result:
                    values = {n: row[n] for n in names if row[n] is not None}
                    values.setdefault("this", focus)
                    solutions.append((focus, values))
        out = []
        seen = set()
        for focus, values in solutions:
            key = (focus, True) if "failure" in values else (focus, frozenset(values.items()))
            if focus is None or key in seen:  # pyshacl keeps one result per distinct solution
                continue
            seen.add(key)
            out.append(self._result(focus, values, terms))
        return out

    def _result(self, focus, values: dict, terms: dict) -> ShaclResult:
        def show(term) -> str:
            return terms.get(term, term.value) if term is not None else None

        if "failure" in values:  # as pyshacl: one result for the focus node, the solution in its message
            path = value = None
            fields = {n: v for n, v in values.items() if n != "failure"}
        else:
            bound = {n: v for n, v in values.items() if n not in ("path", "value", "this")}
            path = values.get("path")
            value = values.get("value", focus)
            fields = dict(bound, this=values.get("this", focus))
            if path is not None:
                fields["path"] = path
            fields["value"] = value
        messages = []
        for message in self.messages:
            for name, term in fields.items():  # as pyshacl does: {?name} and {$name}
                message = re.sub("{[?$]" + name + "}", show(term), message)
            messages.append(message)
        from pyoxigraph import NamedNode

        return ShaclResult(
            severity=self.severity,
            focus=show(focus),
            path=path.value if isinstance(path, NamedNode) else None,
            value=show(focus if "failure" in values else value),
            message=" ".join(sorted(set(messages))) or "Constraint violated",
            source_shape=str(self.node),
        )


_SPLITS: dict[frozenset, tuple[list[_Constraint], Graph]] = {}
_LOCK = threading.RLock()


def _split(shapes: Graph) -> tuple[list[_Constraint], Graph]:
    """The SPARQL constraints evaluated here, and the shapes graph left for pyshacl (without them).

    Remembered for the last few shapes graphs (by content: a test validates many small graphs
    against the same shapes).
    """
    key = frozenset(shapes)
    if key not in _SPLITS:
        if len(_SPLITS) >= 4:
            _SPLITS.pop(next(iter(_SPLITS)))
        _SPLITS[key] = _split_uncached(shapes)
    return _SPLITS[key]


def _split_uncached(shapes: Graph) -> tuple[list[_Constraint], Graph]:
    constraints = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        constraint = _constraint(shapes, shape, node)
        if constraint is not None:
            constraints.append(constraint)
    if not constraints:
        return [], shapes
    handled = {(c.shape, c.node) for c in constraints}
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace, override=True)
    for triple in shapes:
        if triple[1] == SH.sparql and (triple[0], triple[2]) in handled:
            continue
        core.add(triple)
    return constraints, core


def _constraint(shapes: Graph, shape, node) -> _Constraint | None:
    """The plan to evaluate one ``sh:sparql`` constraint here, or None to leave it to pyshacl."""
    if (shape, SH.path, None) in shapes or (shape, SH.target, None) in shapes:
        return None
    if any((None, p, shape) in shapes for p in _SHAPE_REFERENCES):
        return None
    for subject in (shape, node):
        if any(bool(getattr(d, "value", False)) for d in shapes.objects(subject, SH.deactivated)):
            return None
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        return None
    select = str(selects[0])
    if re.search(r"[$?](PATH|shapesGraph)\b", select):
        return None
    targets = _targets(shapes, shape)
    if targets is None:
        return None
    messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
    messages += [m for m in shapes.objects(node, SH.message) if isinstance(m, Literal) and m not in messages]
    query = _prefixes(shapes, node) + select
    plan = _plan(query)
    if plan is None:
        return None
    return _Constraint(
        shape=shape, node=node, query=query, batch=plan[0] == "batch", prebound=plan[1], targets=targets,
        severity=_severity(shapes.value(shape, SH.severity)),
        messages=tuple(str(m) for m in messages),
    )


def _targets(shapes: Graph, shape) -> str | None:
    """A SPARQL group pattern binding ?this to the focus nodes of the shape's targets."""
    classes = set(shapes.objects(shape, SH.targetClass))
    class_types = {RDFS.Class, *shapes.subjects(RDFS.subClassOf, RDFS.Class)}  # as pyshacl
    if class_types & set(shapes.objects(shape, RDF.type)):
        classes.add(shape)  # implicit class target
    nodes = set(shapes.objects(shape, SH.targetNode))
    subjects_of = set(shapes.objects(shape, SH.targetSubjectsOf))
    objects_of = set(shapes.objects(shape, SH.targetObjectsOf))
    if any(isinstance(t, BNode) for t in classes | nodes | subjects_of | objects_of):
        return None
    if any(isinstance(t, Literal) for t in classes | subjects_of | objects_of):
        return None
    parts = []
    if classes:
        values = " ".join(str(_ox_term(c)) for c in sorted(classes))
        parts.append("{ VALUES ?gfmd_class { " + values + " } ?this "
                     "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                     "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?gfmd_class }")
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(str(_ox_term(n)) for n in sorted(nodes)) + " } }")
    for p in sorted(subjects_of):
        parts.append(f"{{ ?this {_ox_term(p)} ?gfmd_object }}")
    for p in sorted(objects_of):
        parts.append(f"{{ ?gfmd_subject {_ox_term(p)} ?this }}")
    if not parts:
        return "FILTER(false)"
    return " UNION ".join(parts)


def _prefixes(shapes: Graph, node) -> str:
    """PREFIX declarations of a constraint's ``sh:prefixes``, collected as pyshacl does."""
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    everywhere = {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    for holder in shapes.objects(node, SH.prefixes):
        declares = set(shapes.objects(holder, SH.declare))
        if not (declares and holder in ontologies):
            declares |= everywhere
        for declare in sorted(declares):
            prefix, namespace = shapes.value(declare, SH.prefix), shapes.value(declare, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())


@lru_cache(maxsize=256)
def _plan(query: str) -> tuple[str, frozenset[str]] | None:
    """How to run a constraint's query, and the pre-bound variables it uses; None: leave it to pyshacl.

    "batch" (once for all focus nodes) needs the query to project ``$this`` and to use the
    pre-bound variables only where a join with the focus nodes at the start of its WHERE
    clause binds them: anywhere in triple patterns (whose solutions the join then restricts),
    but in expressions (FILTER, BIND, aggregates) and OPTIONAL bodies only at the top level
    of the WHERE clause, and with no LIMIT/OFFSET (which would apply to all focus nodes
    together). Otherwise "each" (once per focus node, with pyoxigraph's substitution, which
    needs the substituted variables in the projection).
    """
    from pyoxigraph import Store

    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    try:  # pyshacl refuses some queries (MINUS, VALUES, ...): keep its behaviour for them
        SPARQLQueryHelper(None, None, query).check_invalid_sparql(query)
    except Exception:
        return None
    try:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        algebra = translateQuery(parseQuery(query)).algebra
        Store().query(query)  # pyoxigraph parses it too
    except Exception:
        return None
    if algebra.name != "SelectQuery":
        return None
    projected = {str(v) for v in algebra.get("PV") or []}
    used = frozenset(v for v in _PREBOUND if _mentions(algebra.p, (v,)))
    if "this" in projected and _insert_position(query) is not None and _spine_ok(algebra.p):
        return "batch", used
    if used <= projected:
        return "each", used
    return None


def _mentions(node, names=_PREBOUND) -> bool:
    from rdflib.term import Variable

    if isinstance(node, Variable):
        return str(node) in names
    if isinstance(node, dict):  # CompValue
        return any(_mentions(v, names) for k, v in node.items() if k not in ("_vars", "PV"))
    if isinstance(node, (list, tuple, set, frozenset)):
        return any(_mentions(v, names) for v in node)
    if hasattr(node, "args"):  # property paths
        return any(_mentions(v, names) for v in node.args)
    return False


def _spine_ok(node) -> bool:
    """The top-level group, where the join with the focus nodes is in scope."""
    name = getattr(node, "name", None)
    if name in ("Project", "Distinct", "Reduced", "OrderBy", "Group", "AggregateJoin"):
        return _spine_ok(node.p)
    if name == "Filter":
        return _spine_ok(node.p)
    if name == "Extend":  # no BIND to a pre-bound variable, but rdflib's own one for GROUP BY $this
        rebinds = str(node.var) in _PREBOUND and not str(node.expr).startswith("__agg_")
        return not rebinds and _spine_ok(node.p)
    if name == "LeftJoin":
        return _spine_ok(node.p1) and _nested_ok(node.p2)
    if name == "Join":
        return _spine_ok(node.p1) and _nested_ok(node.p2)
    if name == "Minus":
        return _spine_ok(node.p1) and not _mentions(node.p2)
    return _nested_ok(node)


def _nested_ok(node) -> bool:
    """A pattern evaluated on its own, then joined: pre-bound variables only in triple patterns."""
    if not _mentions(node):
        return True
    name = getattr(node, "name", None)
    if name == "BGP":
        return True
    if name in ("Join", "Union"):
        return _nested_ok(node.p1) and _nested_ok(node.p2)
    if name == "Graph":
        return _nested_ok(node.p)
    if name in ("Filter", "Extend"):
        return not _mentions(node.expr) and _nested_ok(node.p)
    if name == "LeftJoin":
        return not _mentions(node.p2) and not _mentions(node.get("expr")) and _nested_ok(node.p1)
    return False


_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*', re.S)


def _insert_position(query: str) -> int | None:
    """Index just after the ``{`` opening the WHERE clause (skipping strings, IRIs, comments)."""
    depth = 0
    i = 0
    while i < len(query):
        match = _SKIP.match(query, i)
        if match:
            i = match.end()
            continue
        char = query[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            return i + 1
        i += 1
    return None


def _insert_into_where(query: str, pattern: str) -> str:
    position = _insert_position(query)
    return query[:position] + " " + pattern + " " + query[position:]


def _ox_term(term):
    """The pyoxigraph term of an rdflib IRI or literal."""
    from pyoxigraph import Literal as OxLiteral
    from pyoxigraph import NamedNode

    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return OxLiteral(str(term), language=term.language)
        if term.datatype is not None:
            return OxLiteral(str(term), datatype=NamedNode(str(term.datatype)))
        return OxLiteral(str(term))
    raise ValueError(f"not an IRI or literal: {term!r}")


def _to_oxigraph(graph: Graph):
    """A pyoxigraph store holding ``graph``, and the rdflib names of its blank nodes."""
    from pyoxigraph import BlankNode, DefaultGraph, Quad, Store

    converted: dict = {}
    names: dict = {}  # pyoxigraph blank node -> the rdflib blank node's id

    def convert(term):
        found = converted.get(term)
        if found is None:
            if isinstance(term, BNode):
                found = BlankNode()
                names[found] = str(term)
            else:
                found = _ox_term(term)
            converted[term] = found
        return found

    default = DefaultGraph()
    store = Store()
    store.bulk_extend(Quad(convert(s), convert(p), convert(o), default) for s, p, o in graph)
    return store, names
