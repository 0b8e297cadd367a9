"""Pictures of the graph: a timeline, an objectives and targets matrix and the coverage of the sources.

Thin routes: each page runs its named query of ``queries/pictures/`` at request time and hands the
rows to :mod:`.pictures`, which draws the inline SVG; every page links to the query behind it
(``/queries/<name>``) and opens it in the editor.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gfmd_graph.errors import QueryParameterError
from gfmd_graph.passages import parse_passage
from gfmd_graph.query_pool import PoolBusy, QueryTimeout

from . import pictures
from .problems import HttpProblem
from .templates import render

router = APIRouter()

TIMELINE, MATRIX, MATRIX_CELL, COVERAGE = ("pictures/timeline", "pictures/matrix", "pictures/matrix-cell",
                                           "pictures/coverage")
#: The pictures the index lists: path, title, what it shows.
PICTURES = (
    ("/pictures/timeline", "Timeline", "GFMD summits (year, chair state, place), chairmanships with their start "
                                       "and end, and other meetings by their dates."),
    ("/pictures/matrix", "Objectives and targets matrix", "The 23 GCM objectives and the SDG targets against the "
                                                          "kinds of practice and recommendation that address them."),
    ("/pictures/coverage", "Coverage of the sources", "For each source document, which lines the graph cites "
                                                      "and how often."),
)
_HEADERS = {"Cache-Control": "no-cache"}


async def run(request: Request, name: str, params: dict | None = None) -> tuple[list[dict], dict]:
    """Rows of the named query ``name`` with ``params`` bound, and links to the query and the editor."""
    query = request.app.state.backend.named_queries().get(name)
    if query is None:
        raise HttpProblem(500, "missing-query", f"the named query {name!r} is missing from queries/")
    try:
        text = query.bind(params)
    except QueryParameterError as exc:
        raise HttpProblem(400, "bad-parameter", str(exc)) from None
    backend = request.app.state.backend
    try:
        answer = await backend.execute(backend.request(text, "json"))
    except QueryTimeout as exc:
        raise HttpProblem(503, "query-timeout", str(exc), {"Retry-After": "5"}) from None
    except PoolBusy as exc:
        raise HttpProblem(503, "busy", str(exc), {"Retry-After": "1"}) from None
    query_url = f"/queries/{name}" + (f"?{urlencode(params)}" if params else "")
    links = {"name": name, "title": query.title, "query": query_url,
             "editor": pictures.editor_link(text, query.title), "truncated": answer.truncated}
    return pictures.rows_from_json(answer.body), links


def _page(template: str, **context) -> HTMLResponse:
    return HTMLResponse(render(template, pictures=PICTURES, **context), headers=_HEADERS)


@router.get("/pictures", summary="Pictures of the graph: the index", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    return _page("pictures.html", title="Pictures", svg=None, queries=[])


@router.get("/pictures/timeline", summary="Timeline of summits, chairmanships and meetings (SVG in HTML)",
            response_class=HTMLResponse)
async def timeline(request: Request) -> HTMLResponse:
    rows, links = await run(request, TIMELINE)
    events = pictures.events_from_rows(rows)
    undated = sorted((e for e in events if e.when is None), key=lambda e: e.label.lower())
    return _page("pictures.html", title="Timeline", svg=pictures.timeline_svg(events, request.app.state.settings.base_iri),
                 queries=[links], undated=[(pictures.local_href(e.iri, request.app.state.settings.base_iri), e)
                                            for e in undated])


def _cell_href(row: str, kind: str) -> str:
    return "/pictures/matrix/cell?" + urlencode({"row": row, "kind": kind})


@router.get("/pictures/matrix", summary="GCM objectives and SDG targets by practices and recommendations",
            response_class=HTMLResponse)
async def matrix(request: Request) -> HTMLResponse:
    rows, links = await run(request, MATRIX)
    return _page("pictures.html", title="Objectives and targets matrix",
                 svg=pictures.matrix_svg(pictures.matrix_from_rows(rows), _cell_href), queries=[links])


@router.get("/pictures/matrix/cell", summary="The practices or recommendations of one matrix cell",
            response_class=HTMLResponse)
async def matrix_cell(request: Request, row: str, kind: str) -> HTMLResponse:
    rows, links = await run(request, MATRIX_CELL, {"row": row, "kind": kind})
    base = request.app.state.settings.base_iri
    items = [(pictures.local_href(r["item"], base), r.get("label") or r["item"]) for r in rows]
    return _page("pictures-list.html", title="Matrix cell", back=("/pictures/matrix", "Objectives and targets matrix"),
                 heading=f"{len(items)} resources of kind <{kind}> addressing <{row}>",
                 subject=(pictures.local_href(row, base), row), kind=(pictures.local_href(kind, base), kind),
                 items=items, queries=[links])


def _lines_href(document: str, start: int, end: int) -> str:
    return "/pictures/coverage/lines?" + urlencode({"document": document, "start": start, "end": end})


@router.get("/pictures/coverage", summary="Lines of each source document the graph cites", response_class=HTMLResponse)
async def coverage(request: Request) -> HTMLResponse:
    rows, links = await run(request, COVERAGE)
    docs = pictures.documents_from_rows(rows)
    base = request.app.state.settings.base_iri
    return _page("pictures.html", title="Coverage of the sources", svg=pictures.coverage_svg(docs, _lines_href),
                 queries=[links], documents=[(pictures.local_href(d.iri, base), d) for d in docs])


@router.get("/pictures/coverage/lines", summary="The resources citing a line range of a source document",
            response_class=HTMLResponse)
async def coverage_lines(request: Request, document: str, start: int, end: int) -> HTMLResponse:
    if start < 1 or end < start:
        raise HttpProblem(400, "bad-parameter", "start and end are line numbers from 1, with start <= end")
    rows, links = await run(request, COVERAGE, {"document": document})
    base = request.app.state.settings.base_iri
    citing: dict[str, dict] = {}
    for row in rows:
        passage = parse_passage(row.get("passage") or "")
        if passage is None or not row.get("resource") or passage.end < start or passage.start > end:
            continue
        entry = citing.setdefault(row["resource"], {"label": row.get("resourceLabel") or row["resource"],
                                                    "passages": set()})
        entry["passages"].add(row["passage"])
    items = [(pictures.local_href(iri, base), e["label"], ", ".join(sorted(e["passages"])))
             for iri, e in sorted(citing.items(), key=lambda kv: kv[1]["label"].lower())]
    label = next((r.get("label") for r in rows if r.get("label")), document)
    return _page("pictures-list.html", title="Cited lines", back=("/pictures/coverage", "Coverage of the sources"),
                 heading=f"{len(items)} resources citing lines {start}–{end} of {label}",
                 subject=(pictures.local_href(document, base), label), kind=None, items=items, queries=[links],
                 note="The query lists every citation of the document; this page keeps those whose passage "
                      f"overlaps lines {start}–{end}.")
