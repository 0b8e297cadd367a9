"""Competency questions on clusters 3 and 4 of the Thematic Recollection (001 lines 441-813).

Expected rows are read from the source by hand; each cites the line it comes from.
"""

from __future__ import annotations

from decimal import Decimal

TR = "001_69fe85e28a4c7925.txt"
Q = "https://w3id.org/gfmd/id/quantity/"


def test_cq29_remittance_and_money_figures(store):
    got = {r["quantity"].removeprefix(Q): (Decimal(str(r["value"])), r["unit"], r.get("year"), r["qualifier"], r["passage"])
           for r in store.run_named("cq/cq29-thematic-recollection-money-figures")}
    expected = {
        # 001 line 640: "SDG target 10.c on the reduction of transaction costs for remittances of migrants to below 3% until 2030"
        "sdg-10-c-remittance-cost-target": (Decimal(3), "percent", 2030, "less-than", f"{TR}#L640-L640"),
        # 001 line 719: "compare remittances costs on 26 corridors in France"
        "pfp-1682-corridors": (Decimal(26), "item", None, "exact", f"{TR}#L719-L719"),
        # 001 line 721: GFRID, 15-16 June 2017, "brought together over 340 practitioners"
        "gfrid-2017-06-15-participants": (Decimal(340), "person", 2017, "more-than", f"{TR}#L721-L721"),
        # 001 line 723: "In 2017 the Day received ... over 100 Money Transfer Operators (MTOs) through IAMTN,
        # 800 mobile companies through GSMA (including Vodafone), 6,000 savings banks across 80 countries through WSBI,
        # and over 100 emerging payments entities through EPA."
        "pfp-5040-mtos-2017": (Decimal(100), "organization", 2017, "more-than", f"{TR}#L723-L723"),
        "pfp-5040-mobile-companies-2017": (Decimal(800), "organization", 2017, "exact", f"{TR}#L723-L723"),
        "pfp-5040-savings-banks-2017": (Decimal(6000), "organization", 2017, "exact", f"{TR}#L723-L723"),
        "pfp-5040-savings-bank-countries-2017": (Decimal(80), "country", 2017, "exact", f"{TR}#L723-L723"),
        "pfp-5040-payments-entities-2017": (Decimal(100), "organization", 2017, "more-than", f"{TR}#L723-L723"),
    }
    for key, row in expected.items():
        assert got.get(key) == row, key


def test_cq30_options_and_practices_by_target(store):
    got = {(r["item"].rsplit("/", 1)[1], r["target"], r["passage"])
           for r in store.run_named("cq/cq30-options-practices-by-target")}
    # 001 line 555: MiGOF "represents an internationally agreed definition of SDG target 10.7"
    assert ("pfp-5694", "10.7", f"{TR}#L555-L555") in got
    # 001 line 694: bring down remittance costs "to targeted levels in accordance with the commitments in the 2030 Agenda";
    # line 640 names that commitment "SDG target 10.c"
    assert ("tr-4-2-po-1", "10.c", f"{TR}#L694-L694") in got
    assert ("tr-4-2-po-1", "10.c", f"{TR}#L640-L640") in got


def test_cq30_param_target(store):
    rows = store.run_named("cq/cq30-options-practices-by-target", params={"target": "10.c"})
    assert {r["item"].rsplit("/", 1)[1] for r in rows} == {"tr-4-2-po-1"}
