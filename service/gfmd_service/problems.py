"""Errors as small, consistent JSON bodies: no stack traces, no internal paths."""

from __future__ import annotations

from fastapi.responses import JSONResponse

TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          406: "Not Acceptable", 413: "Content Too Large", 414: "URI Too Long",
          415: "Unsupported Media Type", 500: "Internal Server Error", 502: "Bad Gateway",
          503: "Service Unavailable"}


class HttpProblem(Exception):
    """An error to send to the client: status, a short code and a message naming the problem."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def problem_response(problem: HttpProblem) -> JSONResponse:
    """The JSON response for a problem: ``{"status", "error", "title", "message"}``."""
    return JSONResponse(
        {"status": problem.status, "error": problem.code,
         "title": TITLES.get(problem.status, "Error"), "message": problem.message},
        status_code=problem.status, headers=problem.headers)
