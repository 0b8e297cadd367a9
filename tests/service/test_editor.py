"""The SPARQL editor page (``gfmd_service.editor``) on a minimal app of its own."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from gfmd_graph.namespaces import PREFIXES
from gfmd_graph.query import named_queries
from gfmd_service import editor
from gfmd_service.editor import editor_response, mount_editor

REQUIRE_ASSETS = bool(os.environ.get("GFMD_REQUIRE_BROWSER"))


def make_app(**options) -> FastAPI:
    app = FastAPI()
    mount_editor(app, **options)

    @app.get("/sparql")
    async def sparql_page(request: Request):
        # What the service does for a browser asking /sparql for HTML.
        return editor_response(request)

    return app


def page_config(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="gfmd-editor-config">(.*?)</script>', text, re.S)
    assert m, "the page carries its configuration as a JSON data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def yasgui_dir() -> Path:
    found = editor.find_yasgui_dir()
    if found is None:
        message = f"the YASGUI build is not installed: run {editor.INSTALL_HINT}"
        if REQUIRE_ASSETS:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def client(yasgui_dir) -> TestClient:
    return TestClient(make_app(yasgui_dir=yasgui_dir))


@pytest.fixture(scope="module")
def fallback_client() -> TestClient:
    return TestClient(make_app(yasgui_dir=None))


def test_page_loads_with_yasgui(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<title>GFMD Knowledge Graph \N{EM DASH} SPARQL</title>" in r.text
    assert '<script src="/assets/yasgui/yasgui.min.js" defer></script>' in r.text
    assert '<link rel="stylesheet" href="/assets/yasgui/yasgui.min.css">' in r.text
    assert '<script src="/assets/editor/editor.js" defer></script>' in r.text
    assert 'id="editor-note"' not in r.text
    assert "@zazuko/yasgui 4.6.2" in r.text  # the footer names the version served


def test_endpoint_config_is_the_service_itself(client):
    config = page_config(client.get("/").text)
    assert config["endpoint"] == "/sparql"
    assert config["yasgui"] is True
    script = client.get("/assets/editor/editor.js").text
    # The endpoint is resolved against the page's own origin, and queries are POSTed.
    assert "new URL(config.endpoint, window.location.href)" in script
    assert 'requestConfig: { endpoint: endpoint, method: "POST" }' in script


def test_default_query_declares_every_prefix(client):
    config = page_config(client.get("/").text)
    query = config["defaultQuery"]
    for prefix, iri in PREFIXES.items():
        assert re.search(rf"^PREFIX {re.escape(prefix)}:\s+<{re.escape(iri)}>$", query, re.M), prefix
    assert "SELECT" in query


def test_every_named_query_is_an_example(client):
    r = client.get("/")
    config = page_config(r.text)
    queries = named_queries()
    assert queries
    for name, q in queries.items():
        assert html.escape(q.title) in r.text, name
        assert f'data-query-name="{html.escape(name)}"' in r.text
        assert config["examples"][name] == {"title": q.title, "query": q.text}


def test_links_to_the_service(client):
    text = client.get("/").text
    for href in ("/queries", "/docs", "/.well-known/void", "/download/graph.ttl", "/ontology"):
        assert f'href="{href}"' in text, href


def test_page_keeps_to_its_own_origin(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    # No inline script may run under that policy: only data blocks and same-origin files.
    for tag in re.findall(r"<script\b[^>]*>", r.text):
        assert 'type="application/json"' in tag or re.search(r'src="/assets/', tag), tag
    assert not re.search(r"\son[a-z]+=", r.text), "no inline event handlers"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text), "nothing from another host"


def test_assets_are_served_with_their_types(client):
    for path, kind in [("/assets/yasgui/yasgui.min.js", "javascript"), ("/assets/yasgui/yasgui.min.css", "text/css"),
                       ("/assets/editor/editor.js", "javascript"), ("/assets/editor/editor.css", "text/css")]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert kind in r.headers["content-type"], (path, r.headers["content-type"])
        assert len(r.content) > 1000, path
    assert client.get("/assets/yasgui/nothing.js").status_code == 404


def test_yasgui_build_loads_nothing_from_outside(yasgui_dir):
    css = (yasgui_dir / "yasgui.min.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), "the style sheet pulls no fonts or images"


def test_editor_response_on_another_route(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert page_config(r.text)["endpoint"] == "/sparql"


def test_paths_follow_root_path(yasgui_dir):
    with TestClient(make_app(yasgui_dir=yasgui_dir), root_path="/kg") as prefixed:
        text = prefixed.get("/").text
    assert page_config(text)["endpoint"] == "/kg/sparql"
    assert 'src="/kg/assets/yasgui/yasgui.min.js"' in text
    assert 'href="/kg/queries"' in text


def test_fallback_when_assets_missing(fallback_client):
    r = fallback_client.get("/")
    assert r.status_code == 200
    text = r.text
    assert "/assets/yasgui/" not in text
    assert page_config(text)["yasgui"] is False
    # The plain editor is shown (not hidden) and posts the query to the endpoint.
    form = re.search(r'<form id="fallback"[^>]*>', text).group(0)
    assert "hidden" not in form
    assert 'action="/sparql"' in form and 'method="post"' in form
    assert '<textarea id="fallback-query" name="query"' in text
    assert 'id="yasgui" hidden' in text
    # A visible note says how to install the editor.
    assert 'id="editor-note"' in text and editor.INSTALL_HINT in text
    # The default query and the examples are still there.
    assert html.escape("PREFIX gfmd:") in text
    for q in named_queries().values():
        assert html.escape(q.title) in text
    assert fallback_client.get("/assets/yasgui/yasgui.min.js").status_code == 404
    assert fallback_client.get("/assets/editor/editor.js").status_code == 200


def test_fallback_script_renders_results_without_markup_injection(fallback_client):
    script = fallback_client.get("/assets/editor/editor.js").text
    assert "innerHTML" not in script  # result values are set as text
    assert '"application/sparql-results+json' in script


def test_everything_is_escaped(tmp_path, yasgui_dir):
    rq = tmp_path / "queries" / "cq" / "evil.rq"
    rq.parent.mkdir(parents=True)
    rq.write_text('# title: <script>alert("x")</script> & co\n# description: a "quoted" <b>text</b>\n'
                  "SELECT * WHERE { ?s ?p '</script><script>alert(1)</script>' }\n", encoding="utf-8")
    with TestClient(make_app(yasgui_dir=yasgui_dir, queries_root=tmp_path)) as c:
        text = c.get("/").text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in text
    assert "</script><script>" not in text
    config = page_config(text)
    assert config["examples"]["cq/evil"]["query"].endswith("'</script><script>alert(1)</script>' }\n")


def test_build_is_found_in_the_first_candidate(tmp_path, monkeypatch):
    empty, built = tmp_path / "empty", tmp_path / "built"
    empty.mkdir()
    built.mkdir()
    for name in editor.YASGUI_FILES:
        (built / name).write_text("/* stub */", encoding="utf-8")
    monkeypatch.setattr(editor, "VENDORED_YASGUI_DIR", empty)
    monkeypatch.setattr(editor, "NODE_MODULES_YASGUI_DIR", built)
    monkeypatch.delenv("GFMD_YASGUI_DIR", raising=False)
    assert editor.find_yasgui_dir() == built
    monkeypatch.setattr(editor, "NODE_MODULES_YASGUI_DIR", tmp_path / "absent")
    assert editor.find_yasgui_dir() is None
    monkeypatch.setenv("GFMD_YASGUI_DIR", str(built))
    assert editor.find_yasgui_dir() == built
    settings = mount_editor(FastAPI())
    assert settings.yasgui_dir == built
    # The override is the only candidate: an empty one forces the fallback.
    monkeypatch.setattr(editor, "NODE_MODULES_YASGUI_DIR", built)
    monkeypatch.setenv("GFMD_YASGUI_DIR", str(empty))
    assert editor.find_yasgui_dir() is None
    monkeypatch.setenv("GFMD_YASGUI_DIR", "")
    assert editor.find_yasgui_dir() is None


def test_page_without_mount_editor_falls_back():
    app = FastAPI()

    @app.get("/")
    async def page(request: Request):
        return editor_response(request)

    text = TestClient(app).get("/").text
    assert page_config(text)["yasgui"] is False
    assert 'id="editor-note"' in text
