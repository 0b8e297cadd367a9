"""Competency questions cq27-cq28 over the Thematic Recollection, clusters 1 and 2 (001 lines 1-440).

Expected rows read from the source by hand; each cites its line.
"""

from __future__ import annotations

TR = "001_69fe85e28a4c7925.txt"
P = "https://w3id.org/gfmd/id/practice/"


def test_cq27_quantities_stated_about_practices(store):
    got = {(r["practice"], r["measure"], r.get("value"), r["unit"], r.get("qualifier"), r["passage"])
           for r in store.run_named("cq/cq27-thematic-recollection-practice-quantities")}
    for row in [
        # 001 line 344: "almost 100% assured returns ... 20% female intake"
        (P + "pfp-215", "share", 100, "percent", "approximately", f"{TR}#L344-L344"),
        (P + "pfp-215", "share", 20, "percent", "exact", f"{TR}#L344-L344"),
        # 001 line 429: "providing up to 9,000 places per year"
        (P + "pfp-1930", "workers", 9000, "item", "up-to", f"{TR}#L429-L429"),
        # 001 line 189: "Five-year Development Plan (2014-2019)"
        (P + "pfp-2334", "duration", 5, "year", "exact", f"{TR}#L189-L189"),
    ]:
        assert row in got, row


def test_cq28_practices_by_country(store):
    got = {(r["country"], r["practice"], r.get("passage"))
           for r in store.run_named("cq/cq28-practices-by-country")}
    for row in [
        ("MDA", P + "pfp-1572", f"{TR}#L342-L342"),  # 001 line 342: "rural areas of Moldova"
        ("CAN", P + "pfp-215", f"{TR}#L344-L344"),  # 001 line 344: "Canada's ... visa category"
        ("GTM", P + "pfp-215", f"{TR}#L344-L344"),  # 001 line 344: "Guatemala has been able to negotiate"
        ("CAN", P + "pfp-1754", f"{TR}#L409-L409"),  # 001 line 409: "both in Canada and abroad"
        ("ZAF", P + "pfp-1850", f"{TR}#L405-L405"),  # 001 line 405: South African framework
        ("SEN", P + "pfp-2276", f"{TR}#L425-L425"),  # 001 line 425: "actors in Senegal and abroad"
        ("NZL", P + "pfp-1930", f"{TR}#L429-L429"),  # 001 line 429: New Zealand scheme
        ("AUS", P + "pfp-2210", f"{TR}#L429-L429"),  # 001 line 429: Australian program
        ("SLV", P + "pfp-2334", f"{TR}#L189-L189"),  # 001 line 189: the government of El Salvador
    ]:
        assert row in got, row
    # the parameter keeps one country: 001 line 342
    only = store.run_named("cq/cq28-practices-by-country", params={"country": "MDA"})
    assert {r["practice"] for r in only} >= {P + "pfp-1572"}
    assert {r["country"] for r in only} == {"MDA"}
