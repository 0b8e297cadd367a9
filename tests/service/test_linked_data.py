"""Linked data, downloads, dataset description, named queries and operations endpoints."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

GFMD = "https://w3id.org/gfmd/ontology#"
SUMMIT = URIRef("https://w3id.org/gfmd/id/summit/2007")
VOID = "http://rdfs.org/ns/void#"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text: str) -> Links:
    parser = Links()
    parser.feed(text)
    return parser


def test_resource_page_for_browsers(client):
    response = client.get("/id/summit/2007", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = parse_html(response.text)
    text = " ".join(page.text)
    assert "GFMD" in text and "2007" in text
    assert "/id/chairmanship/2007" in page.hrefs or any(h.startswith("/id/") for h in page.hrefs)
    assert "/id/summit/2007?format=turtle" in page.hrefs
    assert 'rel="canonical"' in response.headers["link"] and "Accept" in response.headers["vary"]


def test_resource_page_shows_the_source_passage(client):
    page = client.get("/id/practice/pfp-2347", headers={"Accept": "text/html"}).text
    assert "Provenance" in page and ".txt#L" in page
    assert "International Recruitment Integrity System" in page


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_resource_as_rdf_by_accept(client, accept, fmt):
    response = client.get("/id/summit/2007", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=fmt)
    assert (SUMMIT, RDF.type, URIRef(GFMD + "Summit")) in graph
    assert (SUMMIT, URIRef(GFMD + "year"), Literal(2007)) in graph
    # labels of the resources it links to come along
    linked = [o for o in graph.objects(SUMMIT, None) if isinstance(o, URIRef) and "/id/" in str(o)]
    assert linked and all(graph.value(o, RDFS.label) is not None for o in linked)


def test_resource_format_parameter_and_incoming_links(client):
    response = client.get("/id/summit/2007", params={"format": "ntriples"})
    graph = Graph().parse(data=response.text, format="nt")
    incoming = set(graph.subjects(URIRef(GFMD + "partOf"), SUMMIT))
    assert URIRef("https://w3id.org/gfmd/id/roundtable/2007-1") in incoming


def test_unknown_resource_is_404(client):
    assert client.get("/id/summit/1900").status_code == 404
    assert client.get("/id/summit/1900", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/summit/2007", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_and_its_terms_resolve(client):
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Summit" in html.text
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(GFMD + "Summit"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
    term = client.get("/ontology/chairedBy", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=term.text, format="turtle")
    assert g.value(URIRef(GFMD + "chairedBy"), RDFS.label) is not None
    page = client.get("/ontology/chairedBy", headers={"Accept": "text/html"}).text
    assert "any of:" in page  # the union domain is shown readably
    assert client.get("/ontology/NoSuchTerm").status_code == 404


def test_downloads_with_validators(client):
    turtle = client.get("/download/graph.ttl")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.headers["etag"] and turtle.headers["last-modified"]
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) == client.app.state.backend.union_size
    assert client.get("/download/graph.ttl", headers={"If-None-Match": turtle.headers["etag"]}).status_code == 304
    quads = client.get("/download/graph.nq")
    dataset = Dataset()
    dataset.parse(data=quads.text, format="nquads")
    assert len({g.identifier for g in dataset.graphs()} - {URIRef("urn:x-rdflib:default")}) == len(
        client.app.state.backend.graph_names)
    for ext, fmt in (("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        response = client.get(f"/download/graph.{ext}")
        assert len(Graph().parse(data=response.text, format=fmt)) == len(graph)
    assert client.get("/download/graph.exe").status_code == 404


def test_void_describes_the_real_dataset(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    g = Graph().parse(data=response.text, format="turtle")
    datasets = list(g.subjects(RDF.type, URIRef(VOID + "Dataset")))
    assert datasets
    triples = {int(o) for o in g.objects(None, URIRef(VOID + "triples"))}
    assert client.app.state.backend.union_size in triples
    endpoints = {str(o) for o in g.objects(None, URIRef(VOID + "sparqlEndpoint"))}
    assert any(e.endswith("/sparql") for e in endpoints)


def test_named_queries_listed_and_run(client):
    listing = client.get("/queries").json()
    names = {q["name"] for q in listing}
    assert "cq/cq02-gcm-objectives" in names
    entry = next(q for q in listing if q["name"] == "cq/cq08-summits")
    assert entry["title"] and entry["params"] and entry["params"][0]["name"] == "year"
    objectives = client.get("/queries/cq/cq02-gcm-objectives", headers={"Accept": "application/sparql-results+json"})
    assert len(objectives.json()["results"]["bindings"]) == 23
    csv = client.get("/queries/cq/cq02-gcm-objectives", params={"format": "csv"})
    assert csv.text.splitlines()[0] == "objective,title" and len(csv.text.splitlines()) == 24
    one_year = client.get("/queries/cq/cq08-summits", params={"year": "2007"}).json()["results"]["bindings"]
    assert one_year and {b["year"]["value"] for b in one_year} == {"2007"}
    bad = client.get("/queries/cq/cq08-summits", params={"year": "2007} UNION { ?s ?p ?o"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad-parameter"
    assert client.get("/queries/cq/cq08-summits", params={"nope": "1"}).status_code == 400
    assert client.get("/queries/cq/none").status_code == 404


def test_health_and_metrics(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and len(health["version"]) == 16 and health["triples"] > 10000
    client.get("/sparql", params={"query": "ASK {}"})
    client.get("/sparql", params={"query": "ASK {"})
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'gfmd_queries_total{outcome="ok"}' in text and 'gfmd_queries_total{outcome="syntax-error"}' in text
    assert "gfmd_query_duration_seconds_bucket" in text and 'route="/sparql"' in text


def test_openapi_documents_the_routes(client):
    spec = client.get("/openapi.json").json()
    for path in ("/sparql", "/id/{key}", "/queries", "/queries/{name}", "/.well-known/void",
                 "/download/graph.{extension}", "/health", "/metrics", "/ontology"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200
    json.dumps(spec)


# --- formats: one table for every route -------------------------------------------------------

from email.utils import format_datetime  # noqa: E402

from rdflib import Namespace  # noqa: E402

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

#: route -> (a triple its RDF must hold)
RDF_ROUTES = {
    "/id/summit/2007": (SUMMIT, RDF.type, URIRef(GFMD + "Summit")),
    "/ontology": (URIRef(GFMD + "Summit"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")),
    "/ontology/Summit": (URIRef(GFMD + "Summit"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")),
    "/.well-known/void": (None, RDF.type, URIRef(VOID + "Dataset")),
    "/sparql": (None, RDF.type, SD.Service),
}

#: format name -> (media type, rdflib parser, other names the same format answers to)
RDF_FORMATS = {
    "turtle": ("text/turtle", "turtle", ("ttl", "text/turtle")),
    "ntriples": ("application/n-triples", "nt", ("nt",)),
    "jsonld": ("application/ld+json", "json-ld", ("json-ld",)),
    "rdfxml": ("application/rdf+xml", "xml", ("rdf",)),
    "trig": ("application/trig", "trig", ()),
    "nquads": ("application/n-quads", "nquads", ("nq",)),
}


def parse_rdf(response, parser: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=response.content, format=parser)
    return dataset


@pytest.mark.parametrize("path", list(RDF_ROUTES))
def test_every_rdf_format_by_accept_and_by_name(client, path):
    s, p, o = RDF_ROUTES[path]
    for name, (media_type, parser, aliases) in RDF_FORMATS.items():
        answers = [client.get(path, headers={"Accept": media_type})]
        answers += [client.get(path, params={"format": n}) for n in (name, *aliases)]
        for response in answers:
            assert response.status_code == 200, (path, name, response.text[:200])
            assert response.headers["content-type"].split(";")[0] == media_type
            assert "accept" in response.headers["vary"].lower()
            dataset = parse_rdf(response, parser)
            assert (s, p, o) in dataset or any(True for _ in dataset.triples((s, p, o))), (path, name)


def test_trig_and_nquads_put_a_description_in_the_default_graph(client):
    turtle = Graph().parse(data=client.get("/id/summit/2007", params={"format": "ttl"}).text, format="turtle")
    for name, parser in (("trig", "trig"), ("nq", "nquads")):
        dataset = parse_rdf(client.get("/id/summit/2007", params={"format": name}), parser)
        named = [g for g in dataset.graphs() if g.identifier != URIRef("urn:x-rdflib:default") and len(g)]
        assert not named
        assert len(dataset.default_graph) == len(turtle)
        assert (SUMMIT, URIRef(GFMD + "year"), Literal(2007)) in dataset.default_graph


@pytest.mark.parametrize("path, fmt", [("/id/summit/2007", "csv"), ("/id/summit/2007", "json"),
                                       ("/ontology", "json"), ("/ontology/Summit", "srx"),
                                       ("/.well-known/void", "tsv"), ("/.well-known/void", "bogus"),
                                       ("/sparql", "csv")])
def test_formats_a_route_does_not_offer_are_400_with_the_offer(client, path, fmt):
    response = client.get(path, params={"format": fmt})
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == "unsupported-format" and fmt in body["message"]
    assert {"turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads"} <= set(body["offered"])
    assert body["aliases"]["nq"] == "nquads" and body["aliases"]["ttl"] == "turtle"


@pytest.mark.parametrize("path", ["/id/summit/2007", "/ontology", "/.well-known/void", "/sparql"])
def test_unacceptable_accept_is_406_with_the_offered_types(client, path):
    response = client.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "accept" in response.headers["vary"].lower()
    body = response.json()
    assert {"text/turtle", "application/n-quads", "application/trig"} <= set(body["media_types"])
    assert "application/n-quads" in body["message"]


def test_html_is_offered_by_name_and_preferred_by_browsers(client):
    by_name = client.get("/id/summit/2007", params={"format": "html"})
    by_accept = client.get("/id/summit/2007", headers={"Accept": BROWSER})
    assert by_name.headers["content-type"].startswith("text/html")
    assert by_accept.headers["content-type"].startswith("text/html")
    assert "/id/summit/2007?format=nquads" in parse_html(by_accept.text).hrefs


# --- validators and conditional requests --------------------------------------------------------

VALIDATED = [("/id/summit/2007", {"Accept": "text/html"}), ("/id/summit/2007", {"Accept": "text/turtle"}),
             ("/ontology", {"Accept": "text/html"}), ("/ontology", {"Accept": "application/n-quads"}),
             ("/ontology/Summit", {"Accept": "application/ld+json"}), ("/.well-known/void", {}),
             ("/download/graph.ttl", {}), ("/download/graph.nq", {})]


@pytest.mark.parametrize("path, headers", VALIDATED)
def test_validators_and_304(client, path, headers):
    backend = client.app.state.backend
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert backend.version in etag
    assert first.headers["last-modified"] == format_datetime(backend.last_modified, usegmt=True)
    opaque = etag.removeprefix("W/")
    for if_none_match in (etag, opaque, "W/" + opaque, f'"other", {etag}', "*"):
        again = client.get(path, headers={**headers, "If-None-Match": if_none_match})
        assert again.status_code == 304 and again.content == b"", if_none_match
        assert again.headers["etag"] == etag
    assert client.get(path, headers={**headers, "If-None-Match": '"other"'}).status_code == 200
    since = {"If-Modified-Since": first.headers["last-modified"]}
    assert client.get(path, headers={**headers, **since}).status_code == 304
    assert client.get(path, headers={**headers, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    assert client.get(path, headers={**headers, "If-Modified-Since": "not a date"}).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110 section 13.1.3)
    assert client.get(path, headers={**headers, **since, "If-None-Match": '"other"'}).status_code == 200


def test_etag_differs_per_format_and_follows_the_dataset_version(client, monkeypatch):
    tags = {client.get("/id/summit/2007", params={"format": name}).headers["etag"]
            for name in ("html", *RDF_FORMATS)}
    assert len(tags) == 7
    page = client.get("/ontology", params={"format": "ttl"}).headers["etag"]
    download = client.get("/download/graph.ttl").headers["etag"]
    monkeypatch.setattr(client.app.state.backend, "version", "0123456789abcdef")
    assert client.get("/ontology", params={"format": "ttl"}).headers["etag"] != page
    assert client.get("/download/graph.ttl").headers["etag"] != download
    assert client.get("/download/graph.ttl", headers={"If-None-Match": download}).status_code == 200


def test_unknown_resource_is_not_304(client):
    assert client.get("/id/summit/1900", headers={"If-None-Match": "*"}).status_code == 404


# --- errors for browsers and for programs -------------------------------------------------------

@pytest.mark.parametrize("path", ["/id/summit/1900", "/ontology/NoSuchTerm", "/nowhere", "/download/graph.exe"])
def test_404_as_html_for_browsers_and_json_otherwise(client, path):
    page = client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "404" in " ".join(parse_html(page.text).text) and "accept" in page.headers["vary"].lower()
    for accept in ("application/json", "text/turtle", "*/*", "text/html;q=0.5, application/json"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 404 and response.headers["content-type"].startswith("application/json")
        assert response.json()["error"] == "not-found"
