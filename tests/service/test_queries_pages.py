"""The named queries for people: /queries as an HTML list with forms, /queries/<name> as a table."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from gfmd_graph.query import named_queries

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
EXAMPLE = "cq/cq02-gcm-objectives"  # the 23 GCM objectives
EXAMPLE_ROWS = 23
WITH_PARAM = "cq/cq08-summits"  # param: year integer


class Page(HTMLParser):
    """The parts of a page the tests look at: list items, forms with inputs, tables, links."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.items: list[str] = []
        self.forms: list[dict] = []
        self.tables: list[dict] = []
        self.links: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and "query" in (a.get("class") or ""):
            self.items.append(a.get("id", ""))
        elif tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method"), "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a.get("name"))
        elif tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and a.get("id"):
            self.links[a["id"]] = a.get("href", "")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            table = self.tables[-1]
            (table["rows"] if table["head"] else table["head"]).append(self._row) if table["head"] else \
                table["head"].extend(self._row)
            self._row = None


def test_list_is_html_for_a_browser(client):
    r = client.get("/queries", headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    page = Page(r.text)
    queries = named_queries()
    assert page.items == list(queries)
    forms = {f["action"]: f for f in page.forms}
    for name, query in queries.items():
        form = forms[f"/queries/{name}"]
        assert form["method"] == "get"
        assert form["inputs"] == [p.name for p in query.params]
        assert query.title in r.text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')


def test_list_stays_json_for_programs(client):
    for headers in ({"Accept": "application/json"}, {}, {"Accept": "*/*"}):
        r = client.get("/queries", headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        names = [q["name"] for q in r.json()]
        assert EXAMPLE in names and names == list(named_queries())


def test_results_are_a_table_for_a_browser(client):
    r = client.get(f"/queries/{EXAMPLE}", headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    table = page.tables[0]
    assert table["head"] == ["objective", "title"]
    assert len(table["rows"]) == EXAMPLE_ROWS
    bindings = client.get(f"/queries/{EXAMPLE}", headers={"Accept": "application/sparql-results+json"}).json()
    assert table["rows"] == [[b[v]["value"] for v in ("objective", "title")] for b in bindings["results"]["bindings"]]
    editor = urlsplit(page.links["open-in-editor"])
    assert editor.path == "/"
    assert "gfmd:GCMObjective" in parse_qs(editor.query)["query"][0]


def test_results_keep_the_sparql_formats(client):
    r = client.get(f"/queries/{EXAMPLE}", headers={"Accept": "application/sparql-results+json"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(json.loads(r.content)["results"]["bindings"]) == EXAMPLE_ROWS
    r = client.get(f"/queries/{EXAMPLE}")
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = client.get(f"/queries/{EXAMPLE}?format=csv", headers=BROWSER)
    assert r.headers["content-type"].startswith("text/csv")


def test_parameters_bind_and_bad_values_are_shown(client):
    r = client.get(f"/queries/{WITH_PARAM}?year=2007", headers=BROWSER)
    assert r.status_code == 200
    rows = Page(r.text).tables[0]["rows"]
    assert rows and all("2007" in " ".join(row) for row in rows)
    r = client.get(f"/queries/{WITH_PARAM}?year=<b>x</b>", headers=BROWSER)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "<b>x</b>" not in r.text and "&lt;b&gt;x&lt;/b&gt;" in r.text
    problem = client.get(f"/queries/{WITH_PARAM}?year=x")
    assert problem.status_code == 400 and problem.json()["status"] == 400


def test_unknown_query_is_404(client):
    assert client.get("/queries/cq/none", headers=BROWSER).status_code == 404


def test_results_page_in_a_browser(sync_playwright, tmp_path):
    from test_editor_browser import SERVICE_ENV, Browser, Server

    server = Server(tmp_path / "server.log", **SERVICE_ENV)
    try:
        server.wait()
        with sync_playwright() as playwright:
            browser = Browser(playwright, tmp_path / "profile")
            try:
                browser.page.goto(f"{server.origin}/queries/{EXAMPLE}")
                rows = browser.page.locator("table.results tbody tr")
                rows.nth(EXAMPLE_ROWS - 1).wait_for()
                assert rows.count() == EXAMPLE_ROWS
                assert browser.foreign_requests(server.origin) == []
                # The browser's own /favicon.ico probe may 404; nothing else may fail.
                assert [e for e in browser.errors if "status of 404" not in e] == []
            finally:
                browser.close()
    finally:
        server.stop()


def test_docs_load_only_local_assets(client):
    from gfmd_service.api_docs import find_swagger_ui_dir

    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "http://" not in r.text and "https://" not in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    if find_swagger_ui_dir() is None:
        assert "service/editor/install.py" in r.text
        pytest.skip("the Swagger UI build is not installed: run python service/editor/install.py")
    assert "/assets/swagger-ui/swagger-ui-bundle.js" in r.text
    for path, media_type in (("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css"),
                             ("favicon-32x32.png", "image/png")):
        asset = client.get(f"/assets/swagger-ui/{path}")
        assert asset.status_code == 200 and asset.headers["content-type"].startswith(media_type)
    assert client.get("/redoc").status_code == 404


def test_docs_render_in_a_browser_offline(sync_playwright, tmp_path):
    from gfmd_service.api_docs import find_swagger_ui_dir
    from test_editor_browser import SERVICE_ENV, Browser, Server, unavailable

    if find_swagger_ui_dir() is None:
        unavailable("the Swagger UI build is not installed: run python service/editor/install.py")
    server = Server(tmp_path / "server.log", **SERVICE_ENV)
    try:
        server.wait()
        with sync_playwright() as playwright:
            browser = Browser(playwright, tmp_path / "profile")
            try:
                # Every other host is unreachable, as on a closed network.
                browser.context.route("**/*", lambda route: route.continue_()
                                      if route.request.url.startswith(server.origin) else route.abort())
                browser.page.goto(f"{server.origin}/docs")
                browser.page.locator(".opblock").first.wait_for()
                assert browser.page.locator(".opblock").count() > 5
                assert "/queries" in browser.page.inner_text("#swagger-ui")
                assert browser.foreign_requests(server.origin) == []
            finally:
                browser.close()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def sync_playwright():
    from test_editor_browser import CHROMIUM, unavailable
    from pathlib import Path

    if not Path(CHROMIUM).is_file():
        unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed: pip install -e '.[test]'")
    return sync_playwright
