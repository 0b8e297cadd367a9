"""Query operations answered before the framework's routing: the same answers, headers and errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from gfmd_service.app import create_app
from gfmd_service.settings import Settings

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> } ORDER BY ?s LIMIT 3"
JSON_RESULTS = "application/sparql-results+json"


def requests_counted(client, method: str, status: int) -> float:
    """The /metrics counter of requests on the route /sparql with this method and status."""
    prefix = f'gfmd_http_requests_total{{method="{method}",route="/sparql",status="{status}"}} '
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix):])
    return 0.0


def test_a_get_query_is_answered_and_counted_under_its_route(client):
    before = requests_counted(client, "GET", 200)
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSON_RESULTS)
    rows = response.json()["results"]["bindings"]
    assert len(rows) == 3 and all(r["s"]["value"].startswith("https://w3id.org/gfmd/id/summit/") for r in rows)
    assert "Accept" in response.headers["vary"] and response.headers["etag"]
    assert requests_counted(client, "GET", 200) == before + 1


def test_post_form_and_direct_bodies_give_the_same_rows_as_get(client):
    by_get = client.get("/sparql", params={"query": SELECT}, headers={"Accept": JSON_RESULTS}).json()
    by_form = client.post("/sparql", data={"query": SELECT}, headers={"Accept": JSON_RESULTS})
    direct = client.post("/sparql", content=SELECT.encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS})
    assert by_form.status_code == direct.status_code == 200
    assert by_form.json() == direct.json() == by_get


def test_a_syntax_error_is_a_400_problem_with_the_parsers_message_as_json_or_html(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "syntax-error" and "does not parse" in body["message"]
    page = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"},
                      headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "syntax-error" in page.text


@pytest.mark.parametrize("request_kwargs, status, code", [
    ({"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, 400, "syntax-error"),
    ({"method": "POST", "data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, 403, "read-only"),
    ({"method": "POST", "content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "unsupported-media-type"),
    ({"method": "POST", "data": {"format": "json"}}, 400, "missing-query"),
    ({"params": [("query", ASK), ("query", ASK)]}, 400, "doubled-parameter"),
])
def test_what_the_protocol_refuses_gets_its_status_and_code(client, request_kwargs, status, code):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "GET")
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status
    assert response.json()["error"] == code


def test_get_without_a_query_still_gives_the_service_description_and_the_editor(client):
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and "sparql-service-description" in description.text
    editor = client.get("/sparql", headers={"Accept": "text/html"})
    assert editor.status_code == 200 and editor.headers["content-type"].startswith("text/html")


def test_head_and_conditional_requests_behave_as_on_the_route(client):
    first = client.get("/sparql", params={"query": ASK}, headers={"Accept": JSON_RESULTS})
    head = client.head("/sparql", params={"query": ASK}, headers={"Accept": JSON_RESULTS})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == first.headers["etag"]
    again = client.get("/sparql", params={"query": ASK},
                       headers={"Accept": JSON_RESULTS, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_answers_carry_the_cors_headers_browsers_need(client):
    response = client.get("/sparql", params={"query": ASK},
                          headers={"Accept": JSON_RESULTS, "Origin": "https://example.org"})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]


def test_a_url_past_the_limit_is_a_414_problem():
    app = create_app(Settings.from_env(validate=False, query_workers=1, cache_size=0, max_url_length=200))
    with TestClient(app) as small:
        response = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } # " + "x" * 300})
    assert response.status_code == 414
    assert response.json()["error"] == "uri-too-long"


def test_an_unexpected_error_is_a_500_problem_and_the_service_goes_on(client, monkeypatch):
    import gfmd_service.routes_sparql as routes

    async def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "answer_operation", broken)
    response = client.get("/sparql", params={"query": ASK}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 500
    assert response.json()["error"] == "internal-error" and "boom" not in response.text
    monkeypatch.undo()
    assert json.loads(client.get("/sparql", params={"query": ASK},
                                 headers={"Accept": JSON_RESULTS}).text)["boolean"] is True
