"""The API page at ``/docs``: Swagger UI served by the service itself, never from a CDN.

``mount_api_docs(app)`` adds ``/docs`` and mounts the Swagger UI build at
``/assets/swagger-ui/`` (``swagger-ui-bundle.js``, ``swagger-ui.css``, ``favicon-32x32.png``),
taken from the first folder that holds it of

1. ``static/vendor/swagger-ui/`` inside this package (filled by ``service/editor/install.py``;
   travels in the wheel),
2. ``service/editor/node_modules/swagger-ui-dist/`` of a source checkout;

or only from ``$GFMD_SWAGGER_UI_DIR`` when that is set (empty: no build). Without a build
``/docs`` is a short page that links the OpenAPI description and says how to install the
viewer; it loads nothing from another host either way. The app is built with
``docs_url=None`` and ``redoc_url=None`` (ReDoc is not offered).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .editor import INSTALL_HINT, NPM_PROJECT_DIR, STATIC_DIR
from .templates import render

SWAGGER_UI_PACKAGE = "swagger-ui-dist"
SWAGGER_UI_JS = "swagger-ui-bundle.js"
SWAGGER_UI_CSS = "swagger-ui.css"
SWAGGER_UI_FAVICON = "favicon-32x32.png"
#: The files ``/docs`` needs (the favicon is optional).
SWAGGER_UI_FILES = (SWAGGER_UI_JS, SWAGGER_UI_CSS)
VENDORED_SWAGGER_UI_DIR = STATIC_DIR / "vendor" / "swagger-ui"
NODE_MODULES_SWAGGER_UI_DIR = NPM_PROJECT_DIR / "node_modules" / SWAGGER_UI_PACKAGE
ASSETS_PATH = "/assets/swagger-ui"
DOCS_PATH = "/docs"

#: Swagger UI's settings: no call to the outside validator (its default sends the
#: description's address to another host).
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def swagger_ui_candidates() -> list[Path]:
    """The folders searched for the Swagger UI build; ``GFMD_SWAGGER_UI_DIR`` alone when set."""
    override = os.environ.get("GFMD_SWAGGER_UI_DIR")
    if override is not None:
        return [Path(override)] if override else []
    return [VENDORED_SWAGGER_UI_DIR, NODE_MODULES_SWAGGER_UI_DIR]


def find_swagger_ui_dir() -> Path | None:
    """The first folder of :func:`swagger_ui_candidates` that holds the build, or None."""
    return next((d for d in swagger_ui_candidates() if all((d / f).is_file() for f in SWAGGER_UI_FILES)), None)


def _content_security_policy(page: str) -> str:
    """Only this origin, and only the page's own inline start-up script (by its hash)."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in _INLINE_SCRIPT.findall(page))
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {hashes}".strip(), "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'",
    ])


def mount_api_docs(app: FastAPI, *, swagger_ui_dir: Path | None | str = "auto") -> Path | None:
    """Add ``/docs`` to ``app`` (built with ``docs_url=None``) and mount the Swagger UI build.

    ``swagger_ui_dir``: the build's folder; ``"auto"`` searches :func:`swagger_ui_candidates`,
    ``None`` serves the page that says how to install it. Returns the folder used.
    """
    found = find_swagger_ui_dir() if swagger_ui_dir == "auto" else (
        Path(swagger_ui_dir) if swagger_ui_dir is not None
        and all((Path(swagger_ui_dir) / f).is_file() for f in SWAGGER_UI_FILES) else None)
    if found is not None:
        app.mount(ASSETS_PATH, StaticFiles(directory=found), name="gfmd-swagger-ui-assets")

    @app.get(DOCS_PATH, response_class=HTMLResponse, include_in_schema=False, name="gfmd-api-docs")
    async def api_docs(request: Request) -> HTMLResponse:
        base = request.scope.get("root_path", "").rstrip("/")
        openapi_url = base + (app.openapi_url or "/openapi.json")
        if found is None:
            page = render("docs_missing.html", openapi_url=openapi_url, package=SWAGGER_UI_PACKAGE,
                          install_hint=INSTALL_HINT)
            return HTMLResponse(page, headers={"Content-Security-Policy": _content_security_policy(page),
                                               "Cache-Control": "no-cache"})
        assets = base + ASSETS_PATH
        favicon = f"{assets}/{SWAGGER_UI_FAVICON}" if (found / SWAGGER_UI_FAVICON).is_file() else ""
        page = get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} \N{EM DASH} API",
            swagger_js_url=f"{assets}/{SWAGGER_UI_JS}", swagger_css_url=f"{assets}/{SWAGGER_UI_CSS}",
            swagger_favicon_url=favicon, swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        ).body.decode("utf-8")
        return HTMLResponse(page, headers={"Content-Security-Policy": _content_security_policy(page),
                                           "Cache-Control": "no-cache"})

    return found
