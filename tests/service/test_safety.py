"""Safety on the open web: no file or remote access, time limits that stop work, caps, bounded load."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest


JSON = {"Accept": "application/sparql-results+json"}
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "SELECT ?s WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> } ORDER BY ?s LIMIT 3"


class Listener:
    """A TCP listener on a free port that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.contacts = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.contacts += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    spy = Listener()
    yield spy
    spy.close()


def test_service_and_load_are_refused_and_nothing_is_contacted(client, listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    attempts = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX spy: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE spy:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]
    for query in attempts:
        for response in (client.get("/sparql", params={"query": query}, headers=JSON),
                         client.post("/sparql", data={"query": query}, headers=JSON)):
            assert response.status_code == 403, query
            assert response.json()["error"] == "query-refused"
    load = client.post("/sparql", data={"update": f"LOAD <{url}>"})
    assert load.status_code == 403
    time.sleep(0.5)
    assert listener.contacts == 0


def test_from_a_url_or_a_file_is_an_empty_graph_and_nothing_is_fetched(client, listener):
    url = f"http://127.0.0.1:{listener.port}/graph"
    queries = [
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX spy: <http://127.0.0.1:{listener.port}/> SELECT * FROM spy:graph WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }",
        f"SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        for response in (client.get("/sparql", params={"query": query}, headers=JSON),
                         client.post("/sparql", data={"query": query}, headers=JSON)):
            assert response.status_code == 200, (query, response.text)
            assert response.json()["results"]["bindings"] == [], query
    for name in ("default-graph-uri", "named-graph-uri"):
        for graph in (url, "file:///etc/passwd"):
            response = client.get("/sparql", params={"query": "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                                                     name: graph}, headers=JSON)
            assert response.status_code == 200 and response.json()["results"]["bindings"] == [], (name, graph)
    construct = client.get("/sparql", params={"query": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}"},
                           headers={"Accept": "application/n-triples"})
    assert construct.status_code == 200 and construct.text.strip() == ""
    time.sleep(0.5)
    assert listener.contacts == 0


def test_keywords_inside_strings_and_names_are_not_refused(client):
    query = ('PREFIX ex: <http://example.org/> SELECT ("SERVICE <http://x/> FROM <file:///etc>" AS ?text) '
             'WHERE { OPTIONAL { ?s ex:SERVICE ?SERVICE } } # SERVICE <http://x/>')
    response = client.get("/sparql", params={"query": query}, headers=JSON)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["text"]["value"].startswith("SERVICE")


def test_allow_listed_service_is_permitted(run_server):
    with run_server(GFMD_SERVICE_ALLOWLIST="http://127.0.0.1:9/sparql") as base:
        query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } } LIMIT 1"
        response = httpx.get(base + "/sparql", params={"query": query}, headers=JSON, timeout=30)
        assert response.status_code != 403


def test_timeout_stops_the_query_while_others_are_answered(run_server):
    with run_server(GFMD_QUERY_TIMEOUT="2", GFMD_QUERY_WORKERS="2") as base:
        with ThreadPoolExecutor(4) as pool:
            started = time.monotonic()
            slow = pool.submit(httpx.get, base + "/sparql", params={"query": PATHOLOGICAL}, headers=JSON, timeout=60)
            time.sleep(0.3)
            quick = [httpx.get(base + "/sparql", params={"query": QUICK + f" # {i}"}, headers=JSON, timeout=30)
                     for i in range(5)]
            answer = slow.result()
            elapsed = time.monotonic() - started
        assert answer.status_code == 503
        assert answer.json()["error"] == "query-timeout" and "Retry-After" in answer.headers
        assert elapsed < 15
        assert all(r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3 for r in quick)
        # the stopped worker is replaced: the service keeps answering with its full pool
        deadline = time.monotonic() + 30
        while True:
            metrics = httpx.get(base + "/metrics").text
            if 'gfmd_queries_total{outcome="timeout"} 1.0' in metrics:
                break
            assert time.monotonic() < deadline
            time.sleep(0.2)
        again = [httpx.get(base + "/sparql", params={"query": QUICK}, headers=JSON, timeout=30) for _ in range(3)]
        assert all(r.status_code == 200 for r in again)


def test_oversize_query_is_refused(client):
    settings = client.app.state.settings
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * settings.max_query_length
    assert client.post("/sparql", data={"query": long_query}).status_code == 413
    assert client.post("/sparql", content=long_query,
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413


def test_row_and_byte_caps_cut_answers_at_a_row_boundary(run_server):
    with run_server(GFMD_MAX_ROWS="5", GFMD_MAX_RESPONSE_BYTES="2000", GFMD_MAX_QUERY_LENGTH="3000") as base:
        too_long = httpx.get(base + "/sparql", params={"query": "ASK {} #" + "x" * 3000})
        assert too_long.status_code == 414 and too_long.json()["error"] == "query-too-long"
        rows = httpx.get(base + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers=JSON)
        assert rows.status_code == 200 and rows.headers["GFMD-Truncated"] == "rows"
        assert len(rows.json()["results"]["bindings"]) == 5
        big = httpx.get(base + "/sparql", params={"query": "SELECT ?o WHERE { ?s <http://purl.org/dc/terms/description> ?o }"},
                        headers=JSON)
        assert big.status_code == 200 and big.headers["GFMD-Truncated"] in ("bytes", "rows")
        assert len(big.content) <= 2000
        big.json()  # still a complete document
        triples = httpx.get(base + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                            headers={"Accept": "text/turtle"})
        assert triples.headers["GFMD-Truncated"] in ("rows", "bytes") and len(triples.content) <= 2000


def test_a_burst_is_answered_or_turned_away_with_503(run_server):
    with run_server(GFMD_QUERY_WORKERS="1", GFMD_MAX_WAITING="3", GFMD_WAIT_TIMEOUT="2",
                        GFMD_CACHE_SIZE="0") as base:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s ?q ?x }"
        expected = httpx.get(base + "/sparql", params={"query": query}, headers=JSON, timeout=60).json()

        def ask(i: int) -> httpx.Response:
            return httpx.get(base + "/sparql", params={"query": query + f" # {i}"}, headers=JSON, timeout=60)

        with ThreadPoolExecutor(24) as pool:
            responses = list(pool.map(ask, range(48)))
        statuses = {r.status_code for r in responses}
        assert statuses <= {200, 503}
        assert 200 in statuses
        for r in responses:
            if r.status_code == 200:
                assert r.json()["results"] == expected["results"]
            else:
                assert r.json()["error"] == "busy" and r.headers["Retry-After"]
        assert httpx.get(base + "/health").status_code == 200


def test_errors_never_leak_internals(client):
    for response in (client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y "}),
                     client.get("/id/does/not/exist"), client.get("/nowhere"),
                     client.get("/download/graph.exe"), client.get("/queries/nope")):
        assert response.status_code in (400, 404)
        body = response.json()
        assert set(body) == {"status", "error", "title", "message"}
        assert "Traceback" not in response.text and "site-packages" not in response.text
