"""HTML pages follow ?lang= and Accept-Language over the six UN languages, with English as the fallback."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang = None
        self.h1: list[str] = []
        self.language_links: dict[str, str] = {}
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "h1":
            self._in_h1 = True
        if tag == "a" and "hreflang" in attrs:
            self.language_links[attrs["hreflang"]] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1.append(data)


def page(client, path, **headers) -> tuple[Page, object]:
    response = client.get(path, headers={"Accept": "text/html", **headers})
    assert response.status_code == 200, response.text
    parsed = Page()
    parsed.feed(response.text)
    return parsed, response


def test_state_page_follows_accept_language(client):
    parsed, response = page(client, "/id/state/PHL", **{"Accept-Language": "es-ES, es;q=0.9, en;q=0.5"})
    assert parsed.html_lang == "es" and "".join(parsed.h1).strip() == "Filipinas"
    assert "Accept-Language" in response.headers["vary"]
    assert set(parsed.language_links) == {"ar", "zh", "en", "es", "fr", "ru"}
    assert parsed.language_links["ru"] == "/id/state/PHL?lang=ru"


def test_lang_parameter_wins_over_accept_language(client):
    parsed, _ = page(client, "/id/state/PHL?lang=zh", **{"Accept-Language": "fr"})
    assert parsed.html_lang == "zh" and "".join(parsed.h1).strip() == "菲律宾"


def test_english_is_the_fallback(client):
    parsed, response = page(client, "/id/summit/2007", **{"Accept-Language": "de, ru;q=0.1"})
    # the summit has no Russian label: the page says English, not a language it cannot show
    assert "GFMD" in "".join(parsed.h1)
    parsed, _ = page(client, "/id/state/PHL", **{"Accept-Language": "de"})
    assert parsed.html_lang == "en" and "".join(parsed.h1).strip() == "Philippines (the)"


def test_gcm_objective_in_french(client):
    parsed, _ = page(client, "/id/gcm-objective/1?lang=fr")
    assert "".join(parsed.h1).startswith("Collecter et utiliser des données")


def test_each_language_has_its_own_etag(client):
    fr = client.get("/id/state/PHL?lang=fr", headers={"Accept": "text/html"})
    es = client.get("/id/state/PHL?lang=es", headers={"Accept": "text/html"})
    assert fr.headers["etag"] != es.headers["etag"]
    again = client.get("/id/state/PHL?lang=fr", headers={"Accept": "text/html", "If-None-Match": fr.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("lang", ["de", "xx-YY", "", "fr;DROP", "a" * 100])
def test_unknown_language_is_400(client, lang):
    response = client.get("/id/state/PHL", params={"lang": lang}, headers={"Accept": "application/json, text/html;q=0.1"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["error"] == "unknown-language" and "lang=" in body["message"]
