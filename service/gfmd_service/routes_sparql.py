"""``/sparql``: the SPARQL 1.1 Protocol query operation and the service description; read-only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .answering import answer_query
from .negotiation import choose
from .problems import HttpProblem
from .protocol import read_query_operation
from .rdf_response import RDF_TYPES, pick_rdf_type, rdf_response

router = APIRouter()

QUERY_DOC = """SPARQL 1.1 Protocol query operation over the GFMD Knowledge Graph (read-only).

- **GET** with `query` (and optional `default-graph-uri`, `named-graph-uri`, `format`).
- **POST** `application/x-www-form-urlencoded` with the same fields in the body, or
  **POST** `application/sparql-query` with the query as the body.
- Results by `Accept` (q-values honoured; 406 if nothing fits): SELECT/ASK as
  `application/sparql-results+json`, `+xml`, `text/csv`, `text/tab-separated-values`;
  CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads.
  `format=json|xml|csv|tsv|turtle|ntriples|jsonld|rdfxml` overrides Accept.
- GET without `query` returns the SPARQL 1.1 Service Description (Turtle, JSON-LD, …)
  or, for browsers, the query editor.
- The dataset: `default-graph-uri` / `named-graph-uri` override the query's `FROM` / `FROM NAMED`;
  a graph the service does not hold is an empty graph and is never fetched.
- 400 syntax error (with the parser's position; an update sent as `query` is one) / doubled `query` /
  unknown format / a dataset parameter that is not an absolute IRI; 403 update request, `SERVICE` outside the allow-list; 413/414 query too long, 414 URL too long (POST a long query);
  415 other body types; 503 time limit reached or too many queries waiting (`Retry-After`).
"""


async def answer_operation(request: Request) -> Response:
    """Answer a query operation (GET, POST form or direct POST), or describe the service for a GET
    without ``query``; raises :class:`HttpProblem` for what the protocol refuses."""
    settings = request.app.state.settings
    body = await request.body() if request.method == "POST" else b""
    op = read_query_operation(request.method, request.headers.get("content-type"), request.url.query, body,
                              max_query_length=settings.max_query_length)
    if op.query is None:
        if request.method == "POST" or op.default_graphs or op.named_graphs:
            raise HttpProblem(400, "missing-query", "the request carries no 'query' parameter")
        return await describe_service(request, op.format)
    return await answer_query(request, op.query, default_graphs=op.default_graphs,
                              named_graphs=op.named_graphs, format_param=op.format)


@router.get("/sparql", summary="Query (GET) or read the service description", description=QUERY_DOC,
            responses={200: {"content": {"application/sparql-results+json": {}, "text/turtle": {}}}})
async def sparql_get(request: Request) -> Response:
    return await answer_operation(request)


@router.post("/sparql", summary="Query (POST form or application/sparql-query body)", description=QUERY_DOC,
             responses={200: {"content": {"application/sparql-results+json": {}, "text/turtle": {}}}})
async def sparql_post(request: Request) -> Response:
    return await answer_operation(request)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def sparql_other(request: Request) -> Response:
    raise HttpProblem(405, "method-not-allowed", f"{request.method} is not allowed on /sparql: "
                      "query with GET or POST; this endpoint is read-only", {"Allow": "GET, HEAD, POST, OPTIONS"})


async def describe_service(request: Request, format_param=()) -> Response:
    """The service description, or the query editor for a browser."""
    offered = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples", "text/html"]
    if not format_param and choose(request.headers.get("accept"), offered) == "text/html":
        from .editor import editor_response

        return editor_response(request)
    media_type = pick_rdf_type(request, offered=[t for t in RDF_TYPES if t not in ("application/trig", "application/n-quads")],
                               format_param=format_param)
    if media_type is None:
        raise HttpProblem(406, "not-acceptable", "the service description is offered as " + ", ".join(offered))
    from .service_description import service_description  # rdflib: loaded by the first description

    backend = request.app.state.backend
    graph = service_description(str(request.url_for("sparql_get")), backend.graph_sizes,
                                union_size=backend.union_size, version=backend.version,
                                allowlist=request.app.state.settings.service_allowlist)
    return rdf_response(graph, media_type)
