"""Competency questions cq21-cq25 over the facts the sources state as data: dated roles, partial
dates, what speakers said, contributions and event relations.

Expected rows read from the sources by hand; each cites its line.
"""

from __future__ import annotations

HLPF, TR, SLIDES, FOF = ("000_4b353f6f5fbcb23f.txt", "001_69fe85e28a4c7925.txt",
                         "003_049e7e376a7459d6.txt", "004_8fb29b7558d3895e.txt")
ID = "https://w3id.org/gfmd/id/"
GFMD = "https://w3id.org/gfmd/ontology#"


def test_cq21_troika_roles_with_their_dates(store):
    got = [(r["member"], r["role"], r["date"], r["event"], r.get("occurredAt"), r["passage"])
           for r in store.run_named("cq/cq21-dated-memberships", params={"organization": ID + "organization/gfmd-troika"})]
    # 004 line 46: "The UAE had agreed to lead the Troika until the end of 2021; France and Senegal would
    # take over the lead from January to June 2022 ... Ecuador had stepped down from the Troika at
    # 17 November SG meeting." Line 43 gives the year: "Update on the GFMD Reform Process February-November 2021".
    assert got == [
        (ID + "state/ARE", ID + "role/lead", "../2021-12", ID + "membership-event/held", None, f"{FOF}#L46-L46"),
        (ID + "state/ECU", ID + "role/member", "2021-11-17", ID + "membership-event/left", ID + "meeting/sg-2021-11-17", f"{FOF}#L43-L43"),
        (ID + "state/ECU", ID + "role/member", "2021-11-17", ID + "membership-event/left", ID + "meeting/sg-2021-11-17", f"{FOF}#L46-L46"),
        # 004 line 14: "Welcome and Opening Remarks by the GFMD Troika: the UAE, France, Senegal" (18 November 2021)
        (ID + "state/ARE", ID + "role/member", "2021-11-18", ID + "membership-event/held", None, f"{FOF}#L14-L14"),
        (ID + "state/FRA", ID + "role/member", "2021-11-18", ID + "membership-event/held", None, f"{FOF}#L14-L14"),
        (ID + "state/SEN", ID + "role/member", "2021-11-18", ID + "membership-event/held", None, f"{FOF}#L14-L14"),
        (ID + "state/FRA", ID + "role/co-lead", "2022-01/2022-06", ID + "membership-event/announced", None, f"{FOF}#L46-L46"),
        (ID + "state/SEN", ID + "role/co-lead", "2022-01/2022-06", ID + "membership-event/announced", None, f"{FOF}#L46-L46"),
    ]


def test_cq21_chairs_by_year_from_table_2(store):
    got = {(r["member"], r["date"]) for r in store.run_named("cq/cq21-dated-memberships", params={"organization": ID + "organization/gfmd"})
           if r["role"] == ID + "role/chair"}
    # 000 lines 110-111, Table 2: "BEL 2007 ... PHL 2008 ... BGD 2016"
    assert {(ID + "state/BEL", "2007"), (ID + "state/PHL", "2008"), (ID + "state/BGD", "2016")} <= got


def test_cq22_dates_stated_in_part(store):
    got = {(r["resource"], r["date"], r.get("passage")) for r in store.run_named("cq/cq22-partial-dates")}
    for row in [
        (ID + "instrument/imrf-roadmap", "XXXX-10-19", f"{FOF}#L67-L67"),  # "launched on 19 October" (no year)
        (ID + "membership/gfmd-troika-are-lead-2021", "../2021-12", f"{FOF}#L46-L46"),  # "until the end of 2021"
        (ID + "membership/chairmanship-2022-2023-fra-co-chair", "2022-07/2023-12", f"{FOF}#L36-L36"),
    ]:
        assert row in got, row
    assert all(not r[1].count("-") == 2 or "/" in r[1] or "X" in r[1] for r in got)


def test_cq23_what_the_troika_and_guests_said_at_the_2021_friends_of_the_forum(store):
    got = [(r["session"], r["order"], r["speaker"], r.get("onBehalfOf"), r["kind"], r["passage"])
           for r in store.run_named("cq/cq23-what-speakers-said", params={"meeting": ID + "meeting/fof-2021-11-18"})]
    opening = [g for g in got if g[0] == ID + "roundtable/fof-2021-11-18-agenda-1"]
    # 004 lines 35-41: paragraphs 1-4 by the UAE, France, Senegal and the Philippines
    assert [(o[1], o[2], o[4]) for o in opening] == [
        (1, ID + "state/ARE", ID + "intervention-kind/welcome"),
        (2, ID + "state/FRA", ID + "intervention-kind/announcement"),
        (3, ID + "state/SEN", ID + "intervention-kind/position"),
        (4, ID + "state/PHL", ID + "intervention-kind/position"),
    ]
    # 004 line 74: the EU "speaking on behalf of the European Commission and EEAS"
    assert (ID + "roundtable/fof-2021-11-18-agenda-4", 17, ID + "organization/european-union",
            ID + "organization/eeas", ID + "intervention-kind/position", f"{FOF}#L74-L74") in got
    # the four stocktaking roundtables: one intervention per paragraph 20-101 (004 lines 93-318)
    stocktaking = {(g[0], g[1]) for g in got if g[0].rsplit("-", 1)[-1] in "1234" and "agenda" not in g[0]}
    assert len(stocktaking) == 82


