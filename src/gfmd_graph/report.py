"""The report of ``gfmd check``: a typed result list and its renderings.

:class:`ValidationReport` wraps the :class:`~gfmd_graph.checks.CheckResult` list
with counts and the pass/fail rule; :func:`render` turns it into a table grouped
by file (errors first), JSON, TSV or GitHub Actions workflow annotations.
:class:`StageClock` times the stages of a run and shows a spinner for slow ones.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterator

from .checks import CheckResult, run_checks
from .namespaces import PREFIXES


class Severity(str, Enum):
    """Level of a finding; compares equal to the plain strings of ``CheckResult.level``."""

    ERROR = "ERROR"
    WARN = "WARN"
    INFO = "INFO"


_ORDER = {Severity.ERROR: 0, Severity.WARN: 1, Severity.INFO: 2}
FORMATS = ("table", "json", "tsv", "github")


@dataclass
class ValidationReport:
    """Every finding of one run of the gate, with the time each stage took.

    >>> r = ValidationReport([CheckResult("WARN", "shacl:X", "data/a.ttl", 3, None, None, None, "m")])
    >>> r.counts, r.failed(), r.failed(strict=True), r.exit_code(strict=True)
    ({'ERROR': 0, 'WARN': 1, 'INFO': 0}, False, True, 1)
    """

    results: list[CheckResult]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for r in self.results:
            out[r.level] = out.get(r.level, 0) + 1
        return out

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.level == Severity.ERROR]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if r.level == Severity.WARN]

    def failed(self, strict: bool = False) -> bool:
        """True if any ERROR (or, when ``strict``, any WARN) was found."""
        return bool(self.errors or (strict and self.warnings))

    @property
    def conforms(self) -> bool:
        return not self.failed()

    def exit_code(self, strict: bool = False) -> int:
        """0 when the check passed, 1 when it failed."""
        return 1 if self.failed(strict) else 0

    def by_file(self, *, levels: tuple[str, ...] = ("ERROR", "WARN", "INFO")) -> list[tuple[str | None, list[CheckResult]]]:
        """Results of the given levels grouped by file: files with errors first, then by name."""
        groups: dict[str | None, list[CheckResult]] = {}
        for r in self.results:
            if r.level in levels:
                groups.setdefault(r.file, []).append(r)
        for rows in groups.values():
            rows.sort(key=lambda r: (_ORDER[Severity(r.level)], r.line or 0, r.rule, r.subject or ""))
        return sorted(groups.items(), key=lambda kv: (min(_ORDER[Severity(r.level)] for r in kv[1]),
                                                      kv[0] is None, kv[0] or ""))

    def summary(self, strict: bool = False) -> str:
        """One line: the counts and the verdict.

        >>> ValidationReport([]).summary()
        '0 error(s), 0 warning(s): check passed'
        """
        c = self.counts
        verdict = "check failed" if self.failed(strict) else "check passed"
        return f"{c['ERROR']} error(s), {c['WARN']} warning(s): {verdict}"

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "counts": self.counts,
                "timings": dict(self.timings), "results": [r.as_dict() for r in self.results]}


def check_project(root: Path | None = None, *, reason: bool = True, shacl: bool = True,
                  clock: StageClock | None = None) -> ValidationReport:
    """Run the gate over the project at ``root`` and return its report."""
    clock = clock or StageClock()
    results = run_checks(root, reason=reason, shacl=shacl, stage=clock.stage)
    return ValidationReport(results, timings=dict(clock.timings))


# -- rendering ------------------------------------------------------------------

def compact(iri: str | None) -> str:
    """Shorten an IRI with the project's prefixes.

    >>> compact("https://w3id.org/gfmd/id/summit/2007"), compact("http://example.org/x")
    ('summit:2007', '<http://example.org/x>')
    """
    if not iri:
        return ""
    best = max((p for p, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda p: len(PREFIXES[p]), default=None)
    if best is None:
        return f"<{iri}>" if iri.startswith(("http://", "https://", "urn:")) else iri
    return f"{best}:{iri[len(PREFIXES[best]):]}"


def _what(r: CheckResult) -> str:
    parts = [compact(r.subject), compact(r.property), repr(r.value) if r.value else ""]
    head = " ".join(p for p in parts if p)
    return f"{head}: {r.message}" if head else r.message


def format_table(report: ValidationReport, *, verbose: bool = False) -> str:
    """Findings grouped by file, files with errors first; INFO only when ``verbose``.

    >>> rep = ValidationReport([CheckResult("ERROR", "syntax", "data/x.ttl", 4, None, None, None, "bad", 1)])
    >>> print(format_table(rep))
    data/x.ttl
      4:1  ERROR  syntax  bad
    """
    levels = ("ERROR", "WARN", "INFO") if verbose else ("ERROR", "WARN")
    groups = report.by_file(levels=levels)
    rows = [(file, _location(r), r.level, r.rule, _what(r)) for file, results in groups for r in results]
    widths = [max((len(row[i]) for row in rows), default=0) for i in (1, 2, 3)]
    lines, current = [], object()
    for file, loc, level, rule, what in rows:
        if file != current:
            lines.append(file or "(project)")
            current = file
        lines.append(f"  {loc:>{widths[0]}}  {level:<{widths[1]}}  {rule:<{widths[2]}}  {what}")
    return "\n".join(lines)


def _location(r: CheckResult) -> str:
    if r.line and r.column:
        return f"{r.line}:{r.column}"
    return str(r.line) if r.line else "-"


def format_timings(report: ValidationReport) -> str:
    """One line per stage: ``stage parse: 0.42 s``."""
    return "\n".join(f"stage {name}: {seconds:.2f} s" for name, seconds in report.timings.items())


def format_json(report: ValidationReport) -> str:
    """The results as a JSON array of objects (level, rule, file, line, subject, property, value, message, column)."""
    return json.dumps([r.as_dict() for r in report.results], indent=2, ensure_ascii=False)


TSV_COLUMNS = ("level", "rule", "file", "line", "column", "subject", "property", "value", "message")


def format_tsv(report: ValidationReport) -> str:
    r"""A header row, then one row per result; tabs and newlines inside values become spaces.

    >>> text = format_tsv(ValidationReport([CheckResult("WARN", "r", None, None, None, None, "a\tb", "m")]))
    >>> [line.split("\t") for line in text.splitlines()][1]
    ['WARN', 'r', '', '', '', '', '', 'a b', 'm']
    """
    def cell(x) -> str:
        return "" if x is None else " ".join(str(x).replace("\t", " ").splitlines())

    lines = ["\t".join(c.capitalize() for c in TSV_COLUMNS)]
    for r in report.results:
        row = r.as_dict()
        lines.append("\t".join(cell(row[c]) for c in TSV_COLUMNS))
    return "\n".join(lines)


def escape_data(text: str) -> str:
    """Escape a workflow-command message (``%``, CR, LF).

    >>> escape_data("50% done\\nnext")
    '50%25 done%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (also ``:`` and ``,``).

    >>> escape_property("shacl:Summit-year, again")
    'shacl%3ASummit-year%2C again'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMAND = {"ERROR": "error", "WARN": "warning", "INFO": "notice"}


