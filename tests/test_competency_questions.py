"""Competency questions answered by the graph, with rows read from the sources by hand.

Each expected row cites the source lines it was read from.
"""

from __future__ import annotations

import pytest

from gfmd_graph.paths import queries_dir
from gfmd_graph.query import named_queries

HLPF, TR, DIALOGUE, SLIDES, FOF = ("000_4b353f6f5fbcb23f.txt", "001_69fe85e28a4c7925.txt",
                                   "002_93a59147a1a340c4.txt", "003_049e7e376a7459d6.txt",
                                   "004_8fb29b7558d3895e.txt")


def rows(store, name, *columns):
    return [tuple(row.get(c) for c in columns) for row in store.run_named(f"cq/{name}")]


def test_every_competency_question_has_a_header():
    queries = {n: q for n, q in named_queries().items() if n.startswith("cq/")}
    files = sorted(p.stem for p in (queries_dir() / "cq").glob("*.rq"))
    assert sorted(n.removeprefix("cq/") for n in queries) == files and len(files) >= 22
    for q in queries.values():
        assert q.title and q.description, q.name


def test_cq01_imrf_roundtable_objectives(store):
    # 004 lines 22-29 (agenda), repeated at 78-86, 155-169, 213-220, 261-269
    expected = {1: [2, 5, 6, 12, 18], 2: [4, 8, 9, 10, 11, 13, 21], 3: [14, 15, 16, 19, 20, 22], 4: [1, 3, 7, 17, 23]}
    got = rows(store, "cq01-imrf-roundtable-objectives", "roundtable", "objective")
    assert got == [(rt, o) for rt, objs in expected.items() for o in objs]


def test_cq02_gcm_objectives(store):
    got = dict(rows(store, "cq02-gcm-objectives", "objective", "title"))
    assert sorted(got) == list(range(1, 24))
    # titles as the 2021 report writes them (004 lines 80, 163, 269)
    assert got[2] == "Minimizing the adverse drivers and structural factors that compel people to leave their country of origin"
    assert got[10] == "Prevent, combat, and eradicate trafficking in persons in the context of international Migration"
    assert got[23] == "Strengthen international cooperation and global partnerships for safe, orderly and regular migration"


def test_cq03_cluster_focus_areas(store):
    got = rows(store, "cq03-cluster-focus-areas", "cluster", "focusArea", "title")
    # table of contents, 001 lines 19-48: 3 + 4 + 4 + 5 + 2 + 3 focus areas
    counts = {}
    for cluster, _fa, _title in got:
        counts[cluster] = counts.get(cluster, 0) + 1
    assert counts == {1: 3, 2: 4, 3: 4, 4: 5, 5: 2, 6: 3}
    titles = {(c, f): t for c, f, t in got}
    assert titles[(2, 2)] == "Fair and ethical recruitment of migrant workers"  # 001 line 25
    assert titles[(4, 5)] == "Portability of social security entitlements and earned benefits"  # 001 line 38
    assert titles[(6, 3)] == "Improving identification"  # 001 line 48


def test_cq04_practices_by_focus_area(store):
    got = set(rows(store, "cq04-practices-by-focus-area", "pfpId", "cluster", "focusArea"))
    # footnotes of 001: 29 (line 204), 56 (line 381), 51-53 (lines 346-350), 54-57 (lines 377-383)
    for row in [("2334", 1, 1), ("2347", 2, 2), ("470", 2, 2), ("5424", 2, 2), ("2674", 2, 2),
                ("2227", 2, 1), ("1572", 2, 1), ("215", 2, 1), ("1850", 2, 3)]:
        assert row in got
    # the id 2631 is given twice in 001 (lines 227 and 241) for two practices of focus area 1-2 and 1-3
    assert ("2631", 1, 2) in got and ("2631", 1, 3) in got


def test_cq05_explicit_sdg_targets(store):
    # 000 lines 31-45
    expected = {"3.c", "4.b", "8.8", "10.7", "10.c", "16.9", "17.18", "5.2", "8.7", "16.2"}
    got = rows(store, "cq05-explicit-sdg-targets", "target")
    assert sorted(t for (t,) in got) == sorted(expected)


def test_cq06_sdg_link_matrix(store):
    # Table 1, 000 lines 62-80: columns EXPLICIT, VULNERABILITY / PROTECTION, POTENTIAL, EMPLOYMENT CREATION
    e, v, p, j = "EXPLICIT", "VULNERABILITY_PROTECTION", "POTENTIAL", "EMPLOYMENT_CREATION"
    table = {1: [v, p], 2: [j], 3: [e, v, p], 4: [e, v, p], 5: [e, v, p], 6: [v], 7: [], 8: [e, v, p, j],
             9: [p, j], 10: [e, v, j], 11: [v], 12: [p, j], 13: [v], 14: [p, j], 15: [], 16: [e, v], 17: [e, p, j]}
    expected = sorted((g, c) for g, cats in table.items() for c in cats)
    assert sorted(rows(store, "cq06-sdg-link-matrix", "goal", "category")) == expected