def test_cq24_renewed_contributions_for_2021(store):
    got = {(r["contributor"], r["recipient"], r.get("year")) for r in store.run_named("cq/cq24-contributions")}
    # 004 line 54: "the UAE had committed to clear the 2020 deficit, and a number of Member States had renewed
    # their contributions for 2021, including Belgium, Canada, France, Germany, Greece, the Philippines, Sweden
    # and Switzerland"
    gfmd = ID + "organization/gfmd"
    assert {c for c, r, y in got if r == gfmd and y == 2021} == {
        ID + f"state/{iso}" for iso in ("BEL", "CAN", "FRA", "DEU", "GRC", "PHL", "SWE", "CHE")}
    assert (ID + "state/ARE", gfmd, 2020) in got
    # 004 line 140: Visadb.io "Funded by the EU, the governments of Poland and Chile"
    assert {c for c, r, y in got if r == ID + "practice/fof-2021-visadb-io-platform"} == {
        ID + "organization/european-union", ID + "state/POL", ID + "state/CHL"}


def test_cq25_event_relations(store):
    got = {(r["thing"], r["relation"], r["event"], r.get("passage")) for r in store.run_named("cq/cq25-event-relations")}
    G = "https://w3id.org/gfmd/ontology#"
    for row in [
        # 004 line 50: "a first revision of the SG ToRs had been agreed at the June 2021 SG meeting"
        (ID + "instrument/gfmd-steering-group-tors", G + "adoptedAt", ID + "meeting/sg-2021-06", f"{FOF}#L50-L50"),
        # 004 line 196: "The process was initiated under the Swedish GFMD Chair in 2013-2014"
        (ID + "practice/fof-2021-micic", G + "initiatedUnder", ID + "chairmanship/2013-2014", f"{FOF}#L196-L196"),
        # 004 line 67: "The IMRF will be held on 10-13 May 2022 ..., preceded by a stakeholder consultation on 9 May"
        (ID + "meeting/imrf-2022", G + "precededBy", ID + "meeting/imrf-2022-stakeholder-consultation", f"{FOF}#L67-L68"),
        # 000 line 29: the final report "was adopted at the Dhaka Summit in December 2016"
        (ID + "instrument/gfmd-ad-hoc-wg-report-2016", G + "adoptedAt", ID + "summit/2016", f"{HLPF}#L29-L29"),
        # 000 line 85: "the Sweden Summit 2013-2014"
        (ID + "summit/2014", G + "heldUnder", ID + "chairmanship/2013-2014", f"{HLPF}#L85-L85"),
    ]:
        assert row in got, row


def test_cq26_the_paragraphs_of_the_addis_ababa_action_agenda_the_sources_cite(store):
    got = {(r["provision"], r["number"], r["document"], r.get("passage"))
           for r in store.run_named("cq/cq26-cited-provisions", params={"instrument": ID + "instrument/addis-ababa-action-agenda"})}
    p111, p40 = ID + "provision/addis-ababa-action-agenda-para-111", ID + "provision/addis-ababa-action-agenda-para-40"
    assert got == {
        # 001 lines 131, 259, 650: "Addis Ababa Action Agenda (AAAA), 2015, para. 111" / "§ 111"
        (p111, "111", ID + "document/thematic-recollection-2017", f"{TR}#L131-L131"),
        (p111, "111", ID + "document/thematic-recollection-2017", f"{TR}#L259-L259"),
        (p111, "111", ID + "document/thematic-recollection-2017", f"{TR}#L650-L650"),
        # 000 line 156: "(SDGs 8.8 and 10.7; AAAA §111)"
        (p111, "111", ID + "document/hlpf-2017-recommendations", f"{HLPF}#L156-L156"),
        # 001 line 652: "Addis Ababa Action Agenda (AAAA), 2015, para. 40."
        (p40, "40", ID + "document/thematic-recollection-2017", f"{TR}#L652-L652"),
    }


def test_cq26_article_33_of_the_refugee_convention_and_what_it_is_cited_for(store):
    rows = store.run_named("cq/cq26-cited-provisions", params={"instrument": ID + "instrument/refugee-convention"})
    # 001 line 482 (footnote 72): "... A/RES/429(V), 1951, <...>, Art. 33." on line 471's sentence
    assert [(r["kind"], r["number"], r["notation"], r["passage"]) for r in rows] == [
        (ID + "provision-kind/article", "33", "Art. 33", f"{TR}#L482-L482")]
    assert rows[0]["citedFor"].startswith("the 1951 Geneva Convention Relating to the Status of Refugees protects persons from being expelled")