def github_annotation(r: CheckResult) -> str:
    """One GitHub Actions workflow command for a result.

    >>> print(github_annotation(CheckResult("ERROR", "shacl:Summit-year", "data/x.ttl", 12, None, None, None, "100%")))
    ::error file=data/x.ttl,line=12,title=shacl%3ASummit-year::100%25
    """
    props = []
    if r.file:
        props.append(f"file={escape_property(r.file)}")
        if r.line:
            props.append(f"line={r.line}")
            if r.column:
                props.append(f"col={r.column}")
    props.append(f"title={escape_property(r.rule)}")
    return f"::{_GITHUB_COMMAND[r.level]} {','.join(props)}::{escape_data(_what(r))}"


def format_github(report: ValidationReport, *, verbose: bool = False) -> str:
    """Workflow annotations for errors and warnings (notices for INFO when ``verbose``), files as in the report."""
    levels = ("ERROR", "WARN", "INFO") if verbose else ("ERROR", "WARN")
    return "\n".join(github_annotation(r) for _, rs in report.by_file(levels=levels) for r in rs)


def render(report: ValidationReport, output: str, *, verbose: bool = False) -> str:
    """Render ``report`` in one of :data:`FORMATS`."""
    if output == "table":
        return format_table(report, verbose=verbose)
    if output == "json":
        return format_json(report)
    if output == "tsv":
        return format_tsv(report)
    if output == "github":
        return format_github(report, verbose=verbose)
    raise ValueError(f"unknown report format {output!r}; use one of {', '.join(FORMATS)}")


# -- timing and progress -----------------------------------------------------------

class StageClock:
    """Times named stages; with ``progress`` on, shows a spinner on stderr for a stage still running after ``delay`` s.

    The spinner is only drawn when stderr is a terminal, so logs and pipes stay clean.

    >>> clock = StageClock()
    >>> with clock.stage("parse"):
    ...     pass
    >>> list(clock.timings)
    ['parse']
    """

    def __init__(self, *, progress: bool = False, delay: float = 1.0) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress and sys.stderr.isatty()
        self.delay = delay

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        spinner = _DelayedSpinner(f"gfmd check: {name}…", self.delay) if self.progress else None
        try:
            yield
        finally:
            if spinner is not None:
                spinner.stop()
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


class _DelayedSpinner:
    """A rich status on stderr that appears only once ``delay`` seconds have passed."""

    def __init__(self, text: str, delay: float) -> None:
        from rich.console import Console

        self._status = Console(stderr=True).status(text)
        self._lock = threading.Lock()
        self._stopped = False
        self._timer = threading.Timer(delay, self._start)
        self._timer.daemon = True
        self._timer.start()

    def _start(self) -> None:
        with self._lock:
            if not self._stopped:
                self._status.start()

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            self._status.stop()
