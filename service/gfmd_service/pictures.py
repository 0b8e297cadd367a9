"""Pictures of the graph as inline SVG, built from the rows of the named queries in ``queries/pictures/``.

Each builder takes the rows of one query (plain dicts, as :func:`rows_from_json` gives them)
and returns the SVG text; every text and attribute is escaped, every mark carries a
``<title>`` and the picture a ``<title>``/``<desc>`` pair it is labelled by.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as _escape

from gfmd_graph.passages import parse_passage

SVG_NS = "http://www.w3.org/2000/svg"
_EDTF_DATE = re.compile(r"^(\d{4})(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?[?~%]?$")
_XSD_INTEGER = {"http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#int"}


def esc(text) -> str:
    """Text escaped for XML content and double-quoted attributes."""
    return _escape(str(text), {'"': "&quot;"})


def rows_from_json(body: bytes) -> list[dict]:
    """The rows of a SPARQL JSON result as dicts of plain values (integers as int; unbound left out)."""
    data = json.loads(body)
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        row = {}
        for name, term in binding.items():
            value = term.get("value")
            if term.get("datatype") in _XSD_INTEGER:
                value = int(value)
            row[name] = value
        rows.append(row)
    return rows


def editor_link(query: str, title: str) -> str:
    """The editor page with ``query`` in a tab named ``title`` (the ``#query=`` fragment YASGUI reads)."""
    return "/#" + urlencode({"query": query, "tabTitle": title}, quote_via=quote)


def local_href(iri: str, base: str) -> str:
    """The service's own page of an IRI under ``base`` (``/id/…``), else the IRI itself."""
    return "/" + iri[len(base):] if iri.startswith(base + "id/") else iri


# ---- dates ----

def _point(text: str, end: bool) -> float | None:
    """A date of EDTF or xsd:date as a fractional year (its first or, with ``end``, last instant)."""
    m = _EDTF_DATE.match(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month in (None, "XX"):
        return year + (1.0 if end else 0.0)
    month = int(month)
    days = calendar.monthrange(year, month)[1]
    if day in (None, "XX"):
        day_of_month = days if end else 0
    else:
        day_of_month = int(day) if end else int(day) - 1
    before = sum(calendar.monthrange(year, m)[1] for m in range(1, month))
    return year + (before + day_of_month) / (366 if calendar.isleap(year) else 365)


def span(start: str | None, end: str | None = None) -> tuple[float, float] | None:
    """The stretch of time of a start (an EDTF value, possibly an interval) and an optional end.

    None when no year is stated (``XXXX-10-19``): such an event cannot be placed.

    >>> span("2021")
    (2021.0, 2022.0)
    >>> span("XXXX-05-22/XXXX-05-23") is None
    True
    """
    if not start:
        return None
    first, _, second = start.partition("/")
    a = _point(first, False) if first not in ("", "..") else None
    b = _point(end or second or first, True) if (end or second or first) not in ("", "..") else None
    if a is None and b is None:
        return None
    a = b if a is None else a
    b = a if b is None else b
    return (min(a, b), max(a, b))


# ---- timeline ----

@dataclass
class Event:
    """One summit, chairmanship or meeting with what the rows say of it."""

    iri: str
    kind: str
    label: str
    classes: set[str] = field(default_factory=set)
    year: int | None = None
    starts: set[str] = field(default_factory=set)
    ends: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    chairs: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    @property
    def when(self) -> tuple[float, float] | None:
        """Earliest start to latest end the data states; the year alone when nothing finer is stated."""
        spans = [s for s in (span(v, max(self.ends) if self.ends else None) for v in sorted(self.starts)) if s]
        spans += [s for s in (span(v) for v in sorted(self.dates)) if s]
        if not spans and self.year is not None:
            spans = [span(str(self.year))]
        if not spans:
            return None
        return (min(s[0] for s in spans), max(s[1] for s in spans))

    @property
    def stated(self) -> str:
        """The dates as the data states them, for tooltips and lists."""
        parts = []
        if self.starts:
            parts.append(" / ".join(sorted(self.starts)) + (" – " + " / ".join(sorted(self.ends)) if self.ends else ""))
        parts += sorted(self.dates)
        if not parts and self.year is not None:
            parts.append(str(self.year))
        return "; ".join(parts) or "no date stated"

    def describe(self) -> str:
        text = f"{self.label} ({self.stated})"
        if self.chairs:
            text += "; chair: " + ", ".join(sorted(self.chairs.values()))
        if self.places:
            text += "; place: " + ", ".join(sorted(self.places.values()))
        return text


def events_from_rows(rows: list[dict]) -> list[Event]:
    """The rows of ``pictures/timeline`` gathered into one :class:`Event` per resource."""
    events: dict[str, Event] = {}
    for row in rows:
        iri = row["event"]
        ev = events.setdefault(iri, Event(iri, row["kind"], row.get("label") or iri.rsplit("/", 1)[-1]))
        if row.get("class"):
            ev.classes.add(row["class"])
        if isinstance(row.get("year"), int):
            ev.year = row["year"]
        for key, target in (("start", ev.starts), ("end", ev.ends), ("date", ev.dates)):
            if row.get(key):
                target.add(str(row[key]))
        if row.get("chair"):
            ev.chairs[row["chair"]] = row.get("chairLabel") or row["chair"].rsplit("/", 1)[-1]
        if row.get("place"):
            ev.places[row["place"]] = row.get("placeLabel") or row["place"].rsplit("/", 1)[-1]
    return list(events.values())


LANES = (("summit", "Summits"), ("chairmanship", "Chairmanships"), ("meeting", "Other meetings"))
_COLOURS = {"summit": "#1f5fa8", "chairmanship": "#c2661b", "meeting": "#4a8a3a"}


def timeline_svg(events: list[Event], base: str) -> str:
    """A time axis with one lane per kind: dated events as marks, spans as bars; undated ones are left out
    (the page lists them apart)."""
    placed = [(e, e.when) for e in events if e.when is not None]
    if placed:
        first = int(min(w[0] for _, w in placed))
        last = int(max(w[1] for _, w in placed) - 1e-9) + 1
    else:
        first, last = 2007, 2008
    left, right, year_width = 150, 20, 62
    width = left + (last - first) * year_width + right
    lane_rows: dict[str, list[list[tuple[float, float]]]] = {k: [] for k, _ in LANES}
    marks = []
    for ev, (a, b) in sorted(placed, key=lambda p: (p[1][0], p[0].label)):
        x0 = left + (a - first) * year_width
        x1 = max(left + (b - first) * year_width, x0 + 6)
        rows = lane_rows[ev.kind]
        for i, used in enumerate(rows):  # the first sub-row where the mark does not overlap another
            if all(x0 >= u1 + 2 or x1 <= u0 - 2 for u0, u1 in used):
                used.append((x0, x1))
                break
        else:
            rows.append([(x0, x1)])
            i = len(rows) - 1
        marks.append((ev, x0, x1, i))
    row_height, lane_gap, top = 16, 18, 40
    lane_top, y = {}, top
    for kind, _ in LANES:
        lane_top[kind] = y
        y += max(1, len(lane_rows[kind])) * row_height + lane_gap
    height = y + 10
    out = [f'<svg xmlns="{SVG_NS}" class="picture timeline" role="img" aria-labelledby="tl-title tl-desc" '
           f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">',
           '<title id="tl-title">Timeline of GFMD summits, chairmanships and other meetings</title>',
           f'<desc id="tl-desc">{esc(len(marks))} dated events from {first} to {last - 1}, one lane per kind; '
           'a bar spans the dates the data states, the year alone when it states no finer date.</desc>']
    for year in range(first, last + 1):
        x = left + (year - first) * year_width
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 10}" '
                   'stroke="#ddd" stroke-width="1"/>')
        if year < last:
            out.append(f'<text class="year" x="{x + year_width / 2:.1f}" y="{top - 14}" text-anchor="middle" '
                       f'font-size="11">{year}</text>')
    for kind, name in LANES:
        out.append(f'<text class="lane" x="8" y="{lane_top[kind] + 12}" font-size="12" font-weight="600">'
                   f'{esc(name)}</text>')
    for ev, x0, x1, i in marks:
        y0 = lane_top[ev.kind] + i * row_height
        year = ev.year if ev.year is not None else int((ev.when or (0, 0))[0])
        out.append(f'<a href="{esc(local_href(ev.iri, base))}" class="mark" data-kind="{esc(ev.kind)}" '
                   f'data-year="{year}" data-iri="{esc(ev.iri)}" aria-label="{esc(ev.describe())}">'
                   f'<title>{esc(ev.describe())}</title>'
                   f'<rect x="{x0:.1f}" y="{y0 + 2}" width="{x1 - x0:.1f}" height="{row_height - 4}" rx="3" '
                   f'fill="{_COLOURS[ev.kind]}" fill-opacity="0.8"/></a>')
        if ev.kind in ("summit", "chairmanship") and ev.chairs:
            tag = "/".join(sorted(c.rsplit("/", 1)[-1] for c in ev.chairs))
            out.append(f'<text class="chair" x="{x1 + 3:.1f}" y="{y0 + 12}" font-size="10" fill="#333">'
                       f'{esc(tag)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# ---- matrix ----

@dataclass
class Matrix:
    """Rows (objectives, then targets), columns (kinds) and counts of ``pictures/matrix``."""

    rows: list[dict]
    columns: list[dict]
    counts: dict[tuple[str, str], int]


def _notation_key(notation: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in notation.split("."))


def matrix_from_rows(rows: list[dict]) -> Matrix:
    """The rows of ``pictures/matrix`` as a :class:`Matrix`: objectives by number, then targets by code."""
    heads, columns, counts = {}, {}, {}
    for row in rows:
        heads.setdefault(row["row"], {"iri": row["row"], "type": row["rowType"], "notation": row["notation"],
                                      "label": row.get("rowLabel") or row["notation"]})
        if row.get("kind"):
            columns.setdefault(row["kind"], {"iri": row["kind"],
                                             "label": row.get("kindLabel") or row["kind"].rsplit("#", 1)[-1]})
            counts[(row["row"], row["kind"])] = int(row.get("items") or 0)
    ordered = sorted(heads.values(), key=lambda h: (h["type"] != "objective", _notation_key(h["notation"])))
    return Matrix(ordered, sorted(columns.values(), key=lambda c: c["label"].lower()), counts)


def matrix_svg(matrix: Matrix, cell_href) -> str:
    """A grid: one row per objective or target, one column per kind; each cell its count, shaded by it,
    and a link (``cell_href(row_iri, kind_iri)``) to the resources it counts."""
    left, top, cell_w, cell_h = 190, 120, 64, 22
    width = left + cell_w * max(1, len(matrix.columns)) + 10
    height = top + cell_h * len(matrix.rows) + 10
    peak = max(matrix.counts.values(), default=0) or 1
    out = [f'<svg xmlns="{SVG_NS}" class="picture matrix" role="img" aria-labelledby="mx-title mx-desc" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           '<title id="mx-title">GCM objectives and SDG targets against the practices and recommendations '
           'that address them</title>',
           f'<desc id="mx-desc">{sum(1 for r in matrix.rows if r["type"] == "objective")} GCM objectives and '
           f'{sum(1 for r in matrix.rows if r["type"] == "target")} SDG targets (rows) by '
           f'{len(matrix.columns)} kinds of practice or recommendation (columns); each cell counts the resources '
           'of its kind tied to its objective or target and links to them.</desc>']
    for j, col in enumerate(matrix.columns):
        x = left + j * cell_w + cell_w / 2
        out.append(f'<text class="column" transform="translate({x:.1f},{top - 6}) rotate(-40)" font-size="11">'
                   f'{esc(col["label"])}</text>')
    for i, head in enumerate(matrix.rows):
        y = top + i * cell_h
        name = ("Objective " if head["type"] == "objective" else "Target ") + head["notation"]
        out.append(f'<g class="row" data-type="{esc(head["type"])}" data-notation="{esc(head["notation"])}" '
                   f'data-iri="{esc(head["iri"])}">')
        out.append(f'<text class="row-label" x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
                   f'<title>{esc(head["label"])}</title>{esc(name)}</text>')
        for j, col in enumerate(matrix.columns):
            x = left + j * cell_w
            n = matrix.counts.get((head["iri"], col["iri"]), 0)
            shade = f'fill="#1f5fa8" fill-opacity="{0.15 + 0.85 * n / peak:.2f}"' if n else 'fill="#f4f4f4"'
            text = f"{name} × {col['label']}: {n}"
            rect = (f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" {shade}/>'
                    f'<text x="{x + cell_w / 2:.1f}" y="{y + 15}" text-anchor="middle" font-size="11" '
                    f'fill="{"#fff" if n > peak / 2 else "#222"}">{n}</text>')
            if n:
                out.append(f'<a class="cell" href="{esc(cell_href(head["iri"], col["iri"]))}" data-count="{n}" '
                           f'data-kind="{esc(col["iri"])}" aria-label="{esc(text)}"><title>{esc(text)}</title>'
                           f'{rect}</a>')
            else:
                out.append(f'<g class="cell empty" data-count="0"><title>{esc(text)}</title>{rect}</g>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# ---- coverage ----

@dataclass
class Document:
    """One source document and how often each of its lines is cited."""

    iri: str
    label: str
    file: str
    line_count: int
    citations: list[int] = field(default_factory=list)  # per line, index 0 = line 1
    citers: list[set[str]] = field(default_factory=list)
    resources: set[str] = field(default_factory=set)

    @property
    def cited_lines(self) -> int:
        return sum(1 for n in self.citations if n)


def documents_from_rows(rows: list[dict]) -> list[Document]:
    """The rows of ``pictures/coverage`` as one :class:`Document` per source document, lines counted."""
    docs: dict[str, Document] = {}
    for row in rows:
        iri = row["document"]
        if iri not in docs:
            count = int(row.get("lineCount") or 0)
            docs[iri] = Document(iri, row.get("label") or row["file"], row["file"], count, [0] * count,
                                 [set() for _ in range(count)])
        doc = docs[iri]
        passage = parse_passage(row.get("passage") or "")
        if passage is None or not row.get("resource"):
            continue
        doc.resources.add(row["resource"])
        for line in range(passage.start, min(passage.end, doc.line_count) + 1):
            doc.citations[line - 1] += int(row.get("citations") or 0)
            doc.citers[line - 1].add(row["resource"])
    return sorted(docs.values(), key=lambda d: d.file)


def segments(doc: Document) -> list[tuple[int, int, int, int]]:
    """Runs of lines cited by the same resources: ``(start, end, citations of the busiest line, resources)``."""
    out, start = [], 1
    for line in range(2, doc.line_count + 2):
        if line > doc.line_count or doc.citers[line - 1] != doc.citers[start - 1]:
            chunk = doc.citations[start - 1:line - 1]
            out.append((start, line - 1, max(chunk), len(doc.citers[start - 1])))
            start = line
    return out


def coverage_svg(docs: list[Document], lines_href) -> str:
    """One strip per document, its lines left to right, shaded by how many citations each has; each cited
    run links (``lines_href(document_iri, start, end)``) to the resources citing it."""
    left, strip_w, strip_h, gap, top = 230, 760, 26, 22, 20
    width, height = left + strip_w + 20, top + len(docs) * (strip_h + gap) + 10
    peak = max((max(d.citations, default=0) for d in docs), default=0) or 1
    out = [f'<svg xmlns="{SVG_NS}" class="picture coverage" role="img" aria-labelledby="cv-title cv-desc" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           '<title id="cv-title">Lines of the source documents cited by the graph</title>',
           f'<desc id="cv-desc">{len(docs)} source documents, one strip each, lines from left to right; the darker '
           'a stretch, the more citations (resources and statement annotations) point at it; uncited lines are '
           'light grey.</desc>']
    for i, doc in enumerate(docs):
        y = top + i * (strip_h + gap)
        scale = strip_w / max(1, doc.line_count)
        summary = (f"{doc.label}: {doc.cited_lines} of {doc.line_count} lines cited by "
                   f"{len(doc.resources)} resources")
        out.append(f'<g class="document" data-file="{esc(doc.file)}" data-iri="{esc(doc.iri)}" '
                   f'data-lines="{doc.line_count}" data-resources="{len(doc.resources)}" '
                   f'aria-label="{esc(summary)}">')
        out.append(f'<text x="{left - 8}" y="{y + 11}" text-anchor="end" font-size="11">'
                   f'<title>{esc(summary)}</title>{esc(doc.file)}</text>')
        out.append(f'<text x="{left - 8}" y="{y + 24}" text-anchor="end" font-size="10" fill="#555">'
                   f'{len(doc.resources)} resources, {doc.line_count} lines</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{strip_w}" height="{strip_h}" fill="#eee"/>')
        for start, end, most, resources in segments(doc):
            if not most:
                continue
            x = left + (start - 1) * scale
            w = max((end - start + 1) * scale, 1)
            text = f"{doc.file} lines {start}–{end}: up to {most} citations by {resources} resources"
            out.append(f'<a class="segment" href="{esc(lines_href(doc.iri, start, end))}" data-start="{start}" '
                       f'data-end="{end}" data-citations="{most}" aria-label="{esc(text)}"><title>{esc(text)}</title>'
                       f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{strip_h}" fill="#7a1f5c" '
                       f'fill-opacity="{0.2 + 0.8 * most / peak:.2f}"/></a>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
