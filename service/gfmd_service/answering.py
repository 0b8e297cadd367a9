"""Turn a query into an HTTP response: guard, negotiate, execute, cache headers, metrics."""

from __future__ import annotations

import logging
import time

from fastapi import Request
from fastapi.responses import Response

from gfmd_graph.errors import GfmdSyntaxError
from gfmd_graph.formats import MEDIA_TYPE_ALIASES, by_name, formats_for, resolve
from gfmd_graph.query_pool import PoolBusy, QueryTimeout
from gfmd_graph.sparql_guard import QueryRefused, check_query, inspect_query, update_as_query
from gfmd_graph.store import StoreError

from .negotiation import choose
from .problems import HttpProblem

access_log = logging.getLogger("gfmd.access")


def offered_types(form: str) -> dict[str, str]:
    """Media types offered for a query form, each mapped to its format name (aliases included)."""
    offered = {f.media_type: f.name for f in formats_for(form)}
    names = set(offered.values())
    for media_type, name in MEDIA_TYPE_ALIASES.items():
        if name in names and media_type not in offered:
            offered[media_type] = name
    if form in ("CONSTRUCT", "DESCRIBE"):
        offered.setdefault("application/n-quads", "nquads")
        offered.setdefault("application/trig", "trig")
    return offered


def negotiate(form: str, accept: str | None, format_hints=()) -> tuple[str, str]:
    """Pick (format name, media type) for a form from ``format`` hints, else the Accept header.

    The first hint that can carry the form wins; hints that cannot carry it are
    ignored in favour of Accept (clients send several), but if every hint is unknown
    the request is refused with 400 so that a typo does not pass unnoticed.
    """
    if format_hints is None or isinstance(format_hints, str):
        format_hints = (format_hints,) if format_hints else ()
    offered = offered_types(form)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    known = False
    for hint in format_hints:
        fmt = resolve(hint, graph=graph)
        known = known or fmt is not None or by_name(hint) is not None
        if fmt is not None and fmt.name in offered.values():
            return fmt.name, fmt.media_type
    if format_hints and not known:
        raise HttpProblem(400, "unknown-format", f"unknown format {format_hints[0]!r}; use one of "
                          + ", ".join(sorted({by_name(n).name for n in offered.values()})))
    media_type = choose(accept, list(offered))
    if media_type is None:
        raise HttpProblem(406, "not-acceptable", f"no acceptable format for a {form} result; offered: "
                          + ", ".join(offered))
    return offered[media_type], media_type


def with_charset(media_type: str) -> str:
    if media_type.startswith("text/") or media_type in ("application/n-triples", "application/n-quads"):
        return media_type + "; charset=utf-8"
    return media_type


async def answer_query(request: Request, query: str, *, default_graphs=(), named_graphs=(),
                       format_param=(), name: str = "sparql") -> Response:
    """Run a read-only query for an HTTP request and build the response (or raise HttpProblem)."""
    backend = request.app.state.backend
    settings = request.app.state.settings
    started = time.perf_counter()
    outcome = "ok"
    try:
        info = inspect_query(query)
        if (malformed := update_as_query(info, query)) is not None:
            outcome = "syntax-error"
            raise HttpProblem(400, "syntax-error", malformed)
        try:
            check_query(info, service_allowlist=settings.service_allowlist)
        except QueryRefused as exc:
            outcome = "refused"
            raise HttpProblem(403, "query-refused", str(exc)) from None
        # Graphs of the dataset (protocol parameters or FROM / FROM NAMED) that the store does not
        # hold are empty graphs, never fetched: the store is given the dataset explicitly.
        form = info.form or "SELECT"
        fmt_name, media_type = negotiate(form, request.headers.get("accept"), format_param)
        try:
            answer = await backend.execute(backend.request(query, fmt_name, default_graphs=default_graphs,
                                                           named_graphs=named_graphs))
        except GfmdSyntaxError as exc:
            outcome = "syntax-error"
            raise HttpProblem(400, "syntax-error", f"the query does not parse: {exc}") from None
        except QueryTimeout as exc:
            outcome = "timeout"
            raise HttpProblem(503, "query-timeout", str(exc), {"Retry-After": "5"}) from None
        except PoolBusy as exc:
            outcome = "busy"
            raise HttpProblem(503, "busy", str(exc), {"Retry-After": "1"}) from None
        except StoreError as exc:
            outcome = "store-error"
            raise HttpProblem(502 if backend.remote else 500, "store-error", str(exc)) from None
    except HttpProblem:
        if outcome == "ok":
            outcome = "bad-request"
        raise
    finally:
        elapsed = time.perf_counter() - started
        request.app.state.metrics.observe_query(outcome, elapsed)
        access_log.info("%s %s %.1fms %s", name, outcome, elapsed * 1000, " ".join(query.split())[:200])
    etag = backend.etag(answer)
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "public, max-age=0, must-revalidate"}
    if answer.truncated:
        headers["GFMD-Truncated"] = answer.truncated
        headers["Warning"] = f'199 - "answer cut at the {answer.truncated} limit"'
    if answer.count >= 0:
        headers["GFMD-Result-Count"] = str(answer.count)
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=with_charset(media_type), headers=headers)
