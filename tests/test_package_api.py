"""The package's own names work as the README shows them."""

from __future__ import annotations


def test_graph_store_and_to_dataframe_import_from_the_package():
    from gfmd_graph import GraphStore, to_dataframe

    rows = GraphStore().run_named("cq/cq08-summits", params={"year": 2016})
    frame = to_dataframe(rows)
    # 000 line 111, Table 2: "BGD 2016"; 001 line 84: the Dhaka summit
    assert frame.loc[0, "year"] == 2016 and frame.loc[0, "chair"] == "BGD" and frame.loc[0, "city"] == "Dhaka"


def test_an_unknown_name_is_an_attribute_error():
    import gfmd_graph
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'GraphStor'"):
        gfmd_graph.GraphStor  # noqa: B018
