"""Dataset-level resources: VoID, downloads of the whole graph, the named queries, health and metrics."""

from __future__ import annotations

from email.utils import format_datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from gfmd_graph.formats import by_name

from .problems import HttpProblem
from .rdf_response import pick_rdf_type, rdf_response

router = APIRouter()

DOWNLOADS = ("ttl", "nt", "nq", "trig", "jsonld", "rdf")


def _validators(request: Request) -> dict[str, str]:
    backend = request.app.state.backend
    return {"Last-Modified": format_datetime(backend.last_modified, usegmt=True),
            "Cache-Control": "public, max-age=3600"}


@router.get("/.well-known/void", summary="VoID and DCAT description of the dataset")
async def void(request: Request) -> Response:
    media_type = pick_rdf_type(request, format_param=request.query_params.get("format"))
    if media_type is None:
        raise HttpProblem(406, "not-acceptable", "the dataset description is offered as RDF (Turtle, JSON-LD, …)")
    base = str(request.base_url)
    graph = request.app.state.backend.void_graph(base)
    return rdf_response(graph, media_type, _validators(request))


@router.get("/download/graph.{extension}", summary="The whole graph as one file",
            description="`ttl`, `nt`, `jsonld`, `rdf` hold the merged graph; `nq`, `trig` keep one named graph "
                        "per source file. ETag and Last-Modified follow the dataset version.")
async def download(request: Request, extension: str) -> Response:
    fmt = by_name(extension)
    if extension not in DOWNLOADS or fmt is None:
        raise HttpProblem(404, "not-found", f"downloads exist as graph.{{{','.join(DOWNLOADS)}}}")
    backend = request.app.state.backend
    etag = f'"{backend.version}-{fmt.name}"'
    headers = {"ETag": etag, **_validators(request),
               "Content-Disposition": f'attachment; filename="gfmd-graph.{extension}"'}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    body = backend.download(fmt.name)
    shown = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    return Response(body, media_type=shown, headers=headers)


@router.get("/health", summary="Liveness and the dataset version")
async def health(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    return JSONResponse({"status": "ok", "version": backend.version,
                         "modified": backend.last_modified.date().isoformat(),
                         "store": "remote" if backend.remote else "embedded",
                         "graphs": len(backend.graph_names), "triples": backend.union_size})


@router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    m = request.app.state.metrics
    backend = request.app.state.backend
    m.cache_hits.set(backend.cache_hits)
    m.timeouts.set(backend.timeouts)
    return Response(m.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
