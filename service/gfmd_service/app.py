"""The FastAPI application: ``create_app()`` for uvicorn (``--factory``) and ``gfmd serve``."""

from __future__ import annotations

import logging
import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException

from .backend import Backend
from .head import HeadAsGet
from .metrics import Metrics, MetricsMiddleware
from .problems import HttpProblem, internal_error, problem_response
from .settings import Settings
from .sparql_fast_path import SparqlFastPath
from .url_limit import LimitUrlLength

log = logging.getLogger("gfmd.service")


class InvalidData(SystemExit):
    """The graph failed the gate; the service refuses to start."""


def validate_or_exit(settings: Settings) -> None:
    """Run the library's gate (syntax, SHACL, quality rules); print the report and stop on any error.

    The gate runs in a child process: SHACL and the quality rules load every file into rdflib and
    pyshacl, some hundred MiB that a Python process keeps once it has them and the service never
    needs again.
    """
    import os
    import subprocess

    env = dict(os.environ)
    if settings.root is not None:
        env["GFMD_ROOT"] = str(settings.root)
    gate = subprocess.run([sys.executable, "-m", "gfmd_graph.cli", "check", "--no-reason"],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if gate.returncode != 0:
        print(gate.stderr.rstrip(), file=sys.stderr)
        print("the service does not start on invalid data", file=sys.stderr)
        raise InvalidData(3)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; the graph is validated and the store started when the app starts."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.validate:
            validate_or_exit(settings)
        backend = Backend(settings)
        await backend.start()
        app.state.backend = backend
        log.info("serving %d triples in %d graphs, version %s", backend.union_size, len(backend.graph_names),
                 backend.version)
        try:
            yield
        finally:
            backend.close()

    app = FastAPI(title="GFMD Knowledge Graph", version=_version(), lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # /docs is served with local assets (api_docs.py)
                  description="Read-only SPARQL 1.1 endpoint, linked-data pages and downloads of the GFMD "
                              "Knowledge Graph: global migration governance from GFMD sources, linked to the "
                              "UN's SDG and country identifiers.")
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.add_middleware(HeadAsGet)
    app.add_middleware(SparqlFastPath)
    app.add_middleware(LimitUrlLength, max_url_length=settings.max_url_length)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["ETag", "Link", "GFMD-Truncated", "GFMD-Result-Count"])

    @app.exception_handler(HttpProblem)
    async def on_problem(request: Request, exc: HttpProblem):
        return problem_response(exc, request.headers.get("accept"))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        headers = dict(exc.headers or {})
        return problem_response(HttpProblem(exc.status_code, code, _message(exc), headers),
                                request.headers.get("accept"))

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError):
        return problem_response(HttpProblem(400, "bad-request", "; ".join(e.get("msg", "") for e in exc.errors())),
                                request.headers.get("accept"))

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception):
        return internal_error(request.headers.get("accept"), request.url.path)

    from .api_docs import mount_api_docs
    from .editor import mount_editor
    from .routes_data import router as data_router
    from .routes_pages import router as pages_router
    from .routes_pictures import router as pictures_router
    from .routes_queries import router as queries_router
    from .routes_search import router as search_router
    from .routes_sparql import router as sparql_router

    app.include_router(sparql_router)
    app.include_router(pages_router)
    app.include_router(data_router)
    app.include_router(queries_router)
    app.include_router(pictures_router)
    app.include_router(search_router)
    mount_editor(app)
    mount_api_docs(app)
    return app


def _message(exc: StarletteHTTPException) -> str:
    """The framework's error detail, or a sentence for its bare 404."""
    if exc.status_code == 404 and exc.detail in (None, "", "Not Found"):
        return "no page or resource at this address; / has the query editor, /docs the API"
    return str(exc.detail)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gfmd-graph")
    except PackageNotFoundError:
        return "0"