def test_cq26_a_preamble_has_no_number(store):
    rows = store.run_named("cq/cq26-cited-provisions", params={"instrument": ID + "instrument/paris-agreement"})
    # 001 line 823: "The 2015 Paris Climate Change Agreement explicitly references the rights of migrants in its preamble"
    assert [(r["kind"], r.get("number"), r["passage"]) for r in rows] == [(ID + "provision-kind/preamble", None, f"{TR}#L823-L823")]


# --- cq36: relations between things, each with the passage stating it ------------------------------

def test_cq36_the_forced_labour_protocol_and_recommendation_supplement_the_convention(store):
    got = {(r["subject"], r["relation"], r["object"], r.get("passage"))
           for r in store.run_named("cq/cq36-relations-between-things", params={"subject": ID + "instrument/ilo-r203"})}
    # 001 line 931: "the ILO Conventions on Forced Labor and the additional Protocol and Recommendation thereto";
    # line 963 (footnote 145): "ILO, Forced Labor (Supplementary Measures) Recommendation, R203, 2014";
    # line 931 also counts them among the "other international standards" of the cluster 6 framework
    assert got == {(ID + "instrument/ilo-r203", GFMD + "supplements", ID + "instrument/ilo-c029", f"{TR}#L931-L931"),
                   (ID + "instrument/ilo-r203", GFMD + "supplements", ID + "instrument/ilo-c029", f"{TR}#L963-L963"),
                   (ID + "instrument/ilo-r203", GFMD + "frameworkFor", ID + "cluster/6", f"{TR}#L931-L931")}


def test_cq36_the_palermo_instruments_frame_cluster_6(store):
    rows = store.run_named("cq/cq36-relations-between-things")
    framed = {(r["subject"], r.get("passage")) for r in rows
              if r["relation"] == GFMD + "frameworkFor" and r["object"] == ID + "cluster/6"}
    # 001 line 931: "The United Nations Convention against Transnational Organized Crime, together with its
    # Protocol to Prevent, Suppress and Punish Trafficking in Persons as well as its Protocol against the
    # Smuggling of Migrants ... form important base elements of the political framework in this area. Other
    # international standards include the United Nations Global Plan of Action to Combat Trafficking in Persons,
    # the Convention on the Rights of the Child and its Optional Protocol on the Sale of Children ..., the Beijing
    # Declaration and Platform for Action as well as the ILO Conventions on Forced Labor [C029, C105: footnote 143]
    # and the additional Protocol [P029] and Recommendation [R203] thereto."
    assert framed == {(ID + f"instrument/{key}", f"{TR}#L931-L931")
                      for key in ("untoc", "palermo-trafficking-protocol", "palermo-smuggling-protocol",
                                  "un-global-plan-of-action-trafficking", "uncrc",
                                  "crc-optional-protocol-sale-of-children", "beijing-declaration",
                                  "ilo-c029", "ilo-c105", "ilo-p029", "ilo-r203")}


def test_cq36_the_hlpf_report_draws_on_the_past_summits(store):
    rows = store.run_named("cq/cq36-relations-between-things",
                           params={"subject": ID + "document/hlpf-2017-recommendations"})
    summits = sorted({r["object"].rsplit("/", 1)[1] for r in rows if r["relation"] == GFMD + "drawsOn"})
    # 000 line 119: "the report presents the condensed recommendations of the past GFMD summits";
    # lines 110-111: Table 2's columns BEL 2007 ... BGD 2016 (no summit in 2013)
    assert summits == ["2007", "2008", "2009", "2010", "2011", "2012", "2014", "2015", "2016"]
    assert {r["passage"] for r in rows if r["relation"] == GFMD + "drawsOn"} == {f"{HLPF}#L110-L111", f"{HLPF}#L119-L119"}


def test_cq36_a_recommendation_names_bodies_it_does_not_address(store):
    rows = store.run_named("cq/cq36-relations-between-things", params={"subject": ID + "recommendation/tr-iii-3-10"})
    # 001 line 1152: "... findings to the GFMD Friends of the Forum and showcasing these through the Platform for Partnership";
    # its lead-in, line 1149: "Broadening the agreement ... at the Dhaka summit, the GFMD could, inter alia:"
    assert {(r["relation"], r["object"], r["passage"]) for r in rows} == {
        (GFMD + "mentions", ID + "summit/2016", f"{TR}#L1149-L1149"),
        (GFMD + "mentions", ID + "organization/gfmd-friends-of-the-forum", f"{TR}#L1152-L1152"),
        (GFMD + "mentions", ID + "organization/gfmd-platform-for-partnerships", f"{TR}#L1152-L1152")}
