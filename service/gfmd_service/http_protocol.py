"""uvicorn's httptools protocol, answering an over-long request URL with 414 and the problem body.

httptools parses requests in C (about a third less CPU per request than h11 here), but its URL
parser takes at most 65,535 bytes and uvicorn answers anything longer with a bare 400. This
protocol stops reading a request line once its URL passes the service's limit and sends the same
414 problem the service sends for a URL over ``GFMD_MAX_URL_LENGTH``.
"""

from __future__ import annotations

from functools import lru_cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .problems import problem_response
from .protocol import url_too_long
from .settings import Settings

#: The longest URL httptools' URL parser reads (its offsets are 16-bit).
HTTPTOOLS_MAX_URL = 65_535


class _UrlTooLong(Exception):
    """Raised from the parser's URL callback to stop parsing the request."""


class UrlLimitedHttpToolsProtocol(HttpToolsProtocol):
    """httptools for the service: a URL over ``GFMD_MAX_URL_LENGTH`` (at most 65,535 bytes) gets 414.

    A class at module level, reading its limit from the environment once per process, so that
    uvicorn can hand it to the processes it spawns for ``GFMD_WORKERS``.
    """

    url_too_long = False

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > url_limit():
            self.url_too_long = True
            raise _UrlTooLong()

    def send_400_response(self, msg: str) -> None:
        if not self.url_too_long:
            super().send_400_response(msg)
            return
        response = problem_response(url_too_long(url_limit()))
        head = [b"HTTP/1.1 414 URI Too Long\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers]
        head += [name + b": " + value + b"\r\n" for name, value in response.raw_headers]
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + response.body)
        self.transport.close()


@lru_cache(maxsize=1)
def url_limit() -> int:
    """The URL limit of this process: ``GFMD_MAX_URL_LENGTH``, at most what httptools parses."""
    return min(Settings.from_env().max_url_length, HTTPTOOLS_MAX_URL)
