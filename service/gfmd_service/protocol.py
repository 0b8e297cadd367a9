"""Read a SPARQL 1.1 Protocol query operation from an HTTP request, or say precisely what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .problems import HttpProblem

FORMAT_PARAMS = ("format", "output", "results")  # "output"/"results" are sent by SPARQLWrapper and others
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


@dataclass(frozen=True)
class ProtocolQuery:
    """The parts of a query operation: the query, its protocol dataset and a format override."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: tuple[str, ...]  # format hints, best first (clients such as SPARQLWrapper send several)


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise HttpProblem(400, "doubled-parameter", f"the parameter {name!r} was given {len(values)} times; give it once")
    return values[0] if values else None


def _collect(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def url_too_long(max_url_length: int, length: int | None = None) -> HttpProblem:
    """The 414 problem for a request URL over the limit (``length`` when it is known)."""
    has = f"has {length} bytes" if length is not None else f"has more than {max_url_length} bytes"
    return HttpProblem(414, "uri-too-long",
                       f"the request URL {has}; the limit is {max_url_length}. Send a long query by POST "
                       "instead, as an application/sparql-query body or a form field 'query'")


def check_url_length(target: bytes, *, max_url_length: int) -> None:
    """Refuse a request target (path and query string) longer than the limit with 414."""
    if len(target) > max_url_length:
        raise url_too_long(max_url_length, len(target))


def _graph_iris(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    for value in params.get(name, []):
        if not _ABSOLUTE_IRI.fullmatch(value):
            raise HttpProblem(400, "bad-graph-uri", f"{name} must be an absolute IRI, not {value[:200]!r}")
    return tuple(dict.fromkeys(params.get(name, [])))


def read_query_operation(method: str, content_type: str | None, url_query: str, body: bytes,
                         *, max_query_length: int) -> ProtocolQuery:
    """Parse GET / POST-form / POST-direct query operations.

    Raises :class:`HttpProblem` for: an update (403, the endpoint is read-only), a body
    type other than form or ``application/sparql-query`` (415), a doubled ``query``
    (400), a dataset parameter that is not an absolute IRI (400), a query longer than
    the limit (413/414). A graph the dataset names need not be held by the service.
    """
    url_params = _collect(parse_qsl(url_query, keep_blank_values=True))
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "POST":
        if media == "application/x-www-form-urlencoded":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpProblem(400, "bad-encoding", "the form body is not UTF-8") from None
            form = _collect(parse_qsl(text, keep_blank_values=True))
            if "query" in url_params:
                raise HttpProblem(400, "doubled-parameter",
                                  "with a form body, send 'query' in the body only, not in the URL too")
            params = {**url_params, **{k: url_params.get(k, []) + v for k, v in form.items()}}
        elif media == "application/sparql-query":
            if "query" in url_params:
                raise HttpProblem(400, "doubled-parameter",
                                  "with an application/sparql-query body, the URL must not carry 'query'")
            try:
                direct = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpProblem(400, "bad-encoding", "the query body is not UTF-8") from None
            params = {**url_params, "query": [direct]}
        elif media == "application/sparql-update":
            raise HttpProblem(403, "read-only", "SPARQL Update is not allowed: this endpoint is read-only")
        else:
            raise HttpProblem(415, "unsupported-media-type",
                              f"a POST body must be application/x-www-form-urlencoded or application/sparql-query, "
                              f"not {media or 'missing'!r}")
    else:
        params = url_params
    if "update" in params:
        raise HttpProblem(403, "read-only", "SPARQL Update is not allowed: this endpoint is read-only")
    query = _one(params.get("query", []), "query")
    if query is not None and len(query) > max_query_length:
        status = 414 if method != "POST" else 413
        raise HttpProblem(status, "query-too-long",
                          f"the query has {len(query)} characters; the limit is {max_query_length}")
    hints: list[str] = []
    for name in FORMAT_PARAMS:
        for value in params.get(name, []):
            hints.extend(v.strip() for v in value.split(",") if v.strip())
    return ProtocolQuery(query=query, default_graphs=_graph_iris(params, "default-graph-uri"),
                         named_graphs=_graph_iris(params, "named-graph-uri"),
                         format=tuple(dict.fromkeys(hints)))
