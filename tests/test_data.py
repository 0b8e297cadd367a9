"""The curated data: conforms to the shapes and passes every quality rule."""

from __future__ import annotations

import json
import re

import pytest

from gfmd_graph.checks import run_checks
from gfmd_graph.paths import sources_dir


def test_real_data_passes_the_gate():
    results = run_checks(reason=False)
    errors = [r.line_text() for r in results if r.level == "ERROR"]
    assert errors == []


def test_every_resource_has_provenance(store):
    rows = store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        SELECT ?s WHERE {
          GRAPH ?g { ?s a ?type }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/gfmd/graph/data/") && isIRI(?s))
          FILTER NOT EXISTS { ?s a gfmd:ReferenceDataset }
          FILTER NOT EXISTS { ?s gfmd:sourcePassage ?p }
        }""")
    assert rows == []


def _normalise(text: str) -> str:
    """Source text as a reader sees it: Markdown emphasis, link markup, escapes and footnote markers
    removed, typographic quotes made plain, whitespace collapsed."""
    text = text.replace("**", "").replace("*", "").replace("\\", "")
    text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", text)
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|<sup>[^<]*</sup>", "", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def test_actor_and_instrument_names_are_spelled_as_a_cited_passage_writes_them(store):
    # A name the sources do not state (a standard full name, an official title) is not a fact of the graph:
    # every label, alternative label and acronym of an actor, instrument or place must occur, word for word,
    # in one of the passages the resource cites.
    sources = sources_dir()
    if sources is None:
        pytest.skip("the source documents are not beside the checkout")
    lines = {p.name: p.read_text(encoding="utf-8").split("\n") for p in sources.glob("0*.txt")}
    rows = store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT DISTINCT ?s ?name WHERE {
          VALUES ?top { gfmd:Actor gfmd:Instrument gfmd:Place }
          ?s a ?class . ?class rdfs:subClassOf* ?top .
          FILTER NOT EXISTS { ?s a gfmd:State }
          VALUES ?p { rdfs:label skos:altLabel skos:prefLabel gfmd:acronym foaf:name }
          ?s ?p ?name .
        }""")
    passages = {}
    for row in store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        SELECT ?s ?passage WHERE { ?s gfmd:sourcePassage ?passage }"""):
        passages.setdefault(row["s"], []).append(row["passage"])
    unsourced = []
    for row in rows:
        cited = []
        for passage in passages.get(row["s"], []):
            match = re.fullmatch(r"(.+)#L(\d+)-L(\d+)", passage)
            file, start, end = match.group(1), int(match.group(2)), int(match.group(3))
            cited.append(" ".join(lines[file][start - 1:end]))
        name = _normalise(row["name"])
        pattern = (r"(?<!\w)" if name[:1].isalnum() else "") + re.escape(name) + (r"(?!\w)" if name[-1:].isalnum() else "")
        if not re.search(pattern, _normalise(" ".join(cited))):
            unsourced.append((row["s"], row["name"]))
    assert unsourced == []


def test_subjects_are_unbis_concepts_and_practices_name_instruments_with_their_own_property(store):
    # dcterms:subject is a topic (a UNBIS Thesaurus concept); an instrument a practice presents or implements
    # is linked with gfmd:concernsInstrument, whose values must be instruments of the graph.
    not_topics = store.select("""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?s ?o WHERE {
          ?s dcterms:subject ?o .
          FILTER(!STRSTARTS(STR(?o), "http://metadata.un.org/thesaurus/"))
        }""")
    assert not_topics == []
    not_instruments = store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?o WHERE {
          ?s gfmd:concernsInstrument ?o .
          FILTER(NOT EXISTS { ?s a gfmd:Practice }
                 || NOT EXISTS { ?o a ?c . ?c rdfs:subClassOf* gfmd:Instrument })
        }""")
    assert not_instruments == []