def test_cq07_roundtables_by_area(store):
    # Table 2, 000 lines 110-117 (tabs counted; "1.1." in the CHE 2011 cell recorded as 1.1)
    table = {
        "Remittances": {("BEL", 2007): ["2.1", "2.2", "2.3"], ("SWE", 2014): ["3.2"], ("BGD", 2016): ["1.1"]},
        "Diaspora": {("BEL", 2007): ["2.4"], ("PHL", 2008): ["1.2"], ("GRC", 2009): ["1.2"], ("MUS", 2012): ["1.2"],
                     ("SWE", 2014): ["2.2"]},
        "Private Sector Development through Migration": {("CHE", 2011): ["1.1"], ("MUS", 2012): ["1.2"],
                                                         ("TUR", 2015): ["3.2"]},
        "Labor Migration": {("BEL", 2007): ["1.1", "1.2", "1.3", "1.4"], ("MEX", 2010): ["2.1"],
                            ("CHE", 2011): ["1.1", "1.2", "1.3"], ("MUS", 2012): ["1.1", "3.3"], ("SWE", 2014): ["2.1"],
                            ("TUR", 2015): ["1.2"], ("BGD", 2016): ["1.1"]},
        "Return and Reintegration": {("GRC", 2009): ["2.1", "2.2"], ("TUR", 2015): ["3.1"]},
        "Migration Policy/Mainstreaming of Migration": {
            ("BEL", 2007): ["3.2"], ("PHL", 2008): ["2.1", "2.2", "3.2"], ("GRC", 2009): ["3.1", "3.2"],
            ("MEX", 2010): ["1.1", "1.2", "3.1", "3.2"], ("CHE", 2011): ["2.1"], ("MUS", 2012): ["3.2"],
            ("SWE", 2014): ["1.1"], ("BGD", 2016): ["3.1", "3.2"]},
    }
    expected = sorted((area, chair, year, rt) for area, cells in table.items()
                      for (chair, year), rts in cells.items() for rt in rts)
    got = sorted(set(rows(store, "cq07-roundtables-by-area", "area", "chair", "year", "roundtable")))
    assert got == expected


def test_cq08_summits(store):
    got = set(rows(store, "cq08-summits", "year", "chair", "city"))
    for row in [
        (2007, "BEL", "Brussels"),  # 003 line 15; 000 line 111
        (2008, "PHL", "Manila"),  # 003 line 54; 000 line 111
        (2009, "GRC", None), (2010, "MEX", None), (2011, "CHE", None), (2012, "MUS", None),  # 000 line 111
        (2014, "SWE", None), (2015, "TUR", None),  # 000 line 111
        (2016, "BGD", "Dhaka"),  # 000 line 111; 001 line 84
        (2017, "DEU", "Berlin"), (2017, "MAR", "Berlin"),  # 001 lines 88, 93, 97; 004 line 300
        (2022, "FRA", None), (2022, "SEN", None), (2023, "FRA", None), (2023, "SEN", None),  # 004 line 36
    ]:
        assert row in got, row


def test_cq09_key_recommendations(store):
    # 002 lines 25-35: the years in parentheses at the end of each recommendation
    years = {1: [2007, 2014, 2015], 2: [2012], 3: [2013, 2014], 4: [2009, 2014, 2015], 5: [2007, 2009, 2012],
             6: [2010, 2012], 7: [2007, 2009], 8: [2007], 9: [2009], 10: [2007, 2008, 2009]}
    expected = [(n, y) for n, ys in years.items() for y in ys]
    assert rows(store, "cq09-key-recommendations", "number", "year") == expected


def test_cq10_hlpf_2017_focus_goals(store):
    # 000 lines 13-19
    assert [g for (g,) in rows(store, "cq10-hlpf-2017-focus-goals", "goal")] == [1, 2, 3, 5, 9, 14, 17]


def test_cq11_steering_group_2007(store):
    # 003 line 124 (RO Korea = KOR)
    expected = sorted("ARG AUS BGD BEL BRA CAN EGY FRA GHA GRC IDN IRL JPN KEN MEX MAR NLD NOR PHL PRT QAT KOR "
                      "SEN ZAF SWE CHE THA TUN GBR".split())
    assert [c for (c,) in rows(store, "cq11-steering-group-2007", "country")] == expected


def test_cq12_ilo_instruments(store):
    got = set(rows(store, "cq12-ilo-instruments", "code", "year"))
    # 001 lines 283-286: C097 (1949), R086 (1949), C181 (1997)
    for row in [("C097", 1949), ("R086", 1949), ("C181", 1997)]:
        assert row in got, row
    codes = {c for c, _ in got if c}
    assert {"C097", "R086", "C181", "P029"} <= codes  # P029: 001 cluster 6


