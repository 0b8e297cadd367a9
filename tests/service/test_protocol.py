"""SPARQL 1.1 Protocol behaviour of /sparql: methods, parameters, statuses and formats, parsed for real."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from urllib.parse import urlencode

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

GFMD = "https://w3id.org/gfmd/ontology#"
SUMMITS = f"SELECT ?s ?year WHERE {{ ?s a <{GFMD}Summit> ; <{GFMD}year> ?year }} ORDER BY ?year"
CONSTRUCT = f"CONSTRUCT {{ ?s a <{GFMD}Summit> }} WHERE {{ ?s a <{GFMD}Summit> }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def summit_years(client) -> list[int]:
    body = client.get("/sparql", params={"query": SUMMITS}, headers={"Accept": "application/sparql-results+json"}).json()
    return [int(b["year"]["value"]) for b in body["results"]["bindings"]]


def test_get_post_form_and_post_direct_give_the_same_rows(client):
    accept = {"Accept": "application/sparql-results+json"}
    get = client.get("/sparql", params={"query": SUMMITS}, headers=accept)
    form = client.post("/sparql", data={"query": SUMMITS}, headers=accept)
    direct = client.post("/sparql", content=SUMMITS, headers={**accept, "Content-Type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.json() == form.json() == direct.json()
    years = [int(b["year"]["value"]) for b in get.json()["results"]["bindings"]]
    assert years[0] == 2007 and years == sorted(years) and len(years) >= 10


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
    ("text/*;q=1.0, application/*;q=0.1", "text/csv"),
    ("application/json", "application/json"),
])
def test_select_results_by_accept(client, accept, expected):
    response = client.get("/sparql", params={"query": SUMMITS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]
    text = response.text
    if "json" in expected:
        rows = json.loads(text)["results"]["bindings"]
        years = [int(r["year"]["value"]) for r in rows]
    elif "xml" in expected:
        root = ET.fromstring(text)
        years = [int(b.find(SRX + "literal").text) for b in root.iter(SRX + "binding") if b.get("name") == "year"]
    elif expected == "text/csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        years = [int(r["year"]) for r in rows]
    else:
        lines = text.splitlines()
        assert lines[0] == "?s\t?year"
        years = [int(line.split("\t")[1].split("^^")[0].strip('"')) for line in lines[1:]]
    assert years == summit_years(client)


def test_ask_in_json_and_xml(client):
    query = f"ASK {{ <https://w3id.org/gfmd/id/summit/2007> a <{GFMD}Summit> }}"
    assert client.get("/sparql", params={"query": query}).json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(xml.text).find(SRX + "boolean").text == "true"


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_by_accept(client, accept, rdflib_format):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (URIRef("https://w3id.org/gfmd/id/summit/2007"), RDF.type, URIRef(GFMD + "Summit")) in graph
    assert len(graph) == len(summit_years(client))


def test_describe_returns_the_resource(client):
    response = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/gfmd/id/summit/2007>"},
                          headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef("https://w3id.org/gfmd/id/summit/2007"), RDF.type, URIRef(GFMD + "Summit")) in graph


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", params={"query": SUMMITS, "format": "csv"}, headers={"Accept": "application/xml"})
    assert response.headers["content-type"].startswith("text/csv")
    assert client.get("/sparql", params={"query": SUMMITS, "format": "bogus"}).status_code == 400
    # a hint that cannot carry the form gives way to Accept; several hints are read in order
    mismatch = client.get("/sparql", params={"query": SUMMITS, "format": "turtle"}, headers={"Accept": "text/csv"})
    assert mismatch.status_code == 200 and mismatch.headers["content-type"].startswith("text/csv")
    hints = client.get("/sparql", params=[("query", CONSTRUCT), ("format", "xml"), ("output", "rdf+xml"),
                                          ("results", "application/rdf+xml")])
    assert hints.headers["content-type"].startswith("application/rdf+xml")


def test_nothing_acceptable_is_406(client):
    response = client.get("/sparql", params={"query": SUMMITS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["message"]
    assert client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"}).status_code == 406


def test_syntax_error_is_400_with_the_parsers_position(client):
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "syntax-error" and "1:" in body["message"]
    assert "Traceback" not in response.text and "/home" not in response.text


def test_missing_and_doubled_query_are_400(client):
    assert client.post("/sparql", data={"default-graph-uri": "x"}).status_code == 400
    assert client.get("/sparql", params=[("query", SUMMITS), ("query", SUMMITS)]).status_code == 400
    assert client.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"}).status_code == 400
    direct = client.post("/sparql?query=ASK%7B%7D", content="ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 400


def test_wrong_body_type_is_415_and_wrong_method_405(client):
    assert client.post("/sparql", content=SUMMITS, headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post("/sparql", content=SUMMITS).status_code == 415
    response = client.put("/sparql", content=SUMMITS)
    assert response.status_code == 405 and "GET" in response.headers["allow"]
    assert client.delete("/sparql").status_code == 405


def test_updates_are_refused(client):
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}).status_code == 403
    # an update sent as a query is a malformed query (400 with the parser's message), not a refused update
    for response in (client.post("/sparql", data={"query": update}), client.get("/sparql", params={"query": update}),
                     client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 400, response.text
        problem = response.json()
        assert problem["error"] == "syntax-error" and "does not parse" in problem["message"] and "INSERT" in problem["message"]
    assert client.get("/sparql", params={"query": "ASK { <http://x/a> ?p ?o }"}).json()["boolean"] is False


SUMMITS_GRAPH = "https://w3id.org/gfmd/graph/data/summits"
SDG_GRAPH = "https://w3id.org/gfmd/graph/data/sdg"
UNKNOWN = "http://example.org/unknown"
COUNT_SUMMITS = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{GFMD}Summit> }}"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


def count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def graphs_seen(response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(b["g"]["value"] for b in response.json()["results"]["bindings"])


def test_protocol_dataset_restricts_to_held_graphs(client):
    whole = count(client.get("/sparql", params={"query": COUNT_SUMMITS}))
    assert whole > 0
    assert count(client.get("/sparql", params={"query": COUNT_SUMMITS, "default-graph-uri": SUMMITS_GRAPH})) == whole
    assert count(client.get("/sparql", params={"query": COUNT_SUMMITS, "default-graph-uri": SDG_GRAPH})) == 0
    named = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
                                          "named-graph-uri": SUMMITS_GRAPH})
    assert graphs_seen(named) == [SUMMITS_GRAPH]
    # named graphs only: the default graph is empty (SPARQL 1.1 Protocol 2.1.4)
    assert count(client.get("/sparql", params={"query": COUNT_SUMMITS, "named-graph-uri": SUMMITS_GRAPH})) == 0


def test_a_graph_the_service_does_not_hold_is_an_empty_graph(client):
    select = f"SELECT ?s WHERE {{ ?s a <{GFMD}Summit> }}"
    for response in (client.get("/sparql", params={"query": select, "default-graph-uri": UNKNOWN}, headers=JSON_RESULTS),
                     client.post("/sparql", data={"query": select, "default-graph-uri": UNKNOWN}, headers=JSON_RESULTS),
                     client.get("/sparql", params={"query": f"SELECT ?s FROM <{UNKNOWN}> WHERE {{ ?s a <{GFMD}Summit> }}"},
                                headers=JSON_RESULTS)):
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"] == []
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": UNKNOWN}, headers=JSON_RESULTS)
    assert ask.status_code == 200 and ask.json()["boolean"] is False
    construct = client.get("/sparql", params={"query": CONSTRUCT, "default-graph-uri": UNKNOWN},
                           headers={"Accept": "text/turtle"})
    assert construct.status_code == 200 and len(Graph().parse(data=construct.text, format="turtle")) == 0


def test_dataset_parameters_override_from_and_from_named(client):
    whole = count(client.get("/sparql", params={"query": COUNT_SUMMITS}))
    from_summits = f"SELECT (COUNT(*) AS ?n) FROM <{SUMMITS_GRAPH}> WHERE {{ ?s a <{GFMD}Summit> }}"
    assert count(client.get("/sparql", params={"query": from_summits})) == whole
    assert count(client.get("/sparql", params={"query": from_summits, "default-graph-uri": UNKNOWN})) == 0
    from_unknown = f"SELECT (COUNT(*) AS ?n) FROM <{UNKNOWN}> WHERE {{ ?s a <{GFMD}Summit> }}"
    assert count(client.get("/sparql", params={"query": from_unknown, "default-graph-uri": SUMMITS_GRAPH})) == whole
    named = f"SELECT DISTINCT ?g FROM NAMED <{SDG_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert graphs_seen(client.get("/sparql", params={"query": named})) == [SDG_GRAPH]
    assert graphs_seen(client.get("/sparql", params={"query": named, "named-graph-uri": SUMMITS_GRAPH})) == [SUMMITS_GRAPH]


def test_held_and_unknown_graphs_mixed(client):
    whole = count(client.get("/sparql", params={"query": COUNT_SUMMITS}))
    mixed = [("query", COUNT_SUMMITS), ("default-graph-uri", UNKNOWN), ("default-graph-uri", SUMMITS_GRAPH)]
    assert count(client.get("/sparql", params=mixed)) == whole
    from_mixed = (f"SELECT (COUNT(*) AS ?n) FROM <{UNKNOWN}> FROM <{SUMMITS_GRAPH}> "
                  f"WHERE {{ ?s a <{GFMD}Summit> }}")
    assert count(client.get("/sparql", params={"query": from_mixed})) == whole
    graphs = [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"), ("named-graph-uri", SUMMITS_GRAPH),
              ("named-graph-uri", UNKNOWN), ("named-graph-uri", SDG_GRAPH)]
    assert graphs_seen(client.get("/sparql", params=graphs)) == sorted([SUMMITS_GRAPH, SDG_GRAPH])
    fixed = [("query", f"ASK {{ GRAPH <{UNKNOWN}> {{ ?s ?p ?o }} }}"), ("named-graph-uri", UNKNOWN)]
    assert client.get("/sparql", params=fixed, headers=JSON_RESULTS).json()["boolean"] is False
    from_named = (f"SELECT DISTINCT ?g FROM NAMED <{UNKNOWN}> FROM NAMED <{SUMMITS_GRAPH}> "
                  "WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs_seen(client.get("/sparql", params={"query": from_named})) == [SUMMITS_GRAPH]


def test_a_dataset_parameter_that_is_not_an_iri_is_400(client):
    for value in ("not an iri", "relative/path", ""):
        response = client.get("/sparql", params={"query": COUNT_SUMMITS, "default-graph-uri": value})
        assert response.status_code == 400 and response.json()["error"] == "bad-graph-uri", value
    response = client.get("/sparql", params={"query": COUNT_SUMMITS, "named-graph-uri": "<http://x/>"})
    assert response.status_code == 400 and response.json()["error"] == "bad-graph-uri"


def test_from_clause_over_a_held_graph(client):
    query = (f"SELECT (COUNT(*) AS ?n) FROM <{SDG_GRAPH}> "
             f"WHERE {{ ?s a <{GFMD}Summit> }}")
    assert client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_service_description_in_turtle_and_jsonld(client):
    turtle = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    g = Graph().parse(data=turtle.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    services = list(g.subjects(RDF.type, URIRef(sd + "Service")))
    assert len(services) == 1
    names = {str(o) for o in g.objects(None, URIRef(sd + "name"))}
    assert "https://w3id.org/gfmd/graph/data/summits" in names and len(names) >= 20
    formats = {str(o) for o in g.objects(services[0], URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(g)


def test_browser_gets_the_editor_on_sparql(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")


def test_etag_and_conditional_get(client):
    first = client.get("/sparql", params={"query": SUMMITS})
    etag = first.headers["etag"]
    again = client.get("/sparql", params={"query": SUMMITS}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_cors_is_open_for_reads(client):
    response = client.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "http://example.org")
    assert client.get("/health", headers={"Origin": "http://example.org"}).headers["access-control-allow-origin"] == "*"


def test_head_answers_like_get_without_a_body(client):
    for path, params in (("/sparql", {"query": SUMMITS}), ("/sparql", {}), ("/id/summit/2007", {}), ("/health", {})):
        get = client.get(path, params=params)
        head = client.head(path, params=params)
        assert head.status_code == get.status_code == 200
        assert head.headers["content-type"] == get.headers["content-type"] and head.content == b""


def test_relative_iris_resolve_against_the_dataset_base(client):
    # the W3C protocol tests send e.g. CONSTRUCT { <s> <p> 1 } WHERE {}: not a syntax error
    response = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    assert response.text.strip() == ('<https://w3id.org/gfmd/s> <https://w3id.org/gfmd/p> '
                                     '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    # relative to https://w3id.org/gfmd/, so <id/...> names the graph's own resources
    ask = client.get("/sparql", params={"query": "ASK { <id/summit/2007> a <ontology#Summit> }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is True
    # the query's own BASE wins
    own = client.get("/sparql", params={"query": "BASE <http://example.org/> ASK { <id/summit/2007> ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert own.json()["boolean"] is False


@contextmanager
def gfmd_serve(**env: str):
    """``gfmd serve`` (the command users run, with its uvicorn settings) on a free port; stopped afterwards."""
    from conftest import free_port, serving

    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if k not in ("GFMD_MAX_URL_LENGTH", "GFMD_MAX_REQUEST_HEAD")}
    environment = {**inherited, "GFMD_QUERY_WORKERS": "1", "GFMD_VALIDATE": "off", **env}
    with serving([sys.executable, "-m", "gfmd_graph.cli", "serve", "--port", str(port), "--no-validate",
                  "--log-level", "warning"], environment, port) as base:
        yield base


def test_a_url_over_the_limit_is_414_with_a_problem_body():
    from fastapi.testclient import TestClient

    from gfmd_service.app import create_app
    from gfmd_service.settings import Settings

    app = create_app(Settings.from_env(validate=False, query_workers=1, cache_size=0, max_url_length=2000))
    with TestClient(app) as small:
        short = small.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS)
        assert short.status_code == 200 and short.json()["boolean"] is True
        response = small.get("/sparql", params={"query": "ASK { ?s ?p ?o } #" + "x" * 2000}, headers=JSON_RESULTS)
        assert response.status_code == 414
        problem = response.json()
        assert problem["status"] == 414 and problem["error"] == "uri-too-long" and "POST" in problem["message"]
        # every route, not only /sparql: a named query, the search, a page
        for path, params in (("/queries/cq/cq08-summits", {"year": "1" * 2100}), ("/search", {"q": "x" * 2100}),
                             ("/id/summit/2007", {"lang": "x" * 2100})):
            response = small.get(path, params=params, headers={"Accept": "application/json"})
            assert response.status_code == 414, path
            assert response.json()["error"] == "uri-too-long"
        browser = small.get("/search", params={"q": "x" * 2100}, headers={"Accept": "text/html"})
        assert browser.status_code == 414 and browser.headers["content-type"].startswith("text/html")


def raw_get(base: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """A GET of ``target`` sent as it is (HTTP clients such as httpx refuse URLs past 64 KiB)."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    try:
        connection.request("GET", target, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_megabyte_get_is_answered_414_over_a_real_server_and_post_still_works():
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> } ORDER BY ?s LIMIT 2 #" + "x" * 1_000_000
    with gfmd_serve(GFMD_MAX_QUERY_LENGTH="2000000") as base:
        with httpx.Client(timeout=60) as http:
            status, headers, body = raw_get(base, "/sparql?" + urlencode({"query": query}))
            assert status == 414
            assert headers["content-type"].startswith("application/json")
            problem = json.loads(body)
            assert problem["status"] == 414 and problem["error"] == "uri-too-long" and "POST" in problem["message"]
            # a GET above h11's default 16 KiB head but under the URL limit is answered
            medium = "SELECT ?s WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> } LIMIT 2 #" + "y" * 30_000
            assert len(http.get(base + "/sparql", params={"query": medium},
                                headers=JSON_RESULTS).json()["results"]["bindings"]) == 2
            for posted in (http.post(base + "/sparql", content=query.encode(),
                                     headers={**JSON_RESULTS, "Content-Type": "application/sparql-query"}),
                           http.post(base + "/sparql", data={"query": query}, headers=JSON_RESULTS)):
                assert posted.status_code == 200, posted.text[:300]
                assert len(posted.json()["results"]["bindings"]) == 2
    # with the default query length limit, the same POST gets the ordinary 413 problem
    with gfmd_serve() as base:
        posted = httpx.post(base + "/sparql", content=query.encode(), timeout=60,
                            headers={**JSON_RESULTS, "Content-Type": "application/sparql-query"})
        assert posted.status_code == 413 and posted.json()["error"] == "query-too-long"