def test_every_unbis_subject_is_listed_in_the_reference_data(store):
    # declare no UNBIS concept that the shared reference data does not list
    sources = sources_dir()
    scrape = sources.parent / "reference" / "unbis" / "unbis-thesaurus-scrape-2023-04-12.json" if sources else None
    if scrape is None or not scrape.is_file():
        pytest.skip("the UNBIS reference data is not beside the checkout")
    listed = {topic["url"] for topic in json.loads(scrape.read_text(encoding="utf-8"))["topics"]}
    rows = store.select("""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?s ?o WHERE { ?s dcterms:subject ?o }""")
    assert rows, "no dcterms:subject in the graph"
    assert [(r["s"], r["o"]) for r in rows if r["o"] not in listed] == []


# The lines of the Thematic Recollection that name SDG targets for a GCM thematic cluster.
CLUSTER_TARGET_LINES = {
    "1": [137],
    "2": [249],
    "3": [451, 469],
    "4": [640],
    "6": [935, 971],
}


def test_clusters_link_the_sdg_targets_their_lines_name(store):
    # every target code the cluster's lines name, as "SDG 10.7", "SDG target 10.c" or "(17.14)", is a
    # gfmd:relatedTarget of the cluster, and the cluster cites each of those lines
    sources = sources_dir()
    if sources is None:
        pytest.skip("the source documents are not beside the checkout")
    lines = (sources / "001_69fe85e28a4c7925.txt").read_text(encoding="utf-8").split("\n")
    code = re.compile(r"(?:SDG (?:target )?|\()(\d{1,2}\.(?:\d{1,2}|[a-z]))(?![\d.])")
    for cluster, numbers in CLUSTER_TARGET_LINES.items():
        iri = f"https://w3id.org/gfmd/id/cluster/{cluster}"
        linked = {r["t"] for r in store.select(f"""
            PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
            SELECT ?t WHERE {{ <{iri}> gfmd:relatedTarget ?t }}""")}
        cited = {r["p"] for r in store.select(f"""
            PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
            SELECT ?p WHERE {{ <{iri}> gfmd:sourcePassage ?p }}""")}
        named = set()
        for n in numbers:
            assert f"001_69fe85e28a4c7925.txt#L{n}-L{n}" in cited, (cluster, n)
            named |= {f"http://metadata.un.org/sdg/{c}" for c in code.findall(lines[n - 1])}
        assert named and named <= linked, (cluster, sorted(named - linked))
    # a few links spelled out
    for cluster, target in [("3", "17.17"), ("4", "10.c"), ("6", "16.2")]:
        assert store.select(f"""
            PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
            SELECT ?x WHERE {{ <https://w3id.org/gfmd/id/cluster/{cluster}> gfmd:relatedTarget
                               <http://metadata.un.org/sdg/{target}> . BIND(1 AS ?x) }}""")


def test_gfmd_budget_contributors_are_the_states_the_2021_report_names(store):
    # 004 line 54: the UAE committed to clear the 2020 deficit; eight Member States renewed their
    # contributions for 2021. The report gives no amount, so the graph records none.
    sources = sources_dir()
    if sources is None:
        pytest.skip("the source documents are not beside the checkout")
    line = (sources / "004_8fb29b7558d3895e.txt").read_text(encoding="utf-8").split("\n")[53]
    assert "the UAE had committed to clear the 2020 deficit" in line
    assert "renewed their contributions for 2021, including Belgium, Canada, France, Germany, Greece, the Philippines, Sweden and Switzerland" in line
    rows = store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        SELECT ?c WHERE { <https://w3id.org/gfmd/id/organization/gfmd> gfmd:budgetContributor ?c }""")
    states = "ARE BEL CAN CHE DEU FRA GRC PHL SWE".split()
    assert sorted(r["c"] for r in rows) == [f"https://w3id.org/gfmd/id/state/{s}" for s in states]
    assert store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        SELECT ?x WHERE { <https://w3id.org/gfmd/id/organization/gfmd> gfmd:sourcePassage
                          "004_8fb29b7558d3895e.txt#L54-L54" . BIND(1 AS ?x) }""")
