"""The gate behind ``gfmd check``: syntax, SHACL, OWL reasoning and quality rules."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from .errors import GfmdSyntaxError
from .load import LoadedGraph, graph_name, turtle_files
from .paths import project_root, queries_dir

_PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z0-9_\-]*):\s*<([^>]*)>\s*\.")


@dataclass(frozen=True)
class CheckResult:
    """One finding of the gate, in the columns of the report."""

    level: str  # ERROR, WARN or INFO
    rule: str
    file: str | None
    line: int | None
    subject: str | None
    property: str | None
    value: str | None
    message: str
    column: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def line_text(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "-")
        parts = [f"[{self.level}]", f"[{where}]", self.rule]
        if self.subject:
            parts.append(self.subject)
        if self.property:
            parts.append(self.property)
        if self.value:
            parts.append(repr(self.value))
        return " ".join(parts) + f": {self.message}"



def subject_lines(path: Path) -> dict[str, int]:
    """Map every subject IRI of a canonical Turtle file to the line its block starts on."""
    prefixes: dict[str, str] = {}
    out: dict[str, int] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _PREFIX_LINE.match(text)
        if m:
            prefixes[m.group(1)] = m.group(2)
            continue
        if not text or text[0].isspace() or text.startswith(("#", "[", "@")):
            continue
        token = text.split(" ", 1)[0]
        if token.startswith("<") and token.endswith(">"):
            out.setdefault(token[1:-1], number)
        elif ":" in token:
            prefix, local = token.split(":", 1)
            if prefix in prefixes:
                out.setdefault(prefixes[prefix] + local, number)
    return out


class _Locator:
    def __init__(self, root: Path, files: list[Path]) -> None:
        self.root = root
        self.index: dict[str, tuple[str, int]] = {}
        for path in files:
            rel = path.resolve().relative_to(root).as_posix()
            for iri, line in subject_lines(path).items():
                self.index.setdefault(iri, (rel, line))

    def find(self, iri: str | None) -> tuple[str | None, int | None]:
        return self.index.get(iri or "", (None, None))


Stage = Callable[[str], AbstractContextManager]


def run_checks(root: Path | None = None, *, reason: bool = True, shacl: bool = True,
               stage: Stage | None = None) -> list[CheckResult]:
    """Run every check over the project at ``root``; ERRORs first, grouped by file.

    ``stage(name)`` wraps each stage (parse, shacl, quality rules, reasoning), e.g. to time it.
    """
    root = (root or project_root()).resolve()
    stage = stage or (lambda name: nullcontext())
    results: list[CheckResult] = []
    files = turtle_files(root)
    loaded = LoadedGraph(root=root)
    from .turtle_format import parse_turtle

    with stage("parse"):
        for path in files:
            try:
                graph = parse_turtle(path.read_text(encoding="utf-8"), source=path.resolve().relative_to(root))
            except GfmdSyntaxError as exc:
                results.append(CheckResult("ERROR", "syntax", exc.file, exc.line, None, None, None, exc.message,
                                           exc.column))
                continue
            name = graph_name(path.resolve(), root)
            loaded.files[name] = path.resolve()
            loaded.graphs[name] = graph
    if any(r.rule == "syntax" for r in results):
        return results
    locator = _Locator(root, files)
    data = loaded.merged(kinds=("data",))
    ontology = loaded.merged(kinds=("ontology",))
    if shacl:
        from .validate import shacl_validate

        with stage("shacl"):
            shacl_results = shacl_validate(data, loaded.merged(kinds=("shapes",)), ontology)
        from rdflib import BNode
        from rdflib.namespace import OWL

        for r in shacl_results:
            file, line = locator.find(r.focus)
            if file is None and (BNode(r.focus), None, None) in data:  # a statement reference: where its subject is
                file, line = locator.find(str(data.value(BNode(r.focus), OWL.annotatedSource)))
            level = {"Violation": "ERROR", "Warning": "WARN"}.get(r.severity, "INFO")
            rule = "shacl:" + r.source_shape.rsplit("#", 1)[-1]
            results.append(CheckResult(level, rule, file, line, r.focus, r.path, r.value, r.message))
    with stage("quality rules"):
        results.extend(_quality_rules(loaded, locator, root))
    with stage("statement references"):
        results.extend(_statement_checks(loaded, locator, root))
    if reason:
        from .reasoning import ReasonerUnavailable, reason as run_reasoner

        try:
            with stage("reasoning"):
                outcome = run_reasoner(ontology, data)
        except ReasonerUnavailable as exc:
            results.append(CheckResult("WARN", "owl:reasoner", None, None, None, None, None, str(exc)))
        else:
            if not outcome.consistent:
                results.append(CheckResult("ERROR", "owl:inconsistent", None, None, None, None, None,
                                           "The ontology with the data is inconsistent under HermiT: some resource's "
                                           "types or links contradict a disjointness, domain or range axiom. "
                                           + outcome.explanation))
            for iri in outcome.unsatisfiable:
                if iri.endswith("#Nothing"):
                    continue
                file, line = locator.find(iri)
                results.append(CheckResult("ERROR", "owl:unsatisfiable", file, line, iri, None, None,
                                           "This class can have no instances under the ontology's axioms."))
    order = {"ERROR": 0, "WARN": 1, "INFO": 2}
    return sorted(results, key=lambda r: (order[r.level], r.file or "", r.line or 0, r.rule))


def _quality_rules(loaded: LoadedGraph, locator: _Locator, root: Path) -> list[CheckResult]:
    from .query import GraphStore, NamedQuery

    store = GraphStore(loaded)
    out = []
    qc_dir = queries_dir(root) / "qc"
    for path in sorted(qc_dir.glob("*-violation.rq")):
        q = NamedQuery.from_file(path, qc_dir)
        problem = re.search(r"^#\s*Problem:\s*(.*)$", q.text, re.M)
        solution = re.search(r"^#\s*Solution:\s*(.*)$", q.text, re.M)
        message = " ".join(x.group(1) for x in (problem, solution) if x)
        for row in store.select(q.text):
            subject = row.get("subject")
            file, line = locator.find(subject)
            out.append(CheckResult("ERROR", f"qc:{path.stem.removesuffix('-violation')}", file, line, subject,
                                   row.get("property"), str(row["value"]) if "value" in row else None, message))
    return out


def _statement_line(path: Path, subject: str, predicate: str, locator: _Locator) -> int | None:
    """Line of ``predicate`` inside the block of ``subject`` in a canonical file (else the block's line)."""
    _file, start = locator.find(subject)
    if start is None:
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    prefixes = {}
    for text in lines:
        m = _PREFIX_LINE.match(text)
        if m:
            prefixes[m.group(2)] = m.group(1)
    names = {f"<{predicate}>"}
    for ns, prefix in prefixes.items():
        if predicate.startswith(ns):
            names.add(f"{prefix}:{predicate[len(ns):]}")
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if number > start and not text.strip():
            break
        words = text.split()
        if (number == start and len(words) > 1 and words[1] in names) or (number > start and words and words[0] in names):
            return number
    return start


def _statement_checks(loaded: LoadedGraph, locator: _Locator, root: Path) -> list[CheckResult]:
    """Statement references (every fact-bearing statement has one) and EDTF date values."""
    from rdflib import Literal
    from rdflib.namespace import OWL, RDF

    from . import edtf
    from .namespaces import GFMD
    from .statement_references import dangling_axioms, missing_references

    out = []
    data = loaded.merged(kinds=("data",))
    for st in missing_references(loaded):
        rel = st.file.relative_to(root).as_posix()
        out.append(CheckResult(
            "ERROR", "ref:missing", rel, _statement_line(st.file, str(st.subject), str(st.predicate), locator),
            str(st.subject), str(st.predicate), str(st.object)[:120],
            "This fact-bearing statement names no source passage. Add an owl:Axiom annotation with the "
            "gfmd:sourcePassage that states it (`gfmd cite` adds those it can tell)."))
    for name, graph in sorted(loaded.graphs.items()):
        if loaded.kind(name) != "data":
            continue
        path = loaded.files[name]
        rel = path.relative_to(root).as_posix()
        for axiom, s, p, o in dangling_axioms(graph):
            out.append(CheckResult(
                "ERROR", "ref:dangling", rel, locator.find(str(s))[1] if s is not None else None,
                str(s) if s is not None else None, str(p) if p is not None else None,
                None if o is None else str(o)[:120],
                "This statement reference (owl:Axiom) annotates a statement the file does not make: give it one "
                "owl:annotatedSource, owl:annotatedProperty and owl:annotatedTarget, written exactly as the statement "
                "(same datatype or language tag), or remove it."))
        for axiom in graph.subjects(RDF.type, OWL.Axiom):
            s = graph.value(axiom, OWL.annotatedSource)
            cited = {str(x) for x in data.objects(s, GFMD.sourcePassage)}
            for passage in graph.objects(axiom, GFMD.sourcePassage):
                if cited and str(passage) not in cited:
                    out.append(CheckResult(
                        "ERROR", "ref:passage-not-cited", rel, locator.find(str(s))[1], str(s),
                        str(graph.value(axiom, OWL.annotatedProperty)), str(passage),
                        "A statement reference gives a passage its resource does not list: add it to the "
                        "resource's gfmd:sourcePassage or correct the reference."))
        for s, p, o in graph:
            if isinstance(o, Literal) and o.datatype == GFMD.EDTF:
                trouble = edtf.problem(str(o))
                if trouble:
                    out.append(CheckResult("ERROR", "edtf:invalid", rel, _statement_line(path, str(s), str(p), locator),
                                           str(s), str(p), str(o), f"Not a valid EDTF date: {trouble}."))
    return out

