"""The pictures in a real browser: each page draws its SVG with marks, at a size, from this origin only.

Uses the Chromium, playwright and server machinery of ``test_editor_browser`` (skipped without them,
failing instead when ``GFMD_REQUIRE_BROWSER`` is set).
"""

from __future__ import annotations

import pytest

from test_editor_browser import SERVICE_ENV, Browser, Server, sync_playwright  # noqa: F401 (fixture)

#: Each picture and the CSS selector of its data marks.
PICTURES = {
    "/pictures/timeline": "svg.timeline a.mark rect",
    "/pictures/matrix": "svg.matrix a.cell rect",
    "/pictures/coverage": "svg.coverage a.segment rect",
}


@pytest.fixture(scope="module")
def pictures_server(sync_playwright, tmp_path_factory):  # noqa: F811
    server = Server(tmp_path_factory.mktemp("pictures-server") / "server.log", **SERVICE_ENV)
    try:
        server.wait()
        yield server
    finally:
        server.stop()


@pytest.fixture
def browser(sync_playwright, tmp_path):  # noqa: F811
    with sync_playwright() as playwright:
        b = Browser(playwright, tmp_path / "profile")
        try:
            yield b
        finally:
            b.close()


@pytest.mark.parametrize("path", sorted(PICTURES))
def test_picture_renders_with_data(pictures_server, browser, path):
    page = browser.page
    page.goto(pictures_server.origin + path)
    page.wait_for_selector("svg.picture")
    box = page.locator("svg.picture").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    marks = page.locator(PICTURES[path])
    assert marks.count() > 3
    sizes = page.evaluate(f"""Array.from(document.querySelectorAll({PICTURES[path]!r}))
        .map(r => r.getBBox()).filter(b => b.width > 0 && b.height > 0).length""")
    assert sizes == marks.count()
    assert page.locator("svg.picture title").first.text_content()
    assert browser.foreign_requests(pictures_server.origin) == []
    assert browser.errors == []


def test_a_matrix_cell_leads_to_its_practices(pictures_server, browser):
    page = browser.page
    page.goto(pictures_server.origin + "/pictures/matrix")
    page.locator("svg.matrix a.cell").first.click()
    page.wait_for_selector("ul.items li a")
    assert page.locator("ul.items li a").count() >= 1
    assert page.locator("ul.items li a").first.get_attribute("href").startswith("/id/")
