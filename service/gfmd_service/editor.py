"""The SPARQL query editor page: YASGUI served by the service itself, with a plain fallback.

``mount_editor(app)`` adds the page at ``/`` and the static files it needs:

- ``/assets/editor/``: this package's own script and style sheet (``static/editor/``);
- ``/assets/yasgui/``: the YASGUI build (``yasgui.min.js``, ``yasgui.min.css``), taken from
  the first folder that holds it of

  1. ``static/vendor/yasgui/`` inside this package (filled by ``service/editor/install.py``;
     travels in the wheel),
  2. ``service/editor/node_modules/@zazuko/yasgui/build/`` of a source checkout
     (after ``npm ci --prefix service/editor``);

  or only from ``$GFMD_YASGUI_DIR`` when that is set (empty: no YASGUI, the fallback).

Nothing is loaded from another host, so the page works on a closed network: YASQE's completers
that call outside services are replaced by ones fed by the page (the project's prefixes) and by
``/search/terms`` (the project's classes, properties and resources). When no
YASGUI build is found the page still works: it shows a plain text area with a run button
(``static/editor/editor.js`` posts to ``/sparql`` and renders the JSON results as a table)
and a note on how to install the editor.

``editor_response(request)`` renders the same page for any route, e.g. ``GET /sparql``
asked for with ``Accept: text/html``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gfmd_graph.namespaces import PREFIXES
from gfmd_graph.query import named_queries

#: The npm package whose build the page uses, as pinned in ``service/editor/package.json``.
YASGUI_PACKAGE = "@zazuko/yasgui"
#: The files of its build that the page loads.
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
EDITOR_STATIC_DIR = STATIC_DIR / "editor"
#: Where ``service/editor/install.py`` copies the YASGUI build (shipped in the wheel).
VENDORED_YASGUI_DIR = STATIC_DIR / "vendor" / "yasgui"
#: The npm project of a source checkout.
NPM_PROJECT_DIR = PACKAGE_DIR.parent / "editor"
NODE_MODULES_YASGUI_DIR = NPM_PROJECT_DIR / "node_modules" / YASGUI_PACKAGE / "build"

TITLE = "GFMD Knowledge Graph \N{EM DASH} SPARQL"
INSTALL_HINT = "python service/editor/install.py"

#: Sent with the page: only this origin is contacted (styles may be set by the scripts).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

DEFAULT_QUERY_BODY = """\
# Classes of the GFMD ontology and how many resources each has.
SELECT ?class (COUNT(?resource) AS ?resources) WHERE {
  ?resource a ?class .
  FILTER(STRSTARTS(STR(?class), STR(gfmd:)))
}
GROUP BY ?class
ORDER BY DESC(?resources) ?class
"""

#: Headings of the folders of ``queries/``.
GROUP_TITLES = {
    "cq": "Competency questions",
    "qc": "Quality rules (any row is an error)",
    "pictures": "Queries behind the pictures",
}

_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(enabled_extensions=("html",), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def yasgui_candidates() -> list[Path]:
    """The folders searched for the YASGUI build, first match wins.

    ``GFMD_YASGUI_DIR``, when set, is the only one (an empty or missing folder there
    forces the plain fallback editor).
    """
    override = os.environ.get("GFMD_YASGUI_DIR")
    if override is not None:
        return [Path(override)] if override else []
    return [VENDORED_YASGUI_DIR, NODE_MODULES_YASGUI_DIR]


def has_yasgui_build(folder: Path) -> bool:
    return all((folder / name).is_file() for name in YASGUI_FILES)


def find_yasgui_dir() -> Path | None:
    """The first folder of :func:`yasgui_candidates` that holds the YASGUI build, or None."""
    return next((d for d in yasgui_candidates() if has_yasgui_build(d)), None)


def yasgui_version(folder: Path | None) -> str | None:
    """The version of the YASGUI build in ``folder`` (from the package.json beside or above it)."""
    if folder is None:
        return None
    for candidate in (folder / "package.json", folder.parent / "package.json"):
        try:
            meta = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("name") == YASGUI_PACKAGE:
            return str(meta.get("version"))
    return None


def default_query(body: str = DEFAULT_QUERY_BODY) -> str:
    """The query the editor opens with: a PREFIX line for every prefix of the project."""
    width = max(len(p) for p in PREFIXES)
    lines = [f"PREFIX {(prefix + ':').ljust(width + 1)} <{iri}>" for prefix, iri in PREFIXES.items()]
    return "\n".join(lines) + "\n\n" + body


def _param(param: Any) -> dict[str, Any]:
    """A declared parameter of a named query as plain data (name, type, description, ...)."""
    if isinstance(param, str):
        return {"name": param, "type": "", "description": "", "required": False, "default": None}
    return {"name": getattr(param, "name", str(param)), "type": getattr(param, "type", ""),
            "description": getattr(param, "description", ""), "required": bool(getattr(param, "required", False)),
            "default": getattr(param, "default", None)}


def example_queries(root: Path | None = None) -> list[dict[str, Any]]:
    """The named queries of ``queries/`` as the page lists them."""
    return [
        {"name": q.name, "title": q.title, "description": q.description,
         "params": [_param(p) for p in q.params], "query": q.text}
        for q in named_queries(root).values()
    ]


def group_examples(examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for example in examples:
        folder = example["name"].split("/", 1)[0] if "/" in example["name"] else ""
        groups.setdefault(folder, []).append(example)
    return [{"key": key, "title": GROUP_TITLES.get(key, key or "Queries"), "queries": items}
            for key, items in groups.items()]


@dataclass
class EditorSettings:
    """What ``mount_editor`` decided; kept in ``app.state.gfmd_editor``."""

    yasgui_dir: Path | None
    sparql_path: str = "/sparql"
    examples: list[dict[str, Any]] = field(default_factory=list)
    default_query: str = ""

    @property
    def yasgui_available(self) -> bool:
        return self.yasgui_dir is not None

    @property
    def yasgui_version(self) -> str | None:
        return yasgui_version(self.yasgui_dir)


def mount_editor(app: FastAPI, *, yasgui_dir: Path | None | str = "auto", sparql_path: str = "/sparql",
                 queries_root: Path | None = None, page: bool = True) -> EditorSettings:
    """Add the editor page at ``/`` and mount its assets at ``/assets/editor/`` and ``/assets/yasgui/``.

    ``yasgui_dir``: the folder of the YASGUI build; ``"auto"`` searches :func:`yasgui_candidates`,
    ``None`` serves the plain fallback editor. ``page=False`` mounts only the assets (for an
    app that routes ``/`` itself and calls :func:`editor_response`).
    """
    if yasgui_dir == "auto":
        found = find_yasgui_dir()
    elif yasgui_dir is None:
        found = None
    else:
        found = Path(yasgui_dir) if has_yasgui_build(Path(yasgui_dir)) else None
    settings = EditorSettings(yasgui_dir=found, sparql_path=sparql_path,
                              examples=example_queries(queries_root), default_query=default_query())
    app.state.gfmd_editor = settings

    app.mount("/assets/editor", StaticFiles(directory=EDITOR_STATIC_DIR), name="gfmd-editor-assets")
    if found is not None:
        app.mount("/assets/yasgui", StaticFiles(directory=found), name="gfmd-yasgui-assets")

    if page:
        @app.get("/", response_class=HTMLResponse, include_in_schema=False, name="gfmd-editor")
        async def editor_page(request: Request) -> HTMLResponse:
            return editor_response(request)

    return settings


def _settings(request: Request) -> EditorSettings:
    settings = getattr(request.app.state, "gfmd_editor", None)
    if settings is None:
        # Called on an app without mount_editor: the page works, in its fallback form
        # (the YASGUI assets would not be served).
        settings = EditorSettings(yasgui_dir=None, examples=example_queries(), default_query=default_query())
        request.app.state.gfmd_editor = settings
    return settings


def render_editor(request: Request) -> str:
    """The editor page's HTML for ``request``."""
    settings = _settings(request)
    base = request.scope.get("root_path", "").rstrip("/")
    config = {
        "endpoint": base + settings.sparql_path,
        "defaultQuery": settings.default_query,
        "examples": {e["name"]: {"title": e["title"], "query": e["query"]} for e in settings.examples},
        "yasgui": settings.yasgui_available,
        "persistenceId": "gfmd-sparql",
        "termsEndpoint": base + "/search/terms",
        "prefixes": PREFIXES,
    }
    return _ENV.get_template("editor.html").render(
        title=TITLE,
        base=base,
        endpoint=base + settings.sparql_path,
        yasgui=settings.yasgui_available,
        yasgui_version=settings.yasgui_version,
        yasgui_package=YASGUI_PACKAGE,
        install_hint=INSTALL_HINT,
        groups=group_examples(settings.examples),
        default_query=settings.default_query,
        config=config,
    )


def editor_response(request: Request, status_code: int = 200) -> HTMLResponse:
    """The editor page as a response, with a Content-Security-Policy that keeps it on this origin."""
    return HTMLResponse(
        render_editor(request),
        status_code=status_code,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
    )
