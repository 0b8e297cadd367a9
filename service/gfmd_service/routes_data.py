"""Dataset-level resources: VoID, downloads of the whole graph, health and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from gfmd_graph.formats import by_name

from .conditional import conditional, representation_etag
from .problems import HttpProblem
from .rdf_response import OFFERS, media_type, negotiate, rdf_response, with_charset

router = APIRouter()

#: Download file extensions and the format each holds (the download column of :data:`OFFERS`).
DOWNLOADS = {by_name(name).extension: name for name in OFFERS["download"].names}


@router.get("/.well-known/void", summary="VoID and DCAT description of the dataset",
            responses={200: {"content": {media_type(n): {} for n in OFFERS["void"].names}},
                       304: {}, 400: {}, 406: {}})
async def void(request: Request) -> Response:
    fmt = negotiate(request, OFFERS["void"])
    backend = request.app.state.backend
    base = str(request.base_url)
    headers = {"Vary": "Accept"}
    etag = representation_etag(backend.version, fmt, request.app.version, base)
    if (unchanged := conditional(request, etag, backend.last_modified, headers)) is not None:
        return unchanged
    return rdf_response(backend.void_graph(base), fmt, headers)


@router.get("/download/graph.{extension}", summary="The whole graph as one file",
            description="`ttl`, `nt`, `jsonld`, `rdf` hold the merged graph; `nq`, `trig` keep one named graph "
                        "per source file. ETag and Last-Modified follow the dataset version; "
                        "`If-None-Match` and `If-Modified-Since` answer 304.")
async def download(request: Request, extension: str) -> Response:
    if extension not in DOWNLOADS:
        raise HttpProblem(404, "not-found", f"downloads exist as graph.{{{','.join(DOWNLOADS)}}}")
    fmt = by_name(DOWNLOADS[extension])
    backend = request.app.state.backend
    headers = {"Content-Disposition": f'attachment; filename="gfmd-graph.{extension}"'}
    etag = representation_etag(backend.version, fmt.name, request.app.version, weak=False)
    if (unchanged := conditional(request, etag, backend.last_modified, headers)) is not None:
        return unchanged
    return Response(backend.download(fmt.name), media_type=with_charset(fmt.media_type), headers=headers)


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
