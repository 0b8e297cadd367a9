"""Search over the graph (gfmd_graph.search): ranking, languages, kinds and snippet offsets."""

from __future__ import annotations

import pytest

from gfmd_graph.search import SearchIndex, fold


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.from_project()


def spans_match(hit, query: str) -> bool:
    return all(0 <= a < b <= len(hit.snippet) for a, b in hit.highlights) and any(
        fold(hit.snippet[a:b]) == fold(query) for a, b in hit.highlights)


def test_sdg_target_notation_ranks_first(index):
    hits = index.search("10.7")
    assert hits[0].compact == "sdg:10.7"
    assert hits[0].rank == "exact" and hits[0].field == "skos:notation"
    assert hits[0].kind == "SDG target"
    assert hits[1].rank in ("exact", "prefix")  # indicator 10.7.1 and its kin after the target
    assert spans_match(hits[0], "10.7")


def test_acronym_ranks_first(index):
    hits = index.search("gfmd")
    assert hits[0].compact == "organization:gfmd"
    assert hits[0].field == "gfmd:acronym"
    assert hits[0].label == "Global Forum on Migration and Development"
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks, key=["exact", "prefix", "words", "description"].index)


def test_french_label_and_label_language(index):
    hit = index.search("philippines (les)", languages=("fr",))[0]
    assert hit.compact == "state:PHL"
    assert (hit.label, hit.label_lang, hit.lang) == ("Philippines (les)", "fr", "fr")
    english = index.search("philippines (les)", languages=("en",))[0]
    assert english.label == "Philippines (the)"


def test_accents_and_case_ignored(index):
    hits = index.search("INEGALITES", languages=("fr",))
    assert "sdg:10" in [h.compact for h in hits]
    hit = next(h for h in hits if h.compact == "sdg:10")
    assert hit.lang == "fr" and spans_match(hit, "inegalites")


def test_chinese_and_arabic_substrings(index):
    zh = [h.compact for h in index.search("移民", languages=("zh",), limit=50)]
    assert "sdg:10.7" in zh
    ar = index.search("هجرة", limit=50)  # inside "الهجرة"
    assert "sdg:10.7" in [h.compact for h in ar]
    assert all(spans_match(h, "هجرة") for h in ar if h.lang == "ar")


def test_kind_filter(index):
    hits = index.search("migration", kind="Practice", limit=100)
    assert hits and {h.compact.split(":")[0] for h in hits} == {"practice"}
    assert "practice" in {h.kind for h in hits}  # subclasses are kept, named by their own class
    assert [h.iri for h in index.search("migration", kind="gfmd:Practice", limit=100)] == [h.iri for h in hits]
    assert "organization:gfmd" not in [h.compact for h in index.search("gfmd", kind="Practice", limit=100)]


def test_limit_offset_and_words(index):
    first = index.search("labour migration", limit=5)
    second = index.search("labour migration", limit=5, offset=5)
    assert len(first) == 5 and not {h.iri for h in first} & {h.iri for h in second}
    for hit in first:
        assert all(0 <= a < b <= len(hit.snippet) for a, b in hit.highlights)
        assert {fold(hit.snippet[a:b]) for a, b in hit.highlights} >= {"labour", "migration"}


def test_description_rank_has_window_snippet(index):
    hits = index.search("remittances", limit=100)
    described = [h for h in hits if h.rank == "description"]
    assert described
    for hit in described:
        assert len(hit.snippet) <= 162 and spans_match(hit, "remittances")


def test_empty_query_and_terms(index):
    assert index.search("   ") == []
    classes = [t.compact for t in index.terms("gfmd:Pra", kind="class")]
    assert "gfmd:Practice" in classes
    assert [t.compact for t in index.terms("acron", kind="property")] == ["gfmd:acronym"]
    with pytest.raises(ValueError):
        index.terms("x", kind="nothing")


def test_cli_json_and_text():
    import json

    from typer.testing import CliRunner

    from gfmd_graph.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["search", "Philippines (les)", "--lang", "fr", "--format", "json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["hits"][0]["compact"] == "state:PHL" and body["hits"][0]["label"] == "Philippines (les)"
    text = runner.invoke(app, ["search", "GFMD", "--kind", "Practice", "--limit", "2"])
    assert text.exit_code == 0 and text.stdout.startswith("practice:")


@pytest.mark.parametrize("args", [["   "], ["x" * 1001], ["x", "--lang", "de"], ["x", "--limit", "0"],
                                  ["x", "--limit", "101"], ["x", "--format", "xml"]])
def test_cli_bad_input_exits_2(args):
    from typer.testing import CliRunner

    from gfmd_graph.cli import app

    result = CliRunner().invoke(app, ["search", *args])
    assert result.exit_code == 2
    assert "error:" in result.output
