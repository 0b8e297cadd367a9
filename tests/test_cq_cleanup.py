"""Clean-up of the shared resources: merged duplicates, derived resources citing only passages that
name them (tools/derive_reference.py), and competency question cq35.

Expected rows read from the sources by hand; each cites its file and line.
"""

from __future__ import annotations

import re

import pytest

from gfmd_graph.paths import sources_dir

HLPF = "000_4b353f6f5fbcb23f.txt"
TR = "001_69fe85e28a4c7925.txt"
SLIDES = "003_049e7e376a7459d6.txt"
FOF = "004_8fb29b7558d3895e.txt"
ID = "https://w3id.org/gfmd/id/"
GFMD = "https://w3id.org/gfmd/ontology#"
PREFIXES = """
    PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
    PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX schema: <https://schema.org/>
    PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def _passage_text(passage: str) -> str:
    sources = sources_dir()
    if sources is None:
        pytest.skip("the source documents are not beside the checkout")
    m = re.fullmatch(r"(.+)#L(\d+)-L(\d+)", passage)
    lines = (sources / m.group(1)).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[int(m.group(2)) - 1:int(m.group(3))])


def _values(store, subject: str, prop: str) -> set:
    return {r["o"] for r in store.select(f"SELECT ?o WHERE {{ <{subject}> <{prop}> ?o }}")}


def _gone(store, iri: str) -> bool:
    rows = store.select(f"""SELECT ?x WHERE {{
        {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} BIND(1 AS ?x) }} LIMIT 1""")
    return rows == []


# --- cq35: a state's passages and the resources linked to it ---------------------------------

def test_cq35_norway_passages_and_linked_resources(store):
    rows = store.run_named("cq/cq35-state-passages", params={"state": "NOR"})
    got = {(r["passage"], r.get("resource"), r.get("property")) for r in rows}
    assert {r["stateLabel"] for r in rows} == {"Norway"}
    for row in [
        # 000 line 251: "Norway implements the WHO Code of Practice by scaling up education ..."
        (f"{HLPF}#L251-L251", ID + "practice/hlpf-annex-1-norway-who-code", GFMD + "implementedBy"),
        # 003 lines 123-124: "Steering Group Members - Argentina, ..., Norway, ..."
        (f"{SLIDES}#L123-L124", ID + "organization/gfmd-steering-group", GFMD + "member"),
    ]:
        assert row in got, row


def test_norway_cites_only_passages_that_name_it(store):
    # state:NOR used to cite every passage of whatever links to it (e.g. 001 line 60, which never names
    # Norway); now each of its passages writes "Norway"
    passages = _values(store, ID + "state/NOR", GFMD + "sourcePassage")
    assert passages
    for passage in passages:
        assert "Norway" in _passage_text(passage), passage
    assert f"{TR}#L60-L60" not in passages


def test_cq35_states_named_by_their_short_forms(store):
    # 004 line 46: "The UAE had agreed to lead the Troika until the end of 2021"
    uae = {r["passage"] for r in store.run_named("cq/cq35-state-passages", params={"state": "ARE"})}
    assert f"{FOF}#L46-L46" in uae
    for passage in uae:
        assert re.search(r"UAE|United Arab Emirates", _passage_text(passage)), passage
    # 003 line 124: "..., Qatar, RO Korea, Senegal, ..."
    korea = {r["passage"] for r in store.run_named("cq/cq35-state-passages", params={"state": "KOR"})}
    assert f"{SLIDES}#L123-L124" in korea
    for passage in korea:
        assert re.search(r"Korea", _passage_text(passage)), passage


def test_derived_states_cite_passages_of_their_own_documents(store):
    # prov:wasDerivedFrom of a state: the documents of its passages, plus the reference dataset
    rows = store.select(PREFIXES + "SELECT ?s ?doc WHERE { ?s a gfmd:State ; prov:wasDerivedFrom ?doc . }")
    files = {r["d"]: r["f"] for r in store.select(PREFIXES + "SELECT ?d ?f WHERE { ?d gfmd:fileName ?f }")}
    derived = {}
    for r in rows:
        derived.setdefault(r["s"], set()).add(r["doc"])
    for state, docs in derived.items():
        cited = {p.split("#")[0] for p in _values(store, state, GFMD + "sourcePassage")}
        assert {files[d] for d in docs if d in files} == cited, state
        assert ID + "document/ref-country-codes" in docs, state


def test_gcm_objective_23_and_target_10_7_cite_passages_that_name_them(store):
    for passage in _values(store, ID + "gcm-objective/23", GFMD + "sourcePassage"):
        text = _passage_text(passage)
        assert re.search(r"(?i)objectives?\b[\d\s,a-z]{0,60}\b23\b", text), passage
    for passage in _values(store, "http://metadata.un.org/sdg/10.7", GFMD + "sourcePassage"):
        assert re.search(r"(?<![\d.])10\.7(?![\d]|\.\d)", _passage_text(passage)), passage
    # 000 line 36: "- 10.7 on orderly, safe, regular and responsible migration;"
    assert f"{HLPF}#L36-L36" in _values(store, "http://metadata.un.org/sdg/10.7", GFMD + "sourcePassage")


# --- the four known duplicates, now one resource each ----------------------------------------

def test_hlpf_2017_report_is_one_instrument(store):
    report = ID + "instrument/gfmd-recommendations-hlpf-2017"
    assert _gone(store, ID + "instrument/gfmd-report-hlpf-2017")
    # 001 line 103 (footnote 10) and line 1178 (footnote 168): two titles, the same URL
    assert _values(store, report, "http://www.w3.org/2000/01/rdf-schema#label") == {
        "Recommendations to the 2017 High-Level Political Forum"}
    assert "Report of the Ad Hoc Working Group on the 2030 and the Global Compact on Migration" in _values(
        store, report, "http://www.w3.org/2004/02/skos/core#altLabel")
    # 001 line 1178: "presented 5 April 2017 at the GFMD Preparatory Meeting in Geneva";
    # 001 line 1170: "presented a report to the 2017 HLPF"
    assert _values(store, report, GFMD + "presentedAt") == {
        ID + "meeting/gfmd-preparatory-meeting-2017-04-05", ID + "meeting/hlpf-2017"}


def test_ad_hoc_working_group_is_one_organization(store):
    group = ID + "organization/gfmd-ad-hoc-working-group-2030-agenda-gcm"
    assert _gone(store, ID + "organization/gfmd-working-group-2030-agenda-gcm")
    # 004 line 73: "IOM would welcome the reactivation of the Working Group on the 2030 Agenda and the GCM."
    assert "Working Group on the 2030 Agenda and the GCM" in _values(
        store, group, "http://www.w3.org/2004/02/skos/core#altLabel")
    assert f"{FOF}#L73-L73" in _values(store, group, GFMD + "sourcePassage")
    # 000 line 21: "under the co-chairmanship of Germany and Bangladesh"
    assert _values(store, group, GFMD + "chairedBy") == {ID + "state/BGD", ID + "state/DEU"}


def test_micic_is_one_resource(store):
    micic = ID + "practice/fof-2021-micic"
    assert _gone(store, ID + "organization/micic-initiative")
    assert len(_values(store, micic, "http://www.w3.org/2000/01/rdf-schema#label")) == 1
    # 001 line 833: "the Migrants in Countries in Crisis (MICIC) Initiative published a set of Guidelines";
    # footnote 124 (line 845) spells the publisher "Migrants in Countries in Crises"
    assert _values(store, ID + "instrument/micic-guidelines", "http://purl.org/dc/terms/publisher") == {micic}
    alt = _values(store, micic, "http://www.w3.org/2004/02/skos/core#altLabel")
    assert {"Migrants in Countries in Crisis (MICIC) Initiative", "Migrants in Countries in Crises"} <= alt
    # 004 line 196: "The MICIC guidelines were presented at the High-Level Meeting on Refugees and Migrants in 2016"
    assert _values(store, ID + "instrument/micic-guidelines", GFMD + "presentedAt") == {
        ID + "meeting/high-level-meeting-refugees-migrants-2016"}


def test_mexico_stocktaking_meeting_is_one_meeting_with_both_readings_of_its_month(store):
    meeting = ID + "meeting/gcm-stocktaking-2017"
    assert _gone(store, ID + "meeting/gcm-stocktaking-conference-2017")
    # 000 line 225: "the stocktaking meeting in Mexico in November 2017";
    # 001 line 62: "the GCM stocktaking conference in Mexico in December 2017"
    readings = {(r["date"], r["passage"]) for r in store.select(PREFIXES + f"""
        SELECT ?date ?passage WHERE {{
          <{meeting}> schema:startDate ?d .
          ?ax owl:annotatedSource <{meeting}> ; owl:annotatedProperty schema:startDate ; owl:annotatedTarget ?d ;
              gfmd:readingOf ?disagreement ; gfmd:sourcePassage ?passage .
          ?disagreement a gfmd:SourceDisagreement ; gfmd:disagreementAbout <{meeting}> .
          BIND(STR(?d) AS ?date)
        }}""")}
    assert readings == {("2017-11", f"{HLPF}#L225-L225"), ("2017-12", f"{TR}#L62-L62")}
    assert _values(store, meeting, GFMD + "country") == {ID + "state/MEX"}
    assert len(_values(store, meeting, "http://www.w3.org/2000/01/rdf-schema#label")) == 1


def test_no_two_resources_share_a_label(store):
    # the merged duplicates left no label on two resources of the same kind of thing (instrument, actor, meeting)
    rows = store.select(PREFIXES + """
        SELECT ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
          VALUES ?top { gfmd:Instrument gfmd:Organization gfmd:Meeting }
          ?s a ?c . ?c rdfs:subClassOf* ?top . ?s rdfs:label ?label .
        } GROUP BY ?label ?top HAVING (COUNT(DISTINCT ?s) > 1)""")
    assert rows == []
