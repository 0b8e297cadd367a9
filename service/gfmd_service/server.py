"""Run the service under uvicorn with the HTTP settings ``gfmd serve`` documents."""

from __future__ import annotations

import os

import uvicorn

from .settings import Settings


def http_protocol(settings: Settings):
    """httptools (a C parser) where it is installed and the URL limit fits its parser, else h11.

    h11 resets a connection whose request line and headers pass ``GFMD_MAX_REQUEST_HEAD``, kept
    above ``GFMD_MAX_URL_LENGTH`` so that a long GET is answered 414 by the service.
    """
    try:
        import httptools  # noqa: F401
    except ImportError:
        return "h11"
    from .http_protocol import HTTPTOOLS_MAX_URL, UrlLimitedHttpToolsProtocol

    return UrlLimitedHttpToolsProtocol if settings.max_url_length <= HTTPTOOLS_MAX_URL else "h11"


def run() -> None:
    """Serve ``gfmd_service.app:create_app`` on ``GFMD_HOST``:``GFMD_PORT`` with ``GFMD_WORKERS`` processes."""
    settings = Settings.from_env()
    uvicorn.run("gfmd_service.app:create_app", factory=True,
                host=os.environ.get("GFMD_HOST", "127.0.0.1"), port=int(os.environ.get("GFMD_PORT", "8000")),
                workers=int(os.environ.get("GFMD_WORKERS", "1")),
                log_level=os.environ.get("GFMD_LOG_LEVEL", "info").lower(),
                http=http_protocol(settings), h11_max_incomplete_event_size=settings.max_request_head)
