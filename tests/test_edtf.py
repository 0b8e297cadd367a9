"""EDTF values of gfmd:date and gfmd:launchDate: what is valid and why the rest is not."""

from __future__ import annotations

import re

import pytest

from gfmd_graph import edtf


@pytest.mark.parametrize("value", [
    "2021", "2021-11", "2021-11-18", "XXXX-10-19", "2021-XX", "19XX", "2022~", "2022?", "2022-06%",
    "2022-21", "2021-06-16/2021-06-17", "2022-07/2023-12", "../2021-12", "2021-11/..", "2021-11-18/",
    "2020-02-29", "XXXX-02-29",
])
def test_valid_values(value):
    assert edtf.problem(value) is None
    assert re.match(edtf.PATTERN, value)


@pytest.mark.parametrize("value, reason", [
    ("19 October", "is not an EDTF value"),
    ("mid-2022", "is not an EDTF value"),
    ("2021-13", "13 is not a month"),
    ("2021-02-29", "February 2021 has no day 29"),
    ("2021-04-31", "April 2021 has no day 31"),
    ("XXXX-02-30", "February has no day 30"),
    ("2022-21-05", "a season (21-24) has no day"),
    ("2023/2022", "ends before it starts"),
    ("../..", "is not an EDTF value"),
    ("/", "is not an EDTF value"),
])
def test_invalid_values_say_why(value, reason):
    assert reason in edtf.problem(value)
