"""Answer SPARQL query operations on ``/sparql`` before the framework's routing.

A query is the service's hot path: routing, the dependency machinery and the exception middleware
of the framework cost about as much CPU as a cached answer itself. This ASGI middleware reads GET
requests that carry ``query`` and every POST to ``/sparql`` and answers them with the same functions
the route uses (:func:`routes_sparql.answer_operation`); everything else (the service description,
the editor, HEAD, other paths) goes on to the application unchanged. It sits inside the URL-length
limit and the request metrics, so both apply to what it answers as to every other request.
"""

from __future__ import annotations

from types import SimpleNamespace

from starlette.requests import Request

from .problems import HttpProblem, internal_error, problem_response

ROUTE = "/sparql"
_METRICS_ROUTE = SimpleNamespace(path=ROUTE)  # what the request metrics label an answered request with


class SparqlFastPath:
    """ASGI middleware."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if not self._is_query(scope):
            await self.app(scope, receive, send)
            return
        from .routes_sparql import answer_operation

        scope["route"] = _METRICS_ROUTE
        request = Request(scope, receive)
        try:
            response = await answer_operation(request)
        except HttpProblem as problem:
            response = problem_response(problem, request.headers.get("accept"))
        except Exception:
            response = internal_error(request.headers.get("accept"), ROUTE)
        await response(scope, receive, send)

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
