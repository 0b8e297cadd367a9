"""Competency questions cq31-cq32: the 2017 GCM dialogue session (002) and the
Thematic Recollection, clusters 5 and 6 (001 lines 814-1069).

Expected rows read from the sources by hand; each cites its line.
"""

from __future__ import annotations

TR = "001_69fe85e28a4c7925.txt"
DL = "002_93a59147a1a340c4.txt"
ID = "https://w3id.org/gfmd/id/"
REC = ID + "recommendation/dialogue-2017-04-06-kr-"
P = ID + "practice/"


def test_cq31_key_recommendations_years_and_summits(store):
    rows = store.run_named("cq/cq31-gcm-dialogue-2017-recommendation-summits")
    got = {(r["recommendation"], int(r["year"]), r.get("summit"), r.get("passage")) for r in rows}
    for row in [
        # 002 line 25: recommendation 1 "(2007; 2014-2015)"
        (REC + "1", 2007, ID + "summit/2007", f"{DL}#L25-L25"),
        (REC + "1", 2014, ID + "summit/2014", f"{DL}#L25-L25"),
        (REC + "1", 2015, ID + "summit/2015", f"{DL}#L25-L25"),
        # 002 line 27: recommendation 2 "(2012)"
        (REC + "2", 2012, ID + "summit/2012", f"{DL}#L27-L27"),
        # 002 line 28: recommendation 3 "(2013-2014)"; no GFMD summit is modelled for 2013
        (REC + "3", 2013, None, f"{DL}#L28-L28"),
        (REC + "3", 2014, ID + "summit/2014", f"{DL}#L28-L28"),
        # 002 line 31: recommendation 6 "(2010; 2012)"
        (REC + "6", 2010, ID + "summit/2010", f"{DL}#L31-L31"),
        (REC + "6", 2012, ID + "summit/2012", f"{DL}#L31-L31"),
        # 002 line 35: recommendation 10 "(2007; 2008; 2009)"
        (REC + "10", 2007, ID + "summit/2007", f"{DL}#L35-L35"),
        (REC + "10", 2008, ID + "summit/2008", f"{DL}#L35-L35"),
        (REC + "10", 2009, ID + "summit/2009", f"{DL}#L35-L35"),
    ]:
        assert row in got, row
    # 002 lines 25-35: ten key recommendations, 21 cited years in all
    assert len({r["recommendation"] for r in rows}) == 10
    assert len({(r["recommendation"], r["year"]) for r in rows}) == 21


def test_cq32_cluster_5_6_initiatives(store):
    got = {(r["cluster"], r["practice"], r["fact"], r["value"], r.get("date"), r.get("passage"))
           for r in store.run_named("cq/cq32-crisis-trafficking-initiatives")}
    for row in [
        # 001 line 888: MICIC project "launched in January 2015 and implemented by ICMPD"
        ("5", P + "pfp-2257", "launchDate", "2015-01", None, f"{TR}#L888-L888"),
        ("5", P + "pfp-2257", "implementedBy", ID + "organization/icmpd", None, f"{TR}#L888-L888"),
        # 001 line 890: campaign "in the Republic of Mauritius"
        ("5", P + "pfp-2193", "country", ID + "state/MUS", None, f"{TR}#L890-L890"),
        # 001 line 898: PDD "Established in 2016 by Germany (Chair) and Bangladesh (Vice-Chair)"
        ("5", P + "pfp-2705", "launchDate", "2016", None, f"{TR}#L898-L898"),
        ("5", P + "pfp-2705", "chair", ID + "state/DEU", "2016", f"{TR}#L898-L898"),
        ("5", P + "pfp-2705", "vice-chair", ID + "state/BGD", "2016", f"{TR}#L898-L898"),
        # 001 line 900: "TBB's two pilot countries, Lebanon and Jordan"
        ("5", P + "pfp-5897", "country", ID + "state/LBN", None, f"{TR}#L900-L900"),
        ("5", P + "pfp-5897", "country", ID + "state/JOR", None, f"{TR}#L900-L900"),
        # 001 line 1031: 6Degree.org "launched in 2015 through a partnership between IOM and Microsoft"
        ("6", P + "pfp-2642", "launchDate", "2015", None, f"{TR}#L1031-L1031"),
        ("6", P + "pfp-2642", "implementedBy", ID + "organization/microsoft", None, f"{TR}#L1031-L1031"),
        # 001 line 1035: Bali Process "co-chaired by Indonesia and Australia since its inception in 2002"
        ("6", P + "pfp-1895", "co-chair", ID + "state/IDN", "2002/..", f"{TR}#L1035-L1035"),
        ("6", P + "pfp-1895", "co-chair", ID + "state/AUS", "2002/..", f"{TR}#L1035-L1035"),
    ]:
        assert row in got, row
    # the PDD chairs (001 line 898) are not attributed to the Nansen Initiative named in the same line
    assert not any(r[1] == P + "pfp-2076" and r[2] in {"chair", "vice-chair"} for r in got)
