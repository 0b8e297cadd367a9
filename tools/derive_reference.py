"""Derive data/sdg.ttl, data/states.ttl and data/gcm-objectives.ttl.

Inputs: ../shared/reference (UN SDG codes and titles, country codes, GCM
objectives) and ../shared/sources (titles as written, passages), plus the
curated data files (which states, targets and indicators they reference).
Run from the repository root:  python tools/derive_reference.py
The outputs are committed; `gfmd fmt` keeps them canonical.

A derived resource cites only the passages that name it. Its candidate passages are those of
the curated resources that link to it (and, for goals, targets and objectives, the lines of the
sources that list them); a candidate is kept only if its text, read from ../shared/sources,
names the resource:
- a state by a name or short form of the reference data (UNTERM short and formal names, the
  official and CLDR names, the currency country name), a name or adjective the sources use for it
  (STATE_ALIASES: "UAE", "RO Korea", "Lao", "the Swedish GFMD Chair"), or a code written as a word
  in capitals as given: its ISO alpha-3 code, its IOC/FIFA code, a capitalised short form ("UK");
- an SDG goal by "Goal 10", "SDG 10", "Goals 8 and 10" or its titles; a target by "target 10.7",
  "SDG 10.7" or its code written as a word ("10.7", "10.c"); an indicator by its code ("10.7.1");
- a GCM objective by "objective 23", "Objectives 1, 3, 7, 17 and 23" or its titles.
Names are compared case- and punctuation-insensitively, codes as written. prov:wasDerivedFrom
lists the documents of the kept passages, plus the reference dataset.
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
from gfmd_graph.passages import parse_passage, passage_text as read_passage  # noqa: E402
from gfmd_graph.paths import DERIVED_FILES  # noqa: E402
from gfmd_graph.turtle_format import format_graph  # noqa: E402

REF = ROOT.parent / "shared" / "reference"
SOURCES = ROOT.parent / "shared" / "sources"
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


def mentions(curated: Graph, node: URIRef) -> set:
    """Passages of the curated resources that link to ``node`` (candidates, filtered by ``naming``)."""
    passages = set()
    for s, p in set(curated.subject_predicates(node)):
        if p in NARROW_LINKS:
            passages.add(NARROW_LINKS[p][0])
            continue
        passages.update(str(x) for x in curated.objects(s, GFMD.sourcePassage))
    return passages


# --- does a passage name the resource? -------------------------------------------------------

def passage_text(passage: str) -> str:
    text = read_passage(passage, SOURCES)
    if text is None:
        raise SystemExit(f"not a passage of {SOURCES}: {passage}")
    return text


def plain(text: str) -> str:
    """Markup and footnote markers removed (the words a reader sees)."""
    text = text.replace("**", "").replace("*", "").replace("\\", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"<sup>[^<]*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]+", " ", text)


def folded(text: str) -> str:
    """Lower case, every run of punctuation and whitespace one space, padded: for word-wise comparison."""
    text = plain(text).replace("’", "'").lower()
    return " " + " ".join(re.findall(r"[^\W_]+", text)) + " "


def names_any(text: str, names) -> bool:
    """True if the passage text contains one of ``names`` as whole words (case and punctuation ignored)."""
    haystack = folded(text)
    return any(f and f in haystack for f in (folded(n) for n in names if n and n.strip()))


def codes_any(text: str, codes) -> bool:
    """True if the passage text writes one of ``codes`` as a word, exactly as given (e.g. "USA")."""
    text = plain(text)
    return any(re.search(rf"(?<![\w.]){re.escape(c)}(?![\w]|\.\w)", text) for c in codes if c)


_NUMBER_LIST_FILLER = {"and", "or", "as", "well", "to", "a", "lesser", "extent", "also", "&", ",", ";", "-", "–"}


def numbers_after(text: str, keywords) -> set[str]:
    """Numbers (and codes such as 10.7, 10.c) listed after a keyword: "objectives 1, 3 and 23" gives 1, 3, 23."""
    out = set()
    tokens = re.findall(r"\d+(?:\.(?:\d+|[a-z])\b)*|[A-Za-z]+|[^\sA-Za-z\d]", plain(text))
    lowered = [t.lower() for t in tokens]
    for i, token in enumerate(lowered):
        if token not in keywords:
            continue
        j = i + 1
        while j < len(tokens) and lowered[j] in keywords:  # "SDG target 10.7"
            j += 1
        while j < len(tokens):
            if re.fullmatch(r"\d{1,2}(?:\.(?:\d{1,2}|[a-z]))*", lowered[j]):
                out.add(lowered[j])
            elif lowered[j] not in _NUMBER_LIST_FILLER:
                break
            j += 1
    return out


def naming(passages, test) -> set:
    """The passages whose text passes ``test`` (a function of the text)."""
    return {p for p in passages if test(passage_text(p))}


def file_documents(curated: Graph) -> dict[str, URIRef]:
    return {str(name): doc for doc, name in curated.subject_objects(GFMD.fileName)}


def provenance(g: Graph, s: URIRef, passages, files: dict[str, URIRef], dataset: URIRef | None) -> None:
    for p in sorted(passages):
        g.add((s, GFMD.sourcePassage, Literal(p)))
        g.add((s, PROV.wasDerivedFrom, files[parse_passage(p).file]))
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
    files = file_documents(curated)
    table1_names = table1_goal_names()
    translations = sdg_translations()
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
        key = code.replace(".", "-")
        translated = False
        for lang, titles in translations.items():
            if titles.get(f"{key}-title"):
                g.add((iri, SKOS.prefLabel, Literal(titles[f"{key}-title"], lang=lang)))
                translated = True
            if level == "goal" and titles.get(f"{key}-short"):
                g.add((iri, SKOS.altLabel, Literal(titles[f"{key}-short"], lang=lang)))
        if translated:
            g.add((iri, PROV.wasDerivedFrom, DOC["ref-open-sdg-translations"]))
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
        candidates = mentions(curated, iri)
        names = [row["title_en"]]
        if level == "goal":
            candidates.add(passage(HLPF, TABLE1_ROWS[int(code)]))
            names.append(table1_names[int(code)])
        if level == "target" and code in EXPLICIT_TARGETS:
            g.add((iri, GFMD.explicitlyMigrationRelated, Literal(True)))
            candidates.add(passage(HLPF, EXPLICIT_TARGETS[code]))
            candidates.add(passage(HLPF, 31))  # introduces the list; kept only if it names the target
        provenance(g, iri, naming(candidates, sdg_test(level, code, row["unsd_indicator_code"], names)),
                   files, dataset)
    # Table 1's own short goal names (000 lines 63-80) are kept as alternative labels.
    for goal, name in table1_names.items():
        g.add((URIRef(f"{SDG}{goal}"), SKOS.altLabel, Literal(name, lang="en")))
    return g


# The five other UN languages (English comes from the UN Statistics Division's spreadsheet).
SDG_TRANSLATION_FOLDERS = {"fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh-Hans"}


def sdg_translations() -> dict[str, dict[str, str]]:
    """Goal, target and indicator titles and goal short names by language, keyed "10-7-title", "10-short"."""
    import yaml

    out = {}
    for lang, folder in SDG_TRANSLATION_FOLDERS.items():
        titles = {}
        for part in ("goals", "targets", "indicators"):
            path = REF / "sdg" / "open-sdg-translations" / folder / f"global_{part}.yml"
            titles.update({str(k): " ".join(str(v).split()) for k, v in yaml.safe_load(path.read_text("utf-8")).items()
                           if v})
        out[lang] = titles
    return out


def sdg_test(level: str, code: str, permanent_code: str, names):
    """Does a text name this goal ("Goal 10", "SDGs 8 and 10"), target ("target 10.7", "10.c") or indicator?"""
    def test(text: str) -> bool:
        if names_any(text, names):
            return True
        if level == "goal":
            return code in numbers_after(text, {"sdg", "sdgs", "goal", "goals"})
        return codes_any(text, [code, permanent_code])
    return test


def table1_goal_names() -> dict[int, str]:
    lines = read_lines(HLPF)
    return {goal: re.match(r"^\s*\d+\.\s*([^\t]+)", lines[line - 1]).group(1).strip()
            for goal, line in TABLE1_ROWS.items()}


def states_graph(curated: Graph) -> Graph:
    codes = list(csv.DictReader(open(REF / "countries" / "datasets-country-codes.csv", encoding="utf-8")))
    by_alpha3 = {row["ISO3166-1-Alpha-3"]: row for row in codes if row["ISO3166-1-Alpha-3"]}
    m49 = {row["iso3"]: row for row in csv.DictReader(
        open(REF / "countries" / "m49-geoareas-from-unsd-lod4stats.csv", encoding="utf-8")) if row["iso3"]}
    dataset = DOC["ref-country-codes"]
    files = file_documents(curated)
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
        written = [state_name(row[column]) for column in STATE_NAME_COLUMNS] + STATE_ALIASES.get(alpha3, [])
        # a short form in capitals ("UK", "US", "UAE") is a code: it must be written as given, not as "us"
        codes = [alpha3] + [c for c in written + [row["IOC"], row["FIFA"]] if re.fullmatch(r"[A-Z]{2,4}", c or "")]
        names = [n for n in written if n and n not in codes]
        test = (lambda names, codes: lambda text: names_any(text, names) or codes_any(text, codes))(names, codes)
        provenance(g, iri, naming(mentions(curated, iri), test), files, dataset)
    return g


# Reference-data columns that give a state's name in English.
STATE_NAME_COLUMNS = ("UNTERM English Short", "UNTERM English Formal", "official_name_en", "CLDR display name",
                      "ISO4217-currency_country_name")
# Names and short forms the sources (and the curated data) use for a state that the reference data does not
# give, including the adjective the sources use for its government or chairmanship ("the Swedish GFMD Chair").
STATE_ALIASES = {
    "ARE": ["UAE"], "AUS": ["Australian"], "BEL": ["Belgian"], "CAN": ["Canadian"], "CHE": ["Swiss"],
    "DEU": ["German"], "ECU": ["Ecuadorian"], "EGY": ["Egyptian"], "FRA": ["French"], "GBR": ["United Kingdom", "British"],
    "GTM": ["Guatemalan"], "ITA": ["Italian"], "KOR": ["Korea", "RO Korea", "Korean"], "LAO": ["Lao"],
    "MAR": ["Moroccan"], "MDA": ["Moldovan"], "PHL": ["Filipino"], "SEN": ["Senegalese"], "SLV": ["Salvadoran"],
    "SWE": ["Swedish"], "TUR": ["Turkey", "Turkish"], "USA": ["United States"],
}


def state_name(name: str) -> str:
    """A reference name as a text may write it: "Netherlands (the)" and "the Netherlands" give "Netherlands"."""
    name = re.sub(r"\s*\((?:the|The)\)\s*$", "", name or "").strip()
    return re.sub(r"^the\s+", "", name)


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
    files = file_documents(curated)
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
        for lang in ("fr", "es"):
            if row[f"title_{lang}"]:  # an official translation: the label in that language too
                g.add((iri, GFMD.officialTitle, Literal(row[f"title_{lang}"], lang=lang)))
                g.add((iri, SKOS.prefLabel, Literal(row[f"title_{lang}"], lang=lang)))
        for lang in ("en", "fr", "es"):
            if row[f"unnm_hub_short_label_{lang}"]:
                g.add((iri, SKOS.altLabel, Literal(row[f"unnm_hub_short_label_{lang}"], lang=lang)))
        if row["title_en"].rstrip(".") != title:
            g.add((iri, SKOS.editorialNote, Literal(
                f"The 2021 Friends of the Forum report ({FOF} line {line}) writes the title as "
                f"\"{title}\"; the official title (A/RES/73/195) is \"{row['title_en']}\".", lang="en")))
        if row["unnm_taxonomy_term_id"]:
            g.add((iri, RDFS.seeAlso, URIRef(f"https://migrationnetwork.un.org/taxonomy/term/{row['unnm_taxonomy_term_id']}")))
        for subject in OBJECTIVE_SUBJECTS.get(n, []):
            g.add((iri, DCTERMS.subject, UNBIS[subject]))
        candidates = mentions(curated, iri) | {passage(FOF, line)}
        names = [title, row["title_en"]]
        test = (lambda names, n: lambda text: names_any(text, names)
                or str(n) in numbers_after(text, {"objective", "objectives"}))(names, n)
        provenance(g, iri, naming(candidates, test), files, dataset)
    return g


def main() -> None:
    curated = curated_graph()
    for name, build in [("sdg.ttl", sdg_graph), ("states.ttl", states_graph), ("gcm-objectives.ttl", objectives_graph)]:
        graph = build(curated)
        (ROOT / "data" / name).write_text(format_graph(graph), encoding="utf-8")
        print(f"data/{name}: {len(graph)} triples")


if __name__ == "__main__":
    main()
