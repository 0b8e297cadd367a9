"""Named-query parameters: the header grammar, typed validation, binding, and hostile values."""

from __future__ import annotations

import re

import pytest

from gfmd_graph.errors import QueryParameterError
from gfmd_graph.query import NamedQuery, QueryParam, bind, get_named, named_queries, parse_param

XSD = "http://www.w3.org/2001/XMLSchema#"


def echo(param_line: str) -> NamedQuery:
    """A query that returns the bound value itself."""
    name = param_line.split()[0]
    return NamedQuery.from_text(f"# param: {param_line}\nSELECT ?{name} WHERE {{ }}", name="echo")


def echoed(store, query: NamedQuery, value):
    rows = list(store.query(query.bind({query.params[0].name: value})))
    assert len(rows) == 1
    return rows[0][query.params[0].name]


# -- the header grammar -------------------------------------------------------

def test_parse_full_declaration():
    p = parse_param("year integer = 2017 — only this year")
    assert p == QueryParam("year", "integer", "2017", "only this year", False)


def test_parse_required_and_double_dash_description():
    p = parse_param("area iri required -- a focus area")
    assert (p.name, p.type, p.default, p.required, p.description) == ("area", "iri", None, True, "a focus area")


def test_parse_quoted_default_keeps_spaces_and_dashes_in_text():
    p = parse_param('label string = " a b " — the label')
    assert p.default == " a b " and p.description == "the label"


@pytest.mark.parametrize("spec, fragment", [
    ("year", "expected"),
    ("year int", "unknown type 'int'"),
    ("9year integer", "bad parameter name"),
    ("the-year integer", "bad parameter name"),
    ("year integer = soon", "expects an integer"),
    ("when date = 2017-13-01", "expects a date"),
])
def test_parse_rejects_bad_declarations(spec, fragment):
    with pytest.raises(QueryParameterError, match=re.escape(fragment)):
        parse_param(spec)


def test_bad_declaration_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# param: year int\nSELECT * WHERE { }", encoding="utf-8")
    with pytest.raises(QueryParameterError, match="q.rq"):
        NamedQuery.from_file(path, tmp_path)


def test_named_queries_expose_typed_params():
    q = named_queries()["cq/cq08-summits"]
    assert q.params == (QueryParam("year", "integer", None, "only this year", False),)
    assert [p.type for p in named_queries()["cq/cq04-practices-by-focus-area"].params] == ["integer", "iri"]


def test_every_declared_param_is_a_variable_of_its_query():
    for q in named_queries().values():
        body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
        for p in q.params:
            assert re.search(rf"[?$]{p.name}\b", body), (q.name, p.name)


# -- type validation ------------------------------------------------------------

@pytest.mark.parametrize("type_, value, term", [
    ("integer", "2017", f'"2017"^^<{XSD}integer>'),
    ("integer", " +007 ", f'"7"^^<{XSD}integer>'),
    ("integer", 2017, f'"2017"^^<{XSD}integer>'),
    ("decimal", "1.50", f'"1.50"^^<{XSD}decimal>'),
    ("boolean", "TRUE", f'"true"^^<{XSD}boolean>'),
    ("boolean", 0 == 1, f'"false"^^<{XSD}boolean>'),
    ("date", "2017-04-06", f'"2017-04-06"^^<{XSD}date>'),
    ("string", "Brussels", f'"Brussels"^^<{XSD}string>'),
    ("langstring", "Bruxelles@fr-BE", '"Bruxelles"@fr-BE'),
    ("langstring", "a@b@en", '"a@b"@en'),
    ("iri", "state:PHL", "<https://w3id.org/gfmd/id/state/PHL>"),
    ("iri", "<http://metadata.un.org/sdg/10.7>", "<http://metadata.un.org/sdg/10.7>"),
    ("iri", "urn:isbn:0451450523", "<urn:isbn:0451450523>"),
])
def test_values_become_typed_terms(type_, value, term):
    assert QueryParam("x", type_).term(value) == term


@pytest.mark.parametrize("type_, value", [
    ("integer", "12.5"), ("integer", "twelve"), ("integer", ""), ("integer", True), ("integer", "١٢"),
    ("decimal", "1e5"), ("decimal", "NaN"), ("decimal", float("inf")),
    ("boolean", "yes"), ("date", "06/04/2017"), ("date", "2017-02-30"), ("date", "20170406"),
    ("langstring", "Brussels"), ("langstring", "x@en } UNION {"), ("langstring", "x@"),
    ("iri", "not an iri"), ("iri", "relative/path"), ("iri", "unknownprefix-only"), ("iri", 42),
    ("string", 42),
])
def test_wrong_values_are_refused_with_name_value_and_type(type_, value):
    with pytest.raises(QueryParameterError) as err:
        QueryParam("myParam", type_).term(value)
    message = str(err.value)
    assert "'myParam'" in message and repr(value) in message and type_ in message


def test_unknown_parameter_is_refused():
    q = get_named("cq/cq08-summits")
    with pytest.raises(QueryParameterError, match="unknown parameter 'yaer'.*year \\(integer\\)"):
        q.bind({"yaer": 2017})


def test_required_parameter_must_be_given():
    q = NamedQuery.from_text("# param: area iri required\nSELECT * WHERE { ?area ?p ?o }")
    with pytest.raises(QueryParameterError, match="'area' \\(iri\\) is required"):
        q.bind()
    assert "VALUES (?area)" in q.bind({"area": "focusarea:2-2"})