def test_cq13_roundtable_chairs(store):
    got = set(rows(store, "cq13-roundtable-chairs", "roundtable", "role", "person", "affiliation"))
    # 004 lines 23-29, 88-89, 171, 181, 222, 257, 271
    for row in [(1, "chair", "Jasmine Moussa", "Egypt"), (2, "chair", "Rongvudhi Virabutr", "Thailand"),
                (3, "chair", "Filipa Sousa", "Portugal"), (4, "chair", "Jorge González Mayagoitia", "Mexico")]:
        assert row in got, row
    facilitators = {(rt, person) for rt, role, person, _ in got if role == "facilitator"}
    assert facilitators == {(1, "Stéphanie Winet"), (2, "Elana Wong"), (3, "Stéphane Jaquemet"), (4, "Sophie Van Haasen")}


def test_cq14_recommendation_counts(store):
    got = {(c, f): (po, pa) for c, f, po, pa in rows(store, "cq14-recommendation-counts", "cluster", "focusArea",
                                                      "policyOptions", "practicalActions")}
    assert len(got) == 21
    assert got[(1, 1)] == (4, 4)  # 001 lines 173-185
    assert got[(2, 2)] == (3, 3)  # 001 lines 351-365
    assert got[(2, 4)] == (2, 2)  # 001 lines 425-434 (policy options) and practical actions


def test_cq15_best_practice_boxes(store):
    got = rows(store, "cq15-best-practice-boxes", "box", "name")
    counts = {}
    for box, _ in got:
        counts[box] = counts.get(box, 0) + 1
    # practices of 000: box 1 lines 127-128 (two bullets, the first naming the cost-comparison websites
    # and Switzerland's brochure), box 2 136-138, box 3 150-152, box 4 160-162, box 5 170-172,
    # box 6 180-182, Annex I 235-254
    assert counts == {"1": 3, "2": 3, "3": 3, "4": 3, "5": 3, "6": 3, "Annex I": 11}


def test_cq16_sutherland_recommendations(store):
    got = set(rows(store, "cq16-sutherland-recommendations", "recommendation", "cluster"))
    # 001 footnotes 21-26 (lines 149-159) cite recommendations 1, 2, 5, 6, 10 in cluster 1;
    # footnotes 47-48 (lines 300-302) cite 5 and 4 in cluster 2
    for row in [(1, 1), (2, 1), (5, 1), (6, 1), (10, 1), (4, 2), (5, 2)]:
        assert row in got, row


def test_cq17_documents(store):
    got = rows(store, "cq17-documents", "document", "date")
    assert got == [(HLPF, "2017-03-22"), (TR, "2017-11-22"), (DIALOGUE, "2017-04-06"), (SLIDES, None),
                   (FOF, "2021-11-18")]


def test_cq18_gfmd_2007_2008_themes(store):
    got = rows(store, "cq18-gfmd-2007-2008-themes", "summit", "roundtable", "theme")
    # 003 lines 25-27 and 64-66
    assert got == [
        (2007, "1", "Human capital development and labor mobility: maximizing opportunities and minimizing risks."),
        (2007, "2", "Remittances and other diaspora resources: increasing their net volume and development value."),
        (2007, "3", "Enhancing policy and institutional coherence, and promoting partnerships."),
        (2008, "1", "Migrant's Rights and Development (Migration, Development and Human Rights)"),
        (2008, "2", "Promoting Safer, Legal Migration in Order to Strengthen Development Impact of Migration"),
        (2008, "3", "Policy and Institutional Coherence and Partnerships"),
    ]


def test_cq19_fof_2021_organizations(store):
    got = {name for name, _kind in rows(store, "cq19-fof-2021-organizations", "name", "kind")}
    # 004: IOM (line 16), IFAD (67), Migrant Forum in Asia (58), NGO Committee on Migration (55)
    for fragment in ["International Organization for Migration", "International Fund for Agricultural Development",
                     "Migrant Forum in Asia", "NGO Committee on Migration"]:
        assert any(fragment in n for n in got), fragment


def test_cq20_fof_2021_speakers(store):
    # 004: UAE 35, France 36, Senegal 37, Philippines 41, Thailand 56, Egypt 59, Portugal 63, Mexico 80,
    # Canada 83, Sri Lanka 92, Sweden 93, Saint Lucia 98
    expected = sorted("ARE FRA SEN PHL THA EGY PRT MEX CAN LKA SWE LCA".split())
    assert [c for (c,) in rows(store, "cq20-fof-2021-speakers", "country")] == expected


@pytest.mark.parametrize("name", sorted(n for n in named_queries() if n.startswith("cq/")))
def test_competency_question_parses_and_answers(store, name):
    assert store.run_named(name), f"{name} returned no rows"
