"""Derive data/sdg.ttl, data/states.ttl and data/gcm-objectives.ttl.

Inputs: ../shared/reference (UN SDG codes and titles, country codes, GCM
objectives) and ../shared/sources (titles as written, passages), plus the
curated data files (which states, targets and indicators they reference).
Run from the repository root:  python tools/derive_reference.py
The outputs are committed; `gfmd fmt` keeps them canonical.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from gfmd_graph.namespaces import GFMD, ID, SDG, SDGO, UNBIS  # noqa: E402
from gfmd_graph.turtle_format import format_graph  # noqa: E402

REF = ROOT.parent / "shared" / "reference"
SOURCES = ROOT.parent / "shared" / "sources"
DERIVED_FILES = {"sdg.ttl", "states.ttl", "gcm-objectives.ttl"}
HLPF = "000_4b353f6f5fbcb23f.txt"
FOF = "004_8fb29b7558d3895e.txt"
DOC = Namespace(str(ID) + "document/")
STATE = Namespace(str(ID) + "state/")
GCMOBJ = Namespace(str(ID) + "gcm-objective/")
SCHEME = Namespace(str(ID) + "scheme/")
WIKIDATA = "http://www.wikidata.org/entity/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"

# Targets the HLPF recommendations list as explicitly referring to migration (000 lines 31-45).
EXPLICIT_TARGETS = {"3.c": 33, "4.b": 34, "8.8": 35, "10.7": 36, "10.c": 37, "16.9": 38,
                    "17.18": 44, "5.2": 45, "8.7": 45, "16.2": 45}
# Table 1 rows (000 lines 63-80): goal -> line.
TABLE1_ROWS = {g: 62 + g for g in range(1, 17)} | {17: 80}

# UNBIS Thesaurus concepts whose subject fits a GCM objective (chosen by hand from
# ../shared/reference/unbis/unbis-migration-related-subset.csv). The focus areas, curated by
# hand, carry theirs in data/thematic-recollection-part*.ttl, each with a note naming the
# concept and the reference file (tests/test_data.py checks every subject against the reference).
OBJECTIVE_SUBJECTS = {
    1: ["1004114"], 5: ["1003563"], 6: ["1005395", "1001531"], 9: ["1005947"],
    10: ["1006622"], 14: ["1001254"], 16: ["1005967"], 17: ["1001697", "1007092"],
    19: ["1006319"], 20: ["1005471"], 21: ["1005534", "1005453"], 22: ["1005985"],
}


def read_lines(name: str) -> list[str]:
    return (SOURCES / name).read_text(encoding="utf-8").split("\n")


def curated_graph() -> Graph:
    g = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        if path.name not in DERIVED_FILES:
            g.parse(path, format="turtle")
    return g


# Links whose subject cites many passages of which one states the link: the linked resource takes that
# passage only, not every passage of the subject. The GFMD's budget contributors: 004 line 54.
NARROW_LINKS = {GFMD.budgetContributor: (f"{FOF}#L54-L54", DOC["fof-2021-11-18-summary"])}


def mentions(curated: Graph, node: URIRef) -> tuple[set, set]:
    """Passages and documents of the curated resources that link to ``node``."""
    passages, docs = set(), set()
    for s, p in set(curated.subject_predicates(node)):
        if p in NARROW_LINKS:
            passages.add(NARROW_LINKS[p][0])
            docs.add(NARROW_LINKS[p][1])
            continue
        passages.update(str(x) for x in curated.objects(s, GFMD.sourcePassage))
        docs.update(curated.objects(s, PROV.wasDerivedFrom))
    return passages, docs


def provenance(g: Graph, s: URIRef, passages, docs, dataset: URIRef | None) -> None:
    for p in sorted(passages):
        g.add((s, GFMD.sourcePassage, Literal(p)))
    for d in docs:
        g.add((s, PROV.wasDerivedFrom, d))
    if dataset is not None:
        g.add((s, PROV.wasDerivedFrom, dataset))


def passage(file: str, start: int, end: int | None = None) -> str:
    return f"{file}#L{start}-L{end or start}"


def sdg_graph(curated: Graph) -> Graph:
    rows = list(csv.DictReader(open(REF / "sdg" / "sdg-goals-targets-indicators-2023.csv", encoding="utf-8")))
    by_code = {}
    by_iri = {}
    for row in rows:
        by_code.setdefault((row["level"], row["code"]), row)
        by_iri.setdefault(row["metadata_un_org_iri"], row)
    dataset = DOC["ref-un-sdg-framework"]
    g = Graph()
    referenced = {o for o in curated.objects() if isinstance(o, URIRef) and str(o).startswith(str(SDG))}
    wanted = {URIRef(f"{SDG}{n}") for n in range(1, 18)}
    wanted |= {URIRef(f"{SDG}{t}") for t in EXPLICIT_TARGETS}
    wanted |= referenced
    # a referenced indicator brings its target, a target its goal
    for iri in list(wanted):
        row = by_iri.get(str(iri))
        while row is not None and row["parent_code"]:
            level = "target" if row["level"] == "indicator" else "goal"
            parent = by_code.get((level, row["parent_code"]))
            if parent is None:
                break
            wanted.add(URIRef(parent["metadata_un_org_iri"]))
            row = parent
    missing = [str(i) for i in wanted if str(i) not in by_iri]
    if missing:
        raise SystemExit(f"not in the reference data: {missing}")
    for iri in sorted(wanted, key=str):
        row = by_iri[str(iri)]
        level, code = row["level"], row["code"]
        cls = {"goal": GFMD.SDGGoal, "target": GFMD.SDGTarget, "indicator": GFMD.SDGIndicator}[level]
        ext = {"goal": SDGO.Goal, "target": SDGO.Target, "indicator": SDGO.Indicator}[level]
        g.add((iri, RDF.type, cls))
        g.add((iri, RDF.type, ext))
        g.add((iri, RDF.type, SKOS.Concept))
        title = Literal(row["title_en"], lang="en")
        word = {"goal": "Goal", "target": "Target", "indicator": "Indicator"}[level]
        g.add((iri, RDFS.label, Literal(f"SDG {word} {code}: {row['title_en']}", lang="en")))
        g.add((iri, SKOS.prefLabel, title))
        g.add((iri, GFMD.sdgCode, Literal(code)))
        g.add((iri, SKOS.notation, Literal(code)))
        if row["sdgio_iri"]:
            g.add((iri, SKOS.exactMatch, URIRef(row["sdgio_iri"])))
        if row["wikidata_iri"]:
            g.add((iri, SKOS.exactMatch, URIRef(row["wikidata_iri"])))
        if level != "goal":
            parent_level = "goal" if level == "target" else "target"
            parent = by_code[(parent_level, row["parent_code"])]
            g.add((iri, SKOS.broader, URIRef(parent["metadata_un_org_iri"])))
        passages, docs = mentions(curated, iri)
        if level == "goal":
            passages.add(passage(HLPF, TABLE1_ROWS[int(code)]))
            docs.add(DOC["hlpf-2017-recommendations"])
        if level == "target" and code in EXPLICIT_TARGETS:
            g.add((iri, GFMD.explicitlyMigrationRelated, Literal(True)))
            passages.add(passage(HLPF, EXPLICIT_TARGETS[code]))
            passages.add(passage(HLPF, 31))
            docs.add(DOC["hlpf-2017-recommendations"])
        provenance(g, iri, passages, docs, dataset)
    # Table 1's own short goal names (000 lines 63-80) are kept as alternative labels.
    lines = read_lines(HLPF)
    for goal, line in TABLE1_ROWS.items():
        name = re.match(r"^\s*\d+\.\s*([^\t]+)", lines[line - 1]).group(1).strip()
        g.add((URIRef(f"{SDG}{goal}"), SKOS.altLabel, Literal(name, lang="en")))
    return g


def states_graph(curated: Graph) -> Graph:
    codes = list(csv.DictReader(open(REF / "countries" / "datasets-country-codes.csv", encoding="utf-8")))
    by_alpha3 = {row["ISO3166-1-Alpha-3"]: row for row in codes if row["ISO3166-1-Alpha-3"]}
    m49 = {row["iso3"]: row for row in csv.DictReader(
        open(REF / "countries" / "m49-geoareas-from-unsd-lod4stats.csv", encoding="utf-8")) if row["iso3"]}
    dataset = DOC["ref-country-codes"]
    g = Graph()
    referenced = sorted({o for o in curated.objects() if isinstance(o, URIRef) and str(o).startswith(str(STATE))}, key=str)
    for iri in referenced:
        alpha3 = str(iri).rsplit("/", 1)[1]
        row = by_alpha3.get(alpha3)
        if row is None:
            raise SystemExit(f"{iri}: no country with ISO alpha-3 {alpha3} in the reference data")
        g.add((iri, RDF.type, GFMD.State))
        g.add((iri, RDFS.label, Literal(row["UNTERM English Short"] or row["CLDR display name"], lang="en")))
        for column, lang in [("UNTERM French Short", "fr"), ("UNTERM Spanish Short", "es"),
                             ("UNTERM Russian Short", "ru"), ("UNTERM Arabic Short", "ar"),
                             ("UNTERM Chinese Short", "zh")]:
            if row[column]:
                g.add((iri, RDFS.label, Literal(row[column], lang=lang)))
        if row["UNTERM English Formal"]:
            g.add((iri, SKOS.altLabel, Literal(row["UNTERM English Formal"], lang="en")))
        if row["CLDR display name"] and row["CLDR display name"] != row["UNTERM English Short"]:
            g.add((iri, SKOS.altLabel, Literal(row["CLDR display name"], lang="en")))
        g.add((iri, GFMD.iso3166Alpha2, Literal(row["ISO3166-1-Alpha-2"])))
        g.add((iri, GFMD.iso3166Alpha3, Literal(alpha3)))
        g.add((iri, GFMD.m49Code, Literal(row["M49"].zfill(3))))
        g.add((iri, SKOS.exactMatch, URIRef(EU_COUNTRY + alpha3)))
        if alpha3 in m49:
            g.add((iri, SKOS.exactMatch, URIRef(m49[alpha3]["iri"])))
        if row["wikidata_id"]:
            qid = row["wikidata_id"].rstrip("/").rsplit("/", 1)[1]
            g.add((iri, SKOS.exactMatch, URIRef(WIKIDATA + qid)))
        passages, docs = mentions(curated, iri)
        provenance(g, iri, passages, docs, dataset)
    return g


def objectives_graph(curated: Graph) -> Graph:
    rows = {int(r["objective"]): r for r in csv.DictReader(open(REF / "gcm" / "gcm-objectives.csv", encoding="utf-8"))}
    lines = read_lines(FOF)
    written: dict[int, tuple[str, int]] = {}
    pattern = re.compile(r"Objective (\d+):\s*(?:\*\*|</b>)\s*\|?\s*(.+?)\s*\|?\s*$")
    for number, line in enumerate(lines, start=1):
        if not 78 <= number <= 270:
            continue
        m = pattern.search(line)
        if m:
            title = re.sub(r"\s+", " ", m.group(2)).strip().rstrip(".")
            written[int(m.group(1))] = (title, number)
    if sorted(written) != list(range(1, 24)):
        raise SystemExit(f"expected 23 objective titles in {FOF}, found {sorted(written)}")
    dataset = DOC["ref-gcm-objectives"]
    g = Graph()
    for n in range(1, 24):
        iri = GCMOBJ[str(n)]
        title, line = written[n]
        row = rows[n]
        g.add((iri, RDF.type, GFMD.GCMObjective))
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, RDFS.label, Literal(f"GCM Objective {n}: {title}", lang="en")))
        g.add((iri, SKOS.prefLabel, Literal(title, lang="en")))
        g.add((iri, SKOS.notation, Literal(str(n))))
        g.add((iri, SKOS.inScheme, SCHEME["gcm-objectives"]))
        g.add((iri, GFMD.officialTitle, Literal(row["title_en"], lang="en")))
        if row["title_fr"]:
            g.add((iri, GFMD.officialTitle, Literal(row["title_fr"], lang="fr")))
        if row["title_es"]:
            g.add((iri, GFMD.officialTitle, Literal(row["title_es"], lang="es")))
        if row["title_en"].rstrip(".") != title:
            g.add((iri, SKOS.editorialNote, Literal(
                f"The 2021 Friends of the Forum report ({FOF} line {line}) writes the title as "
                f"\"{title}\"; the official title (A/RES/73/195) is \"{row['title_en']}\".", lang="en")))
        if row["unnm_taxonomy_term_id"]:
            g.add((iri, RDFS.seeAlso, URIRef(f"https://migrationnetwork.un.org/taxonomy/term/{row['unnm_taxonomy_term_id']}")))
        for subject in OBJECTIVE_SUBJECTS.get(n, []):
            g.add((iri, DCTERMS.subject, UNBIS[subject]))
        passages, docs = mentions(curated, iri)
        passages.add(passage(FOF, line))
        docs.add(DOC["fof-2021-11-18-summary"])
        provenance(g, iri, passages, docs, dataset)
    return g


def main() -> None:
    curated = curated_graph()
    for name, build in [("sdg.ttl", sdg_graph), ("states.ttl", states_graph), ("gcm-objectives.ttl", objectives_graph)]:
        graph = build(curated)
        (ROOT / "data" / name).write_text(format_graph(graph), encoding="utf-8")
        print(f"data/{name}: {len(graph)} triples")


if __name__ == "__main__":
    main()
