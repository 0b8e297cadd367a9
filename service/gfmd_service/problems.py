"""Errors as small, consistent bodies: JSON for programs, an HTML page for browsers; no stack traces."""

from __future__ import annotations

import logging

from fastapi.responses import HTMLResponse, JSONResponse, Response

from .negotiation import choose

TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          406: "Not Acceptable", 413: "Content Too Large", 414: "URI Too Long",
          415: "Unsupported Media Type", 500: "Internal Server Error", 502: "Bad Gateway",
          503: "Service Unavailable"}


class HttpProblem(Exception):
    """An error to send to the client: status, a short code, a message naming the problem.

    ``details`` are extra members of the JSON body (e.g. ``offered``: what the route serves).
    """

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                 details: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details or {}


def wants_html(accept: str | None) -> bool:
    """True when ``accept`` prefers ``text/html`` to JSON (a browser); ties go to JSON."""
    return choose(accept, ["application/json", "text/html"]) == "text/html"


def problem_response(problem: HttpProblem, accept: str | None = None) -> Response:
    """The response for a problem: ``{"status", "error", "title", "message", …details}``,
    or an HTML page with the same facts when ``accept`` prefers HTML."""
    title = TITLES.get(problem.status, "Error")
    headers = {**problem.headers, "Vary": _vary(problem.headers.get("Vary"))}
    if wants_html(accept):
        from .templates import render

        html = render("error.html", status=problem.status, title=title, code=problem.code,
                      message=problem.message, details=problem.details)
        return HTMLResponse(html, status_code=problem.status, headers=headers)
    return JSONResponse(
        {"status": problem.status, "error": problem.code, "title": title, "message": problem.message,
         **problem.details},
        status_code=problem.status, headers=headers)


def internal_error(accept: str | None, path: str) -> Response:
    """The 500 answer to an unexpected error: logged with its traceback, never shown to the client."""
    logging.getLogger("gfmd.service").exception("unexpected error on %s", path)
    return problem_response(HttpProblem(500, "internal-error", "the server failed to answer; the error is logged"),
                            accept)


def _vary(existing: str | None) -> str:
    fields = [f.strip() for f in (existing or "").split(",") if f.strip()]
    return ", ".join(fields if "accept" in (f.lower() for f in fields) else [*fields, "Accept"])
