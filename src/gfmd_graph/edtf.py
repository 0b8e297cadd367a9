"""Extended Date/Time Format (EDTF, ISO 8601-2) values: the dates of ``gfmd:EDTF`` literals.

Level 0 and the parts of level 1 the sources need: a year, month or day
(``2021``, ``2021-11``, ``2021-11-18``); unspecified digits (``XXXX-10-19`` for a day
whose year is not stated, ``2021-XX``); approximate or uncertain values (``2022~``,
``2022?``, ``2022%``); seasons (``2022-21`` spring … ``2022-24`` winter); intervals with
known, unknown (empty) or open (``..``) ends (``2021-06-16/2021-06-17``, ``../2021-12``).
"""

from __future__ import annotations

import calendar
import re

PATTERN = (r"^(\.\.|(\d{4}|\d{3}X|\d{2}XX|XXXX)(-(\d{2}|XX)(-(\d{2}|XX))?)?[?~%]?)?"
           r"(/(\.\.|(\d{4}|\d{3}X|\d{2}XX|XXXX)(-(\d{2}|XX)(-(\d{2}|XX))?)?[?~%]?)?)?$")
"""The lexical form, as a regular expression (the one the SHACL shape uses)."""

_DATE = re.compile(r"^(?P<year>\d{4}|\d{3}X|\d{2}XX|XXXX)(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?P<q>[?~%])?$")


def problem(value: str) -> str | None:
    """Why ``value`` is not a valid EDTF date or interval; None if it is.

    >>> problem("XXXX-10-19") is None and problem("2021-06-16/2021-06-17") is None
    True
    >>> problem("2021-02-30")
    'February 2021 has no day 30'
    >>> problem("19 October")
    "'19 October' is not an EDTF value (e.g. 2021-10-19, XXXX-10-19, 2021-10, 2021~, 2021-06-16/2021-06-17)"
    """
    parts = value.split("/")
    if len(parts) > 2 or value in ("", "/"):
        return _syntax(value)
    dates = []
    for i, part in enumerate(parts):
        if part == ".." or (part == "" and len(parts) == 2):
            dates.append(None)
            continue
        m = _DATE.match(part)
        if not m:
            return _syntax(value)
        trouble = _calendar(m)
        if trouble:
            return trouble
        dates.append(m)
    if len(dates) == 2 and dates[0] is not None and dates[1] is not None:
        start, end = (_sortable(d) for d in dates)
        if start and end and start > end:
            return f"the interval {value} ends before it starts"
    if len(parts) == 2 and dates == [None, None]:
        return _syntax(value)
    return None


def is_valid(value: str) -> bool:
    """True if ``value`` is a valid EDTF value of the supported levels."""
    return problem(value) is None


def _syntax(value: str) -> str:
    return (f"{value!r} is not an EDTF value (e.g. 2021-10-19, XXXX-10-19, 2021-10, 2021~, "
            "2021-06-16/2021-06-17)")


def _calendar(m: re.Match) -> str | None:
    year, month, day = m["year"], m["month"], m["day"]
    if month is None or "X" in month:
        return None
    number = int(month)
    if 21 <= number <= 24:
        return "a season (21-24) has no day" if day is not None else None
    if not 1 <= number <= 12:
        return f"{int(month)} is not a month (01-12, or 21-24 for a season)"
    if day is None or "X" in day:
        return None
    # a day without its year may be 29 February
    last = calendar.monthrange(int(year) if year.isdigit() else 2000, number)[1]
    if not 1 <= int(day) <= last:
        name = calendar.month_name[number]
        return f"{name} {year if year.isdigit() else ''}".strip() + f" has no day {int(day)}"
    return None


def _sortable(m: re.Match) -> tuple | None:
    if not m["year"].isdigit() or (m["month"] and not m["month"].isdigit()):
        return None
    month = int(m["month"]) if m["month"] and int(m["month"]) <= 12 else None
    return (int(m["year"]), month or 0, int(m["day"]) if m["day"] and m["day"].isdigit() else 0)
