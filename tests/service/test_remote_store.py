"""The service as a front for an existing SPARQL server (the Oxigraph server, started by the test)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import httpx
import pytest

from gfmd_graph.store import EMPTY_GRAPH, QueryRequest, RemoteStore, load_into_server

JSON = {"Accept": "application/sparql-results+json"}
SUMMITS = ("SELECT ?s ?year WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> ; "
           "<https://w3id.org/gfmd/ontology#year> ?year } ORDER BY ?year")


@pytest.fixture
def oxigraph_server():
    """An in-memory Oxigraph server on a free port, loaded with the graph by the library."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server (PyPI package oxigraph, in the test extra) is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the oxigraph server did not start"
                time.sleep(0.2)
        load_into_server(base + "/store")
        yield base
    finally:
        process.terminate()
        process.wait(10)


def test_same_answers_through_a_remote_store(oxigraph_server, live_server, run_server):
    with run_server(GFMD_STORE_URL=oxigraph_server + "/query") as front:
        health = httpx.get(front + "/health").json()
        assert health["store"] == "remote"
        for query in (SUMMITS, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"):
            remote = httpx.get(front + "/sparql", params={"query": query}, headers=JSON).json()
            local = httpx.get(live_server + "/sparql", params={"query": query}, headers=JSON).json()
            assert remote["results"]["bindings"] == local["results"]["bindings"]
        graph = "https://w3id.org/gfmd/graph/data/summits"
        named = httpx.get(front + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
                                                     "named-graph-uri": graph}, headers=JSON).json()
        assert [b["g"]["value"] for b in named["results"]["bindings"]] == [graph]
        page = httpx.get(front + "/id/summit/2007", headers={"Accept": "text/turtle"})
        assert page.status_code == 200 and "summit" in page.text
        assert httpx.get(front + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}).status_code == 400
        refused = httpx.get(front + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert refused.status_code == 403


HELD = "https://w3id.org/gfmd/graph/data/summits"
UNKNOWN = "http://example.org/unknown"


def test_the_remote_store_is_sent_only_graphs_it_holds():
    store = RemoteStore("http://127.0.0.1:9/query")
    store.held = {HELD}
    try:
        assert store.dataset_params(QueryRequest("SELECT * WHERE { ?s ?p ?o }", "json")) == []
        # the query's FROM is replaced by parameters naming held graphs, so no server is asked to fetch one
        query = f"SELECT * FROM <{UNKNOWN}> FROM <{HELD}> FROM NAMED <file:///etc/passwd> WHERE {{ ?s ?p ?o }}"
        assert store.dataset_params(QueryRequest(query, "json")) == [("default-graph-uri", HELD)]
        assert store.dataset_params(QueryRequest(f"SELECT * FROM <{UNKNOWN}> WHERE {{ ?s ?p ?o }}", "json")) == [
            ("default-graph-uri", EMPTY_GRAPH)]
        # the protocol parameters win over FROM / FROM NAMED
        given = QueryRequest(f"SELECT * FROM <{HELD}> WHERE {{ ?s ?p ?o }}", "json",
                             default_graphs=(UNKNOWN,), named_graphs=(HELD, UNKNOWN))
        assert store.dataset_params(given) == [("default-graph-uri", EMPTY_GRAPH), ("named-graph-uri", HELD)]
    finally:
        store.client.close()


def test_unknown_graphs_are_empty_through_a_remote_store(oxigraph_server, run_server):
    count = f"SELECT (COUNT(*) AS ?n) %s WHERE {{ ?s a <https://w3id.org/gfmd/ontology#Summit> }}"

    def n(front, **params) -> int:
        response = httpx.get(front + "/sparql", params=params, headers=JSON)
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    with run_server(GFMD_STORE_URL=oxigraph_server + "/query") as front:
        whole = n(front, query=count % "")
        assert whole > 0
        assert n(front, query=count % f"FROM <{HELD}>") == whole
        assert n(front, query=count % f"FROM <{UNKNOWN}>") == 0
        assert n(front, query=count % f"FROM <{UNKNOWN}> FROM <{HELD}>") == whole
        assert n(front, query=count % f"FROM <{HELD}>", **{"default-graph-uri": UNKNOWN}) == 0
        graphs = httpx.get(front + "/sparql", params=[("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"),
                                                      ("named-graph-uri", HELD), ("named-graph-uri", UNKNOWN)],
                           headers=JSON).json()
        assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [HELD]
