"""Answer SPARQL query operations on ``/sparql`` before the framework's routing.

A query is the service's hot path: routing, the dependency machinery and the exception middleware
of the framework cost about as much CPU as a cached answer itself. This ASGI middleware reads GET
requests that carry ``query`` and every POST to ``/sparql`` and answers them with the same functions
the route uses (:func:`routes_sparql.answer_operation`); everything else (the service description,
the editor, HEAD, other paths) goes on to the application unchanged.
"""

from __future__ import annotations

import logging
import time

from starlette.requests import Request

from .metrics import Metrics
from .problems import HttpProblem, problem_response
from .protocol import check_url_length

log = logging.getLogger("gfmd.service")

ROUTE = "/sparql"


class SparqlFastPath:
    """ASGI middleware; ``metrics`` records what it answers under the route ``/sparql``."""

    def __init__(self, app, metrics: Metrics, max_url_length: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_url_length = max_url_length

    async def __call__(self, scope, receive, send):
        if not self._is_query(scope):
            await self.app(scope, receive, send)
            return
        from .routes_sparql import answer_operation

        started = time.perf_counter()
        request = Request(scope, receive)
        accept = request.headers.get("accept")
        try:
            check_url_length(scope.get("raw_path", b"") + b"?" + scope.get("query_string", b""),
                             max_url_length=self.max_url_length)
            response = await answer_operation(request)
        except HttpProblem as problem:
            response = problem_response(problem, accept)
        except Exception:  # the same answer as the application's handler of unexpected errors
            log.exception("unexpected error on %s", ROUTE)
            response = problem_response(HttpProblem(500, "internal-error",
                                                    "the server failed to answer; the error is logged"), accept)
        await response(scope, receive, send)
        self.metrics.observe_request(ROUTE, scope["method"], response.status_code, time.perf_counter() - started)

    @staticmethod
    def _is_query(scope) -> bool:
        if scope["type"] != "http" or scope["path"] != ROUTE:
            return False
        if scope["method"] == "POST":
            return True
        # A GET without 'query' is the service description or the editor: the application's route.
        return scope["method"] == "GET" and _has_query_param(scope.get("query_string", b""))


def _has_query_param(query_string: bytes) -> bool:
    return any(pair.split(b"=", 1)[0] == b"query" for pair in query_string.split(b"&"))