def test_missing_optional_parameter_leaves_the_query_unchanged():
    q = get_named("cq/cq08-summits")
    assert q.bind() == q.text and q.bind({"year": None}) == q.text


def test_binding_appends_one_values_clause_after_a_trailing_comment():
    q = NamedQuery.from_text("# param: a integer\n# param: b string\nSELECT ?a ?b WHERE { } # no newline")
    bound = q.bind({"a": 1, "b": "x"})
    assert bound.startswith(q.text.rstrip())
    assert bound.endswith(f'\nVALUES (?a ?b) {{ ("1"^^<{XSD}integer> "x"^^<{XSD}string>) }}\n')


# -- binding results ----------------------------------------------------------------

def test_cq08_year_selects_that_year(store):
    rows = store.run_named("cq/cq08-summits", params={"year": "2017"})
    assert {(r["year"], r["chair"], r.get("city")) for r in rows} == {(2017, "DEU", "Berlin"), (2017, "MAR", "Berlin")}
    assert store.run_named("cq/cq08-summits", params={"year": 1999}) == []


def test_cq04_area_by_key_or_iri_and_cluster(store):
    name = "cq/cq04-practices-by-focus-area"
    everything = store.run_named(name)
    by_key = store.run_named(name, params={"area": "focusarea:2-2"})
    by_iri = store.run_named(name, params={"area": "https://w3id.org/gfmd/id/focus-area/2-2"})
    assert by_key == by_iri
    assert by_key == [r for r in everything if (r["cluster"], r["focusArea"]) == (2, 2)]
    assert {"2347", "470", "5424", "2674"} <= {r["pfpId"] for r in by_key}  # 001 lines 377-383
    cluster2 = store.run_named(name, params={"cluster": 2})
    assert cluster2 == [r for r in everything if r["cluster"] == 2]
    assert store.run_named(name, params={"cluster": 2, "area": "focusarea:1-1"}) == []


def test_cq19_default_document_and_another(store):
    name = "cq/cq19-fof-2021-organizations"
    default = store.run_named(name)
    assert default == store.run_named(name, params={"document": "doc:fof-2021-11-18-summary"})
    other = store.run_named(name, params={"document": "doc:thematic-recollection-2017"})
    assert other and other != default


@pytest.mark.parametrize("line, value, datatype, expected", [
    ("v boolean", "1", XSD + "boolean", "true"),
    ("v decimal", "-0.25", XSD + "decimal", "-0.25"),
    ("v date", "2021-11-18", XSD + "date", "2021-11-18"),
])
def test_typed_values_reach_the_engine_with_their_datatype(store, line, value, datatype, expected):
    term = echoed(store, echo(line), value)
    assert (term.value, term.datatype.value) == (expected, datatype)


def test_langstring_reaches_the_engine_with_its_language(store):
    term = echoed(store, echo("v langstring"), "Genève@fr")
    assert (term.value, term.language) == ("Genève", "fr")


# -- hostile values -------------------------------------------------------------------

HOSTILE_STRINGS = [
    '"',
    '" } UNION { ?s ?p ?o } #',
    "\"} UNION { ?s ?p ?o }",
    "} UNION { ?s ?p ?o",
    ") (\"x\") (\"y",
    "line one\nline two\r\n\ttabbed",
    "\\",
    "ends with a backslash \\",
    "\\\" } UNION { ?s ?p ?o } #",
    "\\u0022 } UNION { ?s ?p ?o } #",
    "'''single''' and \"\"\"triple\"\"\"",
    "> <http://x> . ?s ?p ?o",
    "\x00\x01\x1f\x7f controls",
    "# comment\nSELECT * WHERE { ?s ?p ?o }",
    "日本語 and emoji 🌍",
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_strings_are_data(store, value):
    assert echoed(store, echo("v string"), value).value == value


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_strings_match_nothing_instead_of_everything(store, value):
    q = NamedQuery.from_text("# param: label string\nSELECT ?s WHERE { ?s ?p ?label }")
    assert len(store.select(q.text)) > 10000  # unbound: every triple with a string object
    assert store.select(q.bind({"label": value})) == []


@pytest.mark.parametrize("value", [
    "http://x> } UNION { ?s ?p ?o } #",
    "http://x>",
    "<http://x> <http://y>",
    "http://x\ny",
    "http://x y",
    'http://x"',
    "http://x{y}",
    "http://x|y",
    "http://x^y",
    "http://x`y",
    "http://x\\u003E",
    "state:PHL> } UNION { ?s ?p ?o",
])
def test_hostile_iris_are_refused(value):
    q = get_named("cq/cq04-practices-by-focus-area")
    with pytest.raises(QueryParameterError, match="'area' expects an iri"):
        q.bind({"area": value})


@pytest.mark.parametrize("param, value", [
    ("year", "2017) } UNION { ?s ?p ?o"),
    ("year", "20 17"),
])
def test_hostile_integers_are_refused(param, value):
    with pytest.raises(QueryParameterError, match="expects an integer"):
        get_named("cq/cq08-summits").bind({param: value})


def test_hostile_language_tag_is_refused():
    with pytest.raises(QueryParameterError, match="not a language tag"):
        echo("v langstring").bind({"v": 'x@en) } UNION { ?s ?p ?o } #'})


def test_bind_helper_accepts_declared_params_for_any_text():
    text = bind("ASK { ?s ?p ?o }", [QueryParam("o", "string")], {"o": "nothing like this"})
    assert text.endswith(f'VALUES (?o) {{ ("nothing like this"^^<{XSD}string>) }}\n')
