"""Inspect SPARQL text before it runs: its form, its dataset clauses and SERVICE calls.

An endpoint on the open web must not let a query read files or reach other hosts.
Engines resolve ``SERVICE <iri>`` by HTTP, and some resolve ``FROM <iri>`` or
``LOAD <iri>`` too. ``SERVICE`` outside an allow-list and updates are refused; the
graphs named by ``FROM`` / ``FROM NAMED`` are read so that a store can be given the
dataset explicitly, a graph it does not hold being an empty graph. The query is
tokenised (strings, IRIs, comments, prefixed names and variables recognised, as in
the SPARQL 1.1 grammar) and its keywords read from the tokens: a keyword inside a
string, an IRI, a comment or a prefixed name is never mistaken for one. The engine's
parser still decides whether the query is valid."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import GfmdError


class QueryRefused(GfmdError):
    """The query is well formed but asks for something the endpoint does not allow."""


def update_as_query(info: "QueryInfo", text: str) -> str | None:
    """If ``text``, sent as a query, is a SPARQL Update: the message saying so, with the parser's own.

    An update is not a query, so sent as one it is a malformed query (HTTP 400 in the W3C protocol),
    not a refused operation. The parser's message comes from parsing it as a query over an empty
    store, which never runs anything.
    """
    if info.form is not None or not info.update_keywords:
        return None
    import pyoxigraph as ox

    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        parser = str(exc)
    else:  # pragma: no cover - an update never parses as a query
        return None
    return (f"the query does not parse: {parser}. It is a SPARQL Update ({info.update_keywords[0]}), "
            "which is not a query; this endpoint is read-only and runs no updates")


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-:%.\\\u00B7-\uFFFF]*))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@dataclass(frozen=True)
class QueryInfo:
    """What the guard read from a query."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None if not found
    from_graphs: tuple[str, ...] = field(default_factory=tuple)
    from_named_graphs: tuple[str, ...] = field(default_factory=tuple)
    services: tuple[str, ...] = field(default_factory=tuple)  # IRIs, or "?var" for a variable endpoint
    update_keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    r"""Replace ``\uXXXX`` / ``\UXXXXXXXX`` escapes, which SPARQL processes before parsing (§19.2).

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str) -> list[tuple[str, str]]:
    """Split SPARQL text into ``(kind, text)`` tokens, dropping whitespace and comments.

    >>> tokens('SELECT * { ?s <http://x/> "SERVICE" } # SERVICE')
    [('word', 'SELECT'), ('other', '*'), ('other', '{'), ('var', '?s'), ('iri', '<http://x/>'), ('string', '"SERVICE"'), ('other', '}')]
    """
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        out.append((kind, m.group()))
    return out


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str | None) -> str:
    kind, text = token
    if kind == "iri":
        iri = text[1:-1]
        if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri):
            return base + iri
        return iri
    if kind == "pname":
        prefix, _, local = text.partition(":")
        return prefixes.get(prefix, prefix + ":") + local
    return text


def inspect_query(text: str) -> QueryInfo:
    """Read a query as the engine does and as an engine applying SPARQL's codepoint escapes does.

    Findings of both readings are combined, so that neither reading can hide a
    ``SERVICE`` or ``FROM`` from the guard.
    """
    raw = _inspect_tokens(tokens(text))
    escaped = unescape_codepoints(text)
    if escaped == text:
        return raw
    other = _inspect_tokens(tokens(escaped))
    return QueryInfo(
        form=raw.form or other.form,
        from_graphs=tuple(dict.fromkeys(raw.from_graphs + other.from_graphs)),
        from_named_graphs=tuple(dict.fromkeys(raw.from_named_graphs + other.from_named_graphs)),
        services=tuple(dict.fromkeys(raw.services + other.services)),
        update_keywords=tuple(dict.fromkeys(raw.update_keywords + other.update_keywords)),
    )


def _inspect_tokens(toks: list[tuple[str, str]]) -> QueryInfo:
    """Read the form, dataset clauses, SERVICE endpoints and update keywords from tokens.

    >>> info = inspect_query('PREFIX ex: <http://ex/> SELECT * FROM ex:g WHERE { SERVICE <http://a/sparql> { ?s ?p ?o } }')
    >>> info.form, info.from_graphs, info.services
    ('SELECT', ('http://ex/g',), ('http://a/sparql',))
    >>> inspect_query('SELECT ("SERVICE <http://a/>" AS ?x) { ex:SERVICE ?p ?SERVICE }').services
    ()
    """
    prefixes: dict[str, str] = {}
    base: str | None = None
    form = None
    froms: list[str] = []
    named: list[str] = []
    services: list[str] = []
    updates: list[str] = []
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        word = value.upper() if kind == "word" else None
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].rstrip(":")] = _resolve(toks[i + 2], {}, base)
            i += 3
            continue
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = toks[i + 1][1][1:-1]
            i += 2
            continue
        if word in _FORMS and form is None:
            form = word
        elif word == "FROM" and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt[0] == "word" and nxt[1].upper() == "NAMED" and i + 2 < len(toks):
                named.append(_resolve(toks[i + 2], prefixes, base))
                i += 3
                continue
            froms.append(_resolve(nxt, prefixes, base))
            i += 2
            continue
        elif word == "SERVICE" and i + 1 < len(toks):
            j = i + 1
            if toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            if j < len(toks):
                services.append(_resolve(toks[j], prefixes, base))
            i = j + 1
            continue
        elif word in _UPDATE_WORDS and form is None:
            updates.append(word)
        i += 1
    return QueryInfo(form=form, from_graphs=tuple(froms), from_named_graphs=tuple(named),
                     services=tuple(services), update_keywords=tuple(updates))


def check_query(info: QueryInfo, *, service_allowlist: set[str] = frozenset()) -> None:
    """Refuse what an open endpoint must not run; raise :class:`QueryRefused` naming the reason.

    - updates (the endpoint is read-only);
    - ``SERVICE`` to an endpoint not on the allow-list (a variable endpoint is never allowed).

    ``FROM`` / ``FROM NAMED`` are not refused: a graph the endpoint does not hold is an
    empty graph (SPARQL 1.1 Query 13) and is never fetched (see :func:`gfmd_graph.store.query_dataset`).
    """
    if info.form is None and info.update_keywords:
        raise QueryRefused(f"SPARQL Update ({info.update_keywords[0]}) is not allowed: this endpoint is read-only")
    for endpoint in info.services:
        if endpoint.startswith(("?", "$")) or endpoint not in service_allowlist:
            raise QueryRefused(f"SERVICE {endpoint} is not allowed: federated queries may only call "
                               f"endpoints on the allow-list ({', '.join(sorted(service_allowlist)) or 'empty'})")
