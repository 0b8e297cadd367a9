"""SPARQL over the graph with pyoxigraph, and the named queries of ``queries/``.

A named query is a ``.rq`` file whose comment header names it and declares its
parameters::

    # title: GFMD summits and chairmanships
    # description: One row per summit year and chair.
    # param: year integer — only this year
    # param: document iri = doc:fof-2021-11-18-summary — the source document
    # param: key string required — a key that must be given

Parameter grammar (one ``# param:`` line per parameter)::

    <name> <type> [required | = <default>] [— <description>]

``<name>`` is the SPARQL variable the value binds (``[A-Za-z_][A-Za-z0-9_]*``,
without ``?``); ``<type>`` is one of :data:`PARAM_TYPES`; the description follows
an em dash or `` -- `` surrounded by spaces. A default is written like a value
(see :meth:`QueryParam.term`) and may be wrapped in double quotes. A parameter
without a value or default is left unbound; one marked ``required`` must be given.

Binding never touches the query body: the values are appended as one trailing
``VALUES (?a ?b) { (<term> <term>) }`` clause of strictly escaped N-Triples
terms, which any SPARQL 1.1 engine accepts after the solution modifiers.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import pyoxigraph as ox

from .errors import GfmdSyntaxError, QueryParameterError, ResultFormatError, UnknownQueryError
from .formats import Format, resolve
from .namespaces import PREFIXES
from .paths import queries_dir
from .result_writer import write_result
from .sparql_guard import inspect_query
from .store import EmbeddedStore

if TYPE_CHECKING:  # rdflib is loaded only where a graph is built from it
    from .load import LoadedGraph

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_XSD = "http://www.w3.org/2001/XMLSchema#"

#: Parameter types and the XSD datatype of their literals (``None``: not a typed literal).
PARAM_TYPES: dict[str, str | None] = {
    "iri": None,
    "string": _XSD + "string",
    "integer": _XSD + "integer",
    "decimal": _XSD + "decimal",
    "boolean": _XSD + "boolean",
    "date": _XSD + "date",
    "langstring": None,
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM_HEAD = re.compile(r"(?P<name>\S+)\s+(?P<type>\S+)(?:\s+(?P<required>required)|\s*=\s*(?P<default>.*))?")
_DESCRIPTION_SEP = re.compile(r"\s+(?:—|--)\s+|\s+—$|\s+--$")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _quote(text: str) -> str:
    """A double-quoted N-Triples string: ECHARs for the usual escapes, ``\\uXXXX`` for other controls."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("not valid Unicode text") from exc
    out = []
    for ch in text:
        if ch in _ECHAR:
            out.append(_ECHAR[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def expand_iri(value: str) -> str:
    """Expand a project prefixed name (``state:PHL``) or strip ``<…>``; return an absolute IRI.

    Raises ``ValueError`` if the result is not an absolute IRI or holds a character
    that IRIs may not contain (space, controls, ``<>"{}|^`\\``).

    >>> expand_iri("focusarea:2-2")
    'https://w3id.org/gfmd/id/focus-area/2-2'
    >>> expand_iri("<http://metadata.un.org/sdg/10.7>")
    'http://metadata.un.org/sdg/10.7'
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    if _IRI_FORBIDDEN.search(text):
        raise ValueError("an IRI may not contain spaces, control characters or any of <>\"{}|^`\\")
    if not _SCHEME.match(text):
        raise ValueError("not an absolute IRI (http://…, https://…, urn:…) or a known prefixed name")
    return text


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter of a named query."""

    name: str
    type: str
    default: str | None = None
    description: str = ""
    required: bool = False

    def term(self, value: Any) -> str:
        """The value as an N-Triples term, validated against the parameter's type.

        Strings are written as they are; ``iri`` takes ``http://…``, ``<http://…>`` or a
        project prefixed name (``focusarea:2-2``); ``integer`` ``-12``; ``decimal``
        ``1.5``; ``boolean`` ``true``/``false``/``1``/``0``; ``date`` ``2017-04-06``;
        ``langstring`` ``text@en``. Python ints, bools, Decimals, dates and rdflib
        terms are accepted too. Raises :class:`QueryParameterError` naming the
        parameter, the value and the expected type.

        >>> QueryParam("year", "integer").term("+2017")
        '"2017"^^<http://www.w3.org/2001/XMLSchema#integer>'
        >>> QueryParam("name", "string").term('say "hi"')
        '"say \\\\"hi\\\\""^^<http://www.w3.org/2001/XMLSchema#string>'
        """
        try:
            return _TERM_BUILDERS[self.type](value)
        except (ValueError, TypeError) as exc:
            raise QueryParameterError(
                f"parameter {self.name!r} expects {_ARTICLE[self.type]} {self.type}, got {value!r}: {exc}") from None

    def describe(self) -> str:
        """``name (type)`` with ``required`` or the default, for messages and help."""
        extra = ", required" if self.required else (f", default {self.default}" if self.default is not None else "")
        return f"{self.name} ({self.type}{extra})"


_ARTICLE = {t: "an" if t[0] in "aeiou" else "a" for t in PARAM_TYPES}


def _typed(lexical: str, type_: str) -> str:
    return f"{_quote(lexical)}^^<{PARAM_TYPES[type_]}>"


def _iri_term(value: Any) -> str:
    if isinstance(value, ox.NamedNode):
        value = value.value
    if not isinstance(value, str):
        raise TypeError("expected an IRI")
    return f"<{expand_iri(value)}>"


def _string_term(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return _typed(str(value), "string")


def _integer_term(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError("expected an integer such as 2017")
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value.strip()):
            raise ValueError("expected digits with an optional sign, such as 2017")
        value = int(value.strip())
    return _typed(str(value), "integer")


def _decimal_term(value: Any) -> str:
    if isinstance(value, bool):
        raise TypeError("expected a decimal number such as 1.5")
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value.strip()):
            raise ValueError("expected a decimal number such as 1.5")
        return _typed(value.strip(), "decimal")
    try:
        number = Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(repr(float(value)))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("expected a finite decimal number") from exc
    if not number.is_finite():
        raise ValueError("expected a finite decimal number")
    return _typed(format(number, "f"), "decimal")


def _boolean_term(value: Any) -> str:
    if isinstance(value, bool):
        return _typed("true" if value else "false", "boolean")
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return _typed("true" if value.strip().lower() in ("true", "1") else "false", "boolean")
    raise ValueError("expected true, false, 1 or 0")


def _date_term(value: Any) -> str:
    if isinstance(value, _dt.datetime) or not isinstance(value, (_dt.date, str)):
        raise TypeError("expected a date such as 2017-04-06")
    if isinstance(value, str):
        if not _DATE.fullmatch(value.strip()):
            raise ValueError("expected YYYY-MM-DD")
        value = _dt.date.fromisoformat(value.strip())
    return _typed(value.isoformat(), "date")


def _langstring_term(value: Any) -> str:
    if type(value).__name__ == "Literal" and getattr(value, "language", None):
        text, lang = str(value), value.language
    elif isinstance(value, str) and "@" in value:
        text, _, lang = value.rpartition("@")
    else:
        raise ValueError("expected text@language, such as Brussels@en")
    if not _LANG.fullmatch(lang):
        raise ValueError(f"{lang!r} is not a language tag")
    return f"{_quote(text)}@{lang}"


_TERM_BUILDERS = {"iri": _iri_term, "string": _string_term, "integer": _integer_term, "decimal": _decimal_term,
                  "boolean": _boolean_term, "date": _date_term, "langstring": _langstring_term}


def parse_param(spec: str) -> QueryParam:
    """Parse the text after ``# param:`` into a :class:`QueryParam`.

    >>> parse_param("year integer = 2017 — only this year")
    QueryParam(name='year', type='integer', default='2017', description='only this year', required=False)
    >>> parse_param("area iri required").required
    True
    """
    parts = _DESCRIPTION_SEP.split(spec.strip(), maxsplit=1)
    head, description = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    m = _PARAM_HEAD.fullmatch(head)
    if not m:
        raise QueryParameterError(f"bad parameter declaration {spec!r}: expected "
                                  "'<name> <type> [required | = <default>] [— <description>]'")
    name, type_, default = m.group("name"), m.group("type"), m.group("default")
    if not _NAME.fullmatch(name):
        raise QueryParameterError(f"bad parameter name {name!r}: letters, digits and _ only, not starting with a digit")
    if type_ not in PARAM_TYPES:
        raise QueryParameterError(f"parameter {name!r} has unknown type {type_!r}; types: {', '.join(PARAM_TYPES)}")
    if default is not None:
        default = default.strip()
        if len(default) >= 2 and default[0] == default[-1] == '"':
            default = default[1:-1]
    param = QueryParam(name, type_, default, description, bool(m.group("required")))
    if default is not None:
        param.term(default)  # a bad default fails where the query is declared
    return param


def bind(text: str, params: Iterable[QueryParam], values: Mapping[str, Any] | None = None) -> str:
    """Return ``text`` with the parameter values appended as a trailing ``VALUES`` clause.

    Values not given (or ``None``) fall back to the default, else stay unbound.
    Raises :class:`QueryParameterError` for an unknown name, a missing required
    parameter or a value of the wrong type.

    >>> print(bind("SELECT * WHERE { ?s ?p ?year }", [QueryParam("year", "integer")], {"year": "2007"}))
    SELECT * WHERE { ?s ?p ?year }
    VALUES (?year) { ("2007"^^<http://www.w3.org/2001/XMLSchema#integer>) }
    <BLANKLINE>
    """
    declared = {p.name: p for p in params}
    given = {k: v for k, v in (values or {}).items() if v is not None}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(p.describe() for p in declared.values()) or "no parameters"
        raise QueryParameterError(f"unknown parameter {unknown[0]!r} (value {given[unknown[0]]!r}); "
                                  f"this query takes: {takes}")
    names, terms = [], []
    for p in declared.values():
        if p.name in given:
            value = given[p.name]
        elif p.default is not None:
            value = p.default
        elif p.required:
            raise QueryParameterError(f"parameter {p.name!r} ({p.type}) is required and was not given")
        else:
            continue
        names.append(f"?{p.name}")
        terms.append(p.term(value))
    if not names:
        return text
    return f"{text.rstrip()}\nVALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file with its header (title, description, parameters)."""

    name: str
    path: Path | None
    title: str
    description: str
    text: str
    params: tuple[QueryParam, ...] = field(default_factory=tuple)

    @classmethod
    def from_text(cls, text: str, name: str = "query", path: Path | None = None) -> "NamedQuery":
        """Read the header of SPARQL text (any text: a missing header gives no title or parameters)."""
        meta: dict[str, list[str]] = {"title": [], "description": [], "param": []}
        for line in text.splitlines():
            m = _HEADER.match(line)
            if m:
                meta[m.group(1)].append(m.group(2).strip())
        try:
            params = tuple(parse_param(spec) for spec in meta["param"])
        except QueryParameterError as exc:
            raise QueryParameterError(f"{path or name}: {exc}") from None
        return cls(name=name, path=path, title=" ".join(meta["title"]) or name.rsplit("/", 1)[-1],
                   description=" ".join(meta["description"]), text=text, params=params)

    @classmethod
    def from_file(cls, path: Path, root: Path) -> "NamedQuery":
        name = path.relative_to(root).with_suffix("").as_posix()
        return cls.from_text(path.read_text(encoding="utf-8"), name=name, path=path)

    def bind(self, values: Mapping[str, Any] | None = None) -> str:
        """The query text with ``values`` (and defaults) bound; see :func:`bind`."""
        return bind(self.text, self.params, values)


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
        if loaded is None and set(kinds) == {"ontology", "data"}:
            # The served files straight into pyoxigraph, as the service loads them (no rdflib pass).
            embedded = EmbeddedStore()
            self.store = embedded.store
            self.graph_names = sorted(embedded.graph_names)
            return
        from .load import load_project

        loaded = loaded or load_project(kinds=kinds)
        self.store = ox.Store()
        for name, graph in loaded.graphs.items():
            if loaded.kind(name) not in kinds:
                continue
            data = graph.serialize(format="nt", encoding="utf-8")
            self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
        self.graph_names = sorted(str(n) for n in loaded.graphs if loaded.kind(n) in kinds)

    def query(self, sparql: str, **options: Any):
        """Run a SPARQL query over the union of all graphs; return pyoxigraph's result (read it once).

        A query with ``FROM`` / ``FROM NAMED`` runs over that dataset instead; a graph the
        store does not hold is an empty graph (it is never fetched).
        """
        info = inspect_query(sparql)
        if not (info.from_graphs or info.from_named_graphs or {"default_graph", "named_graphs"} & set(options)):
            options = {"use_default_graph_as_union": True, **options}
        try:
            return self.store.query(sparql, **options)
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

    def run_named(self, name: str, root: Path | None = None,
                  params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a named query (e.g. ``cq/cq02-gcm-objectives``) with its parameters bound."""
        return self.select(get_named(name, root).bind(params))


def get_named(name: str, root: Path | None = None) -> NamedQuery:
    """The named query ``name``; raises :class:`UnknownQueryError` listing the known ones."""
    queries = named_queries(root)
    if name not in queries:
        raise UnknownQueryError(f"no named query {name!r}; known: {', '.join(sorted(queries))}")
    return queries[name]


_QUERY_NAME = re.compile(r"[A-Za-z0-9_./\-]+")


def resolve_query(spec: str, root: Path | None = None) -> NamedQuery:
    """A named query (``cq/cq08-summits``), a query file, or SPARQL text, with its header read.

    Raises :class:`UnknownQueryError` for something that looks like a name but is none.
    """
    queries = named_queries(root)
    if spec in queries:
        return queries[spec]
    path = Path(spec)
    try:
        is_file = "\n" not in spec and path.is_file()
    except (OSError, ValueError):  # SPARQL text too long or odd for a file name
        is_file = False
    if is_file:
        return NamedQuery.from_text(path.read_text(encoding="utf-8"), name=path.stem, path=path)
    if _QUERY_NAME.fullmatch(spec):
        raise UnknownQueryError(f"no named query or query file {spec!r}; known: {', '.join(sorted(queries))}")
    return NamedQuery.from_text(spec)


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["year=2017", "area=focusarea:2-2"]`` as a dict; the value may itself hold ``=``.

    >>> parse_assignments(["year=2017", "q=a=b"])
    {'year': '2017', 'q': 'a=b'}
    """
    out: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise QueryParameterError(f"expected NAME=VALUE, got {item!r}")
        if name.strip() in out:
            raise QueryParameterError(f"parameter {name.strip()!r} given twice")
        out[name.strip()] = value
    return out


# -- results ------------------------------------------------------------------

def is_graph_result(result: Any) -> bool:
    """True for the triples of a CONSTRUCT or DESCRIBE query."""
    return isinstance(result, ox.QueryTriples)


def result_format(result: Any, fmt: str) -> Format:
    """The format ``fmt`` (a name or a media type) means for ``result``.

    For CONSTRUCT/DESCRIBE, ``json`` and ``xml`` mean JSON-LD and RDF/XML. Raises
    :class:`ResultFormatError` when the result cannot be written in it.
    """
    graph = is_graph_result(result)
    found = resolve(fmt, graph=graph)
    if found is None or found.carries == "dataset":
        kinds = "ttl, nt, jsonld or rdfxml" if graph else "json, xml, csv or tsv"
        raise ResultFormatError(f"a {'CONSTRUCT/DESCRIBE' if graph else 'SELECT/ASK'} result cannot be "
                                f"written as {fmt!r}; use {kinds}")
    return found


def result_media_type(result: Any, fmt: str) -> str:
    """The media type of ``result`` written as ``fmt`` (for an HTTP Content-Type)."""
    return result_format(result, fmt).media_type


def serialize_result(result: Any, fmt: str = "json") -> bytes:
    """Write a query result as the service does: SELECT/ASK as ``json``, ``xml``, ``csv``, ``tsv``;
    CONSTRUCT/DESCRIBE as ``ttl``, ``nt``, ``jsonld``, ``rdfxml``; or a media type.

    Turtle and RDF/XML use the project prefixes that occur in the triples. A result
    can be read only once.
    """
    target = result_format(result, fmt)
    if not is_graph_result(result):
        return write_result(result, target).body
    triples = list(result)
    return write_result(iter(triples), target, prefixes=used_prefixes(triples)).body


def used_prefixes(statements: Iterable[Any]) -> dict[str, str]:
    """The project prefixes whose namespace starts some IRI of the triples or quads."""
    iris = set()
    for st in statements:
        for term in (st.subject, st.predicate, st.object, getattr(st, "graph_name", None)):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    namespaces = {ns for ns in PREFIXES.values()}
    used = {ns for ns in namespaces if any(i.startswith(ns) for i in iris)}
    return {p: ns for p, ns in sorted(PREFIXES.items()) if ns in used}


def to_dataframe(result: Any):
    """A pandas DataFrame of rows from :meth:`GraphStore.select` or of a pyoxigraph result.

    SELECT gives one column per variable (values as in :func:`to_python`), ASK one
    ``boolean`` column, CONSTRUCT ``subject``/``predicate``/``object``. Needs pandas
    (``pip install 'gfmd-graph[dataframe]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_dataframe needs pandas: pip install 'gfmd-graph[dataframe]'") from exc
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"boolean": [bool(result)]})
    if isinstance(result, ox.QueryTriples):
        rows = [{"subject": t.subject.value, "predicate": t.predicate.value, "object": to_python(t.object)}
                for t in result]
        columns = ["subject", "predicate", "object"]
    elif isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [{c: to_python(s[c]) for c in columns} for s in result]
    else:
        rows = list(result)
        columns = list(dict.fromkeys(k for row in rows for k in row))
    return pd.DataFrame(rows, columns=columns).convert_dtypes()