def test_gfmd_serve_parses_with_httptools_and_answers_414_past_its_url_parser():
    """httptools reads URLs up to 65,535 bytes: up to the limit a GET is answered, past it 414 (not a bare 400);
    a URL limit above what httptools parses falls back to h11 and serves the longer GET."""
    from gfmd_service.http_protocol import HTTPTOOLS_MAX_URL, UrlLimitedHttpToolsProtocol
    from gfmd_service.server import http_protocol
    from gfmd_service.settings import Settings

    assert http_protocol(Settings.from_env()) is UrlLimitedHttpToolsProtocol
    assert http_protocol(Settings.from_env(max_url_length=HTTPTOOLS_MAX_URL + 1)) == "h11"
    select = "SELECT ?s WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> } LIMIT 2 #"
    under = "/sparql?" + urlencode({"query": select + "u" * (HTTPTOOLS_MAX_URL - 200)})
    over = "/sparql?" + urlencode({"query": select + "o" * HTTPTOOLS_MAX_URL})
    with gfmd_serve() as base:
        status, _, body = raw_get(base, under)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
        status, headers, body = raw_get(base, over)
        assert status == 414 and headers["content-type"].startswith("application/json")
        assert json.loads(body)["error"] == "uri-too-long"
        assert str(HTTPTOOLS_MAX_URL) in json.loads(body)["message"]
    with gfmd_serve(GFMD_MAX_URL_LENGTH="200000") as base:
        status, _, body = raw_get(base, over)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
