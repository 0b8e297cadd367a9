"""Search: ``/search`` finds resources by label, acronym, code or text (JSON, or a page for browsers);
``/search/terms`` lists the project's classes, properties and resources for the editor's completion."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from gfmd_graph.search import MAX_QUERY_LENGTH, TERM_KINDS, SearchInputError, check_input

from .languages import UN_LANGUAGES, preferred
from .problems import HttpProblem, wants_html
from .links import local_path
from .templates import render

router = APIRouter()

_HEADERS = {"Vary": "Accept, Accept-Language"}


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise HttpProblem(400, "bad-search", f"{name} must be a whole number, not {raw[:40]!r}") from None


def _parts(snippet: str, spans) -> list[tuple[str, bool]]:
    """The snippet cut at its matches: (text, is_match) pieces for the page to mark up."""
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out += [(snippet[last:start], False), (snippet[start:end], True)]
        last = end
    out.append((snippet[last:], False))
    return [p for p in out if p[0]]


@router.get("/search", summary="Find resources by label, acronym, code or text, in any UN language",
            responses={200: {"content": {"application/json": {}, "text/html": {}}}, 400: {}})
async def search(request: Request) -> Response:
    """``q`` (required, at most 1,000 characters), ``lang`` (else Accept-Language, else English: the
    labels shown; matches in it rank first), ``kind`` (a class: local name, ``prefix:Name`` or label),
    ``limit`` (1-100, default 10), ``offset``."""
    languages = tuple(preferred(request))
    params = request.query_params
    query = params.get("q", "")
    kind = params.get("kind") or None
    limit, offset = _int(request, "limit", 10), _int(request, "offset", 0)
    html = wants_html(request.headers.get("accept"))
    if html and not query.strip() and "q" not in params:
        return _page(request, "", languages, kind, [], limit)  # the empty search form
    try:
        query = check_input(query, limit, offset)
    except SearchInputError as exc:
        raise HttpProblem(400, "bad-search", str(exc)) from None
    backend = request.app.state.backend
    index = await asyncio.to_thread(backend.search_index)
    hits = index.search(query, languages=languages, kind=kind, limit=limit, offset=offset)
    base = request.app.state.settings.base_iri
    rows = [{**h.as_dict(), "href": local_path(h.iri, base) or h.iri} for h in hits]
    if html:
        return _page(request, query, languages, kind, rows, limit)
    return JSONResponse({"query": query, "lang": languages[0], "kind": kind, "limit": limit, "offset": offset,
                         "hits": rows}, headers={**_HEADERS, "Content-Language": languages[0]})


def _page(request: Request, query: str, languages, kind, rows, limit) -> HTMLResponse:
    for row in rows:
        row["parts"] = _parts(row["snippet"], row["highlights"])
    body = render("search.html", query=query, lang=languages[0], kind=kind or "", limit=limit, hits=rows,
                  languages=list(UN_LANGUAGES.items()), max_length=MAX_QUERY_LENGTH)
    return HTMLResponse(body, headers={**_HEADERS, "Content-Language": languages[0]})


@router.get("/search/terms", summary="The project's classes, properties or resources starting with q "
            "(for completion in the query editor)", responses={200: {"content": {"application/json": {}}}, 400: {}})
async def terms(request: Request) -> JSONResponse:
    """``kind``: class, property or resource (default resource); ``q``: the start of a compact name
    (``gfmd:Pra``), of an IRI or of a word of the label; ``limit`` 1-100 (default 50)."""
    kind = request.query_params.get("kind", "resource")
    if kind not in TERM_KINDS:
        raise HttpProblem(400, "bad-search", f"kind must be one of {', '.join(TERM_KINDS)}, not {kind[:40]!r}")
    query = request.query_params.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        raise HttpProblem(400, "bad-search", f"q has {len(query)} characters; at most {MAX_QUERY_LENGTH}")
    limit = _int(request, "limit", 50)
    if not 1 <= limit <= 100:
        raise HttpProblem(400, "bad-search", f"limit must be between 1 and 100, not {limit}")
    index = await asyncio.to_thread(request.app.state.backend.search_index)
    found = index.terms(query, kind=kind, limit=limit)
    return JSONResponse({"kind": kind, "q": query,
                         "terms": [{"iri": t.iri, "compact": t.compact, "label": t.label} for t in found]})
