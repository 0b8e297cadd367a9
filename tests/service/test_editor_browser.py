"""The editor page in a real browser: headless Chromium against the service run by uvicorn.

Needs Debian's ``chromium`` and the ``playwright`` package (its own browser download is not
used). Without them the tests are skipped, unless ``GFMD_REQUIRE_BROWSER`` is set (as
``.ci/run`` does), when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gfmd_service import editor

ROOT = Path(__file__).resolve().parents[2]
#: The app factory under test (``module:function``); the service's own by default.
APP_FACTORY = os.environ.get("GFMD_EDITOR_TEST_APP", "gfmd_service.app:create_app")
CHROMIUM = os.environ.get("GFMD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
REQUIRED = bool(os.environ.get("GFMD_REQUIRE_BROWSER"))
STARTUP_SECONDS = 240
#: The gate has its own tests; the pages need the graph, not its validation at start-up.
SERVICE_ENV = {"GFMD_VALIDATE": "off", "GFMD_LOG_LEVEL": "warning", "GFMD_QUERY_WORKERS": "1"}
EXAMPLE = "cq/cq02-gcm-objectives"  # the 23 GCM objectives
EXAMPLE_ROWS = 23


def unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (GFMD_REQUIRE_BROWSER is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sync_playwright():
    if not Path(CHROMIUM).is_file():
        unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed: pip install -e '.[test]'")
    return sync_playwright


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``uvicorn <APP_FACTORY> --factory`` on a free loopback port, stopped at teardown."""

    def __init__(self, log: Path, **env: str) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", APP_FACTORY, "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the service exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.origin + "/", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"the service did not answer within {STARTUP_SECONDS} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture(scope="module")
def yasgui_server(sync_playwright, tmp_path_factory):
    if editor.find_yasgui_dir() is None:
        unavailable(f"the YASGUI build is not installed: run {editor.INSTALL_HINT}")
    server = Server(tmp_path_factory.mktemp("yasgui-server") / "server.log", **SERVICE_ENV)
    try:
        server.wait()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def fallback_server(sync_playwright, tmp_path_factory):
    # An empty GFMD_YASGUI_DIR: the service serves the plain editor, as without the build.
    server = Server(tmp_path_factory.mktemp("fallback-server") / "server.log", GFMD_YASGUI_DIR="", **SERVICE_ENV)
    try:
        server.wait()
        yield server
    finally:
        server.stop()


class Browser:
    """Headless Chromium with a fresh profile, recording every request and every console error."""

    def __init__(self, playwright, profile: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.set_default_timeout(30_000)

    def foreign_requests(self, origin: str) -> list[str]:
        return [u for u in self.requests
                if not u.startswith(("data:", "blob:", "about:"))
                and f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" != origin]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def browser(sync_playwright, tmp_path):
    with sync_playwright() as playwright:
        b = Browser(playwright, tmp_path / "profile")
        try:
            yield b
        finally:
            b.close()


def test_yasgui_runs_the_default_and_an_example_query(yasgui_server, browser):
    page = browser.page
    page.goto(yasgui_server.origin + "/")
    active = ".yasgui .tabPanel.active"
    page.wait_for_selector(f"{active} .CodeMirror")
    assert page.title() == "GFMD Knowledge Graph \N{EM DASH} SPARQL"
    assert page.evaluate("window.gfmdEditor.mode") == "yasgui"

    # The endpoint is the service's own /sparql, asked with POST.
    tab = "window.gfmdEditor.yasgui.getTab()"
    assert page.evaluate(f"{tab}.getEndpoint()") == yasgui_server.origin + "/sparql"
    assert page.evaluate(f"{tab}.getRequestConfig().method") == "POST"
    # Only completers that stay on this origin.
    completers = page.evaluate(f"{tab}.getYasqe().config.autocompleters")
    assert "class" not in completers and "property" not in completers
    # The default query declares the project's prefixes.
    assert "PREFIX gfmd:" in page.evaluate(f"{tab}.getYasqe().getValue()")

    # Run the default query (the classes of the ontology with their counts).
    page.click(f"{active} .yasqe_queryButton")
    page.wait_for_selector(f"{active} .yasr table.dataTable tbody tr td")
    assert page.locator(f"{active} .yasr table.dataTable tbody tr").count() > 3
    assert "gfmd" in page.locator(f"{active} .yasr table.dataTable tbody").inner_text()

    # Open an example: a new tab named after it holds its text; run it.
    page.click(f'button.example[data-query-name="{EXAMPLE}"]')
    page.wait_for_function("window.gfmdEditor.yasgui.getTab().getName() === 'GCM objectives'")
    assert "gfmd:GCMObjective" in page.evaluate(f"{tab}.getYasqe().getValue()")
    page.click(f"{active} .yasqe_queryButton")
    rows = page.locator(f"{active} .yasr table.dataTable tbody tr")
    rows.nth(EXAMPLE_ROWS - 1).wait_for()
    assert rows.count() == EXAMPLE_ROWS
    assert "23" in rows.nth(EXAMPLE_ROWS - 1).inner_text()

    assert browser.foreign_requests(yasgui_server.origin) == []
    assert any(u.endswith("/assets/yasgui/yasgui.min.js") for u in browser.requests)
    assert any(u == yasgui_server.origin + "/sparql" for u in browser.requests)
    assert browser.errors == []


def test_plain_editor_runs_an_example_query(fallback_server, browser):
    page = browser.page
    page.goto(fallback_server.origin + "/")
    page.wait_for_function("window.gfmdEditor && window.gfmdEditor.mode === 'fallback'")
    assert page.is_visible("#editor-note")
    assert page.is_visible("#fallback-query")
    assert not page.is_visible("#yasgui")

    page.click(f'button.example[data-query-name="{EXAMPLE}"]')
    assert "gfmd:GCMObjective" in page.input_value("#fallback-query")
    page.click("#fallback-run")
    rows = page.locator("#fallback-results table tbody tr")
    rows.nth(EXAMPLE_ROWS - 1).wait_for()
    assert rows.count() == EXAMPLE_ROWS
    assert page.locator("#fallback-results table thead th").all_inner_texts() == ["objective", "title"]
    assert "23 results" in page.inner_text("#fallback-status")

    assert browser.foreign_requests(fallback_server.origin) == []
    assert not any("/assets/yasgui/" in u for u in browser.requests)
    assert browser.errors == []


def test_plain_editor_opens_a_query_linked_in_the_url(fallback_server, browser):
    """The pictures and query pages link to /#query=...; the plain editor opens that query too."""
    from urllib.parse import quote

    query = "SELECT ?summit WHERE { ?summit a <https://w3id.org/gfmd/ontology#Summit> }"
    page = browser.page
    page.goto(fallback_server.origin + "/#query=" + quote(query))
    page.wait_for_function("window.gfmdEditor && window.gfmdEditor.mode === 'fallback'")
    assert page.input_value("#fallback-query") == query
    page.goto(fallback_server.origin + "/?query=" + quote(query) + "&other=1")
    page.wait_for_function("window.gfmdEditor && window.gfmdEditor.mode === 'fallback'")
    assert page.input_value("#fallback-query") == query
    assert browser.errors == []
