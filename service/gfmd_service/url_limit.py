"""Answer a request whose URL is longer than the limit with 414 and the problem body, on every route."""

from __future__ import annotations

from .problems import HttpProblem, problem_response
from .protocol import check_url_length


class LimitUrlLength:
    """ASGI middleware (a plain one: an HTTP middleware would cost a task per request)."""

    def __init__(self, app, max_url_length: int) -> None:
        self.app = app
        self.max_url_length = max_url_length

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            target = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
            try:
                check_url_length(target, max_url_length=self.max_url_length)
            except HttpProblem as problem:
                accept = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"accept"), None)
                await problem_response(problem, accept)(scope, receive, send)
                return
        await self.app(scope, receive, send)
