"""The named queries of ``queries/``: a list and running one, as JSON for programs and HTML for people.

``GET /queries`` lists them (JSON; an HTML page with a form per query when the browser
prefers ``text/html``). ``GET /queries/<name>`` runs one with its parameters as
query-string fields; results by Accept or ``format=`` as for ``/sparql``, and an HTML
table (with a link that opens the query in the editor) when the browser prefers HTML.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from gfmd_graph.errors import QueryParameterError

from .answering import answer_query, offered_types
from .negotiation import choose
from .problems import HttpProblem
from .templates import render

router = APIRouter()

HTML_HEADERS = {"Vary": "Accept", "Cache-Control": "no-cache"}


def wants_html(request: Request, offered: list[str]) -> bool:
    """True when no ``format=`` is given and the Accept header ranks HTML above ``offered``.

    ``text/html`` comes last in the server's order, so ``*/*`` and a missing Accept keep
    the machine formats.
    """
    if request.query_params.get("format"):
        return False
    return choose(request.headers.get("accept"), [*offered, "text/html"]) == "text/html"


def _query_summary(query) -> dict:
    params = [asdict(p) for p in query.params]
    return {"name": query.name, "title": query.title, "description": query.description,
            "params": params, "query": query.text, "url": f"/queries/{query.name}"}


@router.get("/queries", summary="The named queries: title, description, parameters, text")
async def list_queries(request: Request) -> Response:
    queries = request.app.state.backend.named_queries().values()
    if wants_html(request, ["application/json"]):
        return HTMLResponse(render("queries.html", queries=list(queries)), headers=HTML_HEADERS)
    return JSONResponse([_query_summary(q) for q in queries], headers={"Vary": "Accept"})


@router.get("/queries/{name:path}", summary="Run a named query with validated parameters",
            description="Parameters are passed as query-string fields named after the query's `# param:` "
                        "header lines; results by Accept or `format=`, as for /sparql (a browser asking for "
                        "HTML gets a table).")
async def run_query(request: Request, name: str) -> Response:
    queries = request.app.state.backend.named_queries()
    if name not in queries:
        raise HttpProblem(404, "unknown-query", f"no named query {name!r}; GET /queries lists them")
    query = queries[name]
    values = {k: v for k, v in request.query_params.multi_items() if k not in ("format",)}
    html = wants_html(request, list(offered_types("SELECT")))
    try:
        text = query.bind(values)
    except QueryParameterError as exc:
        if html:
            page = render("query_results.html", query=query, values=values, error=str(exc),
                          editor_url=_editor_url(query, query.text), columns=[], rows=[])
            return HTMLResponse(page, status_code=400, headers=HTML_HEADERS)
        raise HttpProblem(400, "bad-parameter", str(exc)) from None
    if not html:
        return await answer_query(request, text, format_param=tuple(request.query_params.getlist("format")),
                                  name=name)
    return await _results_page(request, query, values, text)


def _editor_url(query, text: str) -> str:
    """The editor page opening ``text`` in a tab named after the query (YASGUI's URL parameters)."""
    return "/?" + urlencode({"query": text, "tabTitle": query.title})


async def _results_page(request: Request, query, values: dict, text: str) -> HTMLResponse:
    # The same path as the machine formats (guard, limits, metrics), asked for SPARQL JSON;
    # without the browser's validators, which belong to this page, not to the JSON.
    scope = dict(request.scope)
    scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k not in (b"if-none-match", b"accept")]
    answer = await answer_query(Request(scope), text, format_param=("json",), name=query.name)
    data = json.loads(answer.body)
    columns = data.get("head", {}).get("vars", [])
    rows = [[_cell(binding.get(c)) for c in columns] for binding in data.get("results", {}).get("bindings", [])]
    page = render("query_results.html", query=query, values=values, error=None, columns=columns, rows=rows,
                  boolean=data.get("boolean"), truncated=answer.headers.get("GFMD-Truncated"),
                  editor_url=_editor_url(query, text),
                  json_url=f"/queries/{query.name}?" + urlencode([*values.items(), ("format", "json")]),
                  csv_url=f"/queries/{query.name}?" + urlencode([*values.items(), ("format", "csv")]))
    return HTMLResponse(page, headers=HTML_HEADERS)


def _cell(term: dict | None) -> dict:
    """A SPARQL JSON term as shown text, a link for IRIs under this service, and a note."""
    if term is None:
        return {"text": "", "href": None, "note": None}
    value = term.get("value", "")
    if term.get("type") == "uri":
        return {"text": value, "href": value, "note": None}
    note = term.get("xml:lang") and "@" + term["xml:lang"]
    return {"text": value, "href": None, "note": note or None}
