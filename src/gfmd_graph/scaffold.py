"""Skeletons of new resources for ``gfmd new``: a shape-valid block written into the right data file.

Each builder (:func:`practice`, :func:`recommendation`, :func:`summit`, :func:`actor`)
checks its input against the project (unused key, known document, line range within
the document, referenced resources defined) and returns a :class:`Skeleton`;
:func:`write` adds it to its file and rewrites the file canonically.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from .checks import subject_lines
from .errors import GfmdError
from .load import LoadedGraph, load_project
from .namespaces import GFMD, ID, PREFIXES
from .paths import DERIVED_FILES, data_dir, project_root
from .report import compact
from .turtle_format import format_graph, parse_turtle

RECOMMENDATION_TYPES = {
    "policy-option": GFMD.PolicyOption,
    "practical-action": GFMD.PracticalActionOption,
    "key": GFMD.KeyRecommendation,
    "general": GFMD.GeneralRecommendation,
    "specific": GFMD.SpecificRecommendation,
    "sutherland": GFMD.SutherlandRecommendation,
}

ACTOR_TYPES = {
    "person": GFMD.Person,
    "academic": GFMD.AcademicOrganization,
    "civil-society": GFMD.CivilSocietyOrganization,
    "gfmd-body": GFMD.GFMDBody,
    "government-agency": GFMD.GovernmentAgency,
    "international-organization": GFMD.InternationalOrganization,
    "local-government": GFMD.LocalGovernment,
    "network": GFMD.Network,
    "private-sector": GFMD.PrivateSectorOrganization,
    "regional-consultative-process": GFMD.RegionalConsultativeProcess,
    "un-body": GFMD.UNBody,
}

_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?$")
_LINES = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


class ScaffoldError(GfmdError):
    """Input that cannot make a valid resource (unknown document, used key, bad line range ...)."""


@dataclass
class Skeleton:
    """A new resource: its IRI, its triples and the data file it belongs in."""

    iri: URIRef
    graph: Graph
    file: Path
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Written:
    """Where :func:`write` put a skeleton: file, first line and the block as written."""

    iri: URIRef
    file: Path
    line: int
    block: str


def parse_lines(text: str) -> tuple[int, int]:
    """Parse a 1-based line range ``12-15`` (or a single line ``12``).

    >>> parse_lines("12-15"), parse_lines("405")
    ((12, 15), (405, 405))
    """
    m = _LINES.match(text or "")
    if not m:
        raise ScaffoldError(f"line range {text!r} is not START-END, e.g. 12-15")
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    if start < 1 or end < start:
        raise ScaffoldError(f"line range {text!r} must have 1 <= start <= end")
    return start, end


def short_label(text: str, limit: int = 80) -> str:
    """A label from a long text: its first words up to ``limit`` characters, then an ellipsis.

    >>> short_label("Protect women and men migrants through the adoption of recruitment regulations", 50)
    'Protect women and men migrants through the…'
    >>> short_label("Short enough.")
    'Short enough.'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


class Project:
    """The curated data of a project folder, as the builders need it."""

    def __init__(self, root: Path | None = None, loaded: LoadedGraph | None = None) -> None:
        self.root = (root or project_root()).resolve()
        self._loaded = loaded

    @cached_property
    def loaded(self) -> LoadedGraph:  # loaded on first use, so input errors are reported at once
        return self._loaded or load_project(self.root, kinds=("ontology", "data"))

    @cached_property
    def graph(self) -> Graph:
        return self.loaded.merged(kinds=("ontology", "data"))

    def is_defined(self, iri: URIRef) -> bool:
        return (iri, RDF.type, None) in self.graph

    def file_of(self, iri: URIRef) -> Path | None:
        files = [f for f in self.loaded.files_defining(iri) if f.parent == data_dir(self.root).resolve()]
        return files[0] if files else None

    def document(self, name: str) -> tuple[URIRef, str, int]:
        """Resolve ``doc:key``, ``key``, a source file name or its number (``001``) to (IRI, file name, line count)."""
        name = name.strip()
        for doc in sorted(self.graph.subjects(RDF.type, GFMD.SourceDocument)):
            file_name = str(self.graph.value(doc, GFMD.fileName) or "")
            key = str(doc).rsplit("/", 1)[-1]
            if name in (str(doc), key, f"doc:{key}", file_name) or (name.isdigit() and file_name.startswith(name + "_")):
                return doc, file_name, int(self.graph.value(doc, GFMD.lineCount) or 0)
        known = ", ".join(str(d).rsplit("/", 1)[-1] for d in sorted(self.graph.subjects(RDF.type, GFMD.SourceDocument)))
        raise ScaffoldError(f"no source document {name!r}; known: {known}")

    def reference(self, text: str, kind: str) -> URIRef:
        """Resolve ``prefix:local``, a full IRI or a bare key of ``kind`` (an id/<kind>/ folder) to a defined IRI."""
        iri = to_iri(text, kind)
        if not self.is_defined(iri):
            raise ScaffoldError(f"{text} ({iri}) is not defined in the graph; define it first or fix the key")
        return iri


def to_iri(text: str, kind: str) -> URIRef:
    """Expand ``prefix:local``, a full IRI or a bare key in the ``id/<kind>/`` namespace.

    >>> str(to_iri("2-2", "focus-area")), str(to_iri("state:PHL", "organization"))
    ('https://w3id.org/gfmd/id/focus-area/2-2', 'https://w3id.org/gfmd/id/state/PHL')
    """
    text = text.strip()
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    prefix, _, local = text.partition(":")
    if local and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(f"{ID}{kind}/{text}")


def _key(text: str, kind: str) -> str:
    key = text.strip()
    prefix, _, local = key.partition(":")
    if local and prefix in PREFIXES:
        if PREFIXES[prefix] != f"{ID}{kind}/":
            raise ScaffoldError(f"key {text!r}: a {kind} key has no {prefix}: prefix")
        key = local
    if not _KEY.match(key):
        raise ScaffoldError(f"key {text!r}: use lower-case ASCII letters, digits, '-' and '.', e.g. {kind}-2017-1")
    return key


def _base(project: Project, kind: str, key: str, types: list[URIRef], label: str,
          document: str, lines: str) -> tuple[URIRef, Graph]:
    iri = URIRef(f"{ID}{kind}/{_key(key, kind)}")
    if not label or not label.strip():
        raise ScaffoldError("a label is required")
    start, end = parse_lines(lines)
    if project.is_defined(iri) or project.file_of(iri):
        where = project.file_of(iri)
        where = where.relative_to(project.root).as_posix() if where else "the graph"
        raise ScaffoldError(f"{compact(iri)} already exists (in {where}); choose another key")
    doc, file_name, line_count = project.document(document)
    if line_count and end > line_count:
        raise ScaffoldError(f"lines {start}-{end} exceed {file_name}, which has {line_count} lines")
    g = Graph()
    for t in types:
        g.add((iri, RDF.type, t))
    g.add((iri, RDFS.label, Literal(" ".join(label.split()), lang="en")))
    g.add((iri, PROV.wasDerivedFrom, doc))
    g.add((iri, GFMD.sourcePassage, Literal(f"{file_name}#L{start}-L{end}")))
    return iri, g


def _target_file(project: Project, file: str | Path | None, *, near: URIRef | None = None,
                 rdf_type: URIRef | None = None, document: URIRef | None = None,
                 default: str | None = None) -> Path:
    """The data file a new resource goes to.

    An explicit ``file`` wins; otherwise the file defining ``near`` (its focus area or
    section), else the file holding most resources of ``rdf_type`` from ``document``,
    else ``default``.
    """
    folder = data_dir(project.root).resolve()
    if file:
        path = Path(file)
        if not path.is_absolute():  # data/x.ttl or x.ttl, whatever the working folder
            path = folder / path.name if path.parent in (Path("."), Path("data")) else project.root / path
        path = path.resolve()
        if path.parent != folder or path.suffix != ".ttl":
            raise ScaffoldError(f"{file}: new resources go into a .ttl file directly under data/")
        if path.name in DERIVED_FILES:
            raise ScaffoldError(f"{path.name} is derived by tools/derive_reference.py; choose a curated file")
        return path
    if near is not None and (found := project.file_of(near)) and found.name not in DERIVED_FILES:
        return found
    if rdf_type is not None and document is not None:
        counts = Counter()
        for name, graph in project.loaded.graphs.items():
            path = project.loaded.files[name]
            if path.parent == folder and path.name not in DERIVED_FILES:
                counts[path] = sum(1 for s in graph.subjects(RDF.type, rdf_type)
                                   if (s, PROV.wasDerivedFrom, document) in project.graph)
        counts = +counts  # drop files without any
        if counts:
            return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].name))[0][0]
    if default:
        return folder / default
    raise ScaffoldError("cannot tell which data file this belongs in; pass --file data/<name>.ttl")


def practice(project: Project, *, key: str | None, label: str, document: str, lines: str,
             description: str | None = None, pfp_id: str | None = None, focus_area: str | None = None,
             implemented_by: list[str] = (), file: str | Path | None = None) -> Skeleton:
    """A ``gfmd:Practice`` (and a Platform for Partnerships entry when ``pfp_id`` is given)."""
    types = [GFMD.Practice]
    if pfp_id:
        if not re.fullmatch(r"[1-9][0-9]{0,4}", pfp_id):
            raise ScaffoldError(f"PfP id {pfp_id!r} must be the digits of gfmd.org/pfp/ppd/NNNN")
        types.append(GFMD.PlatformForPartnershipsEntry)
    key = key or (f"pfp-{pfp_id}" if pfp_id else None)
    if not key:
        raise ScaffoldError("a key is required (or a PfP id, which gives pfp-<id>)")
    iri, g = _base(project, "practice", key, types, label, document, lines)
    if pfp_id:
        g.add((iri, GFMD.pfpId, Literal(pfp_id)))
        g.add((iri, RDFS.seeAlso, URIRef(f"http://gfmd.org/pfp/ppd/{pfp_id}")))
    if description:
        g.add((iri, DCTERMS.description, Literal(" ".join(description.split()), lang="en")))
    area = project.reference(focus_area, "focus-area") if focus_area else None
    if area is not None:
        g.add((iri, GFMD.citedUnderFocusArea, area))
    skeleton = Skeleton(iri, g, Path())
    for actor in implemented_by:
        g.add((iri, GFMD.implementedBy, _actor_ref(project, actor, skeleton)))
    doc = g.value(iri, PROV.wasDerivedFrom)
    skeleton.file = _target_file(project, file, near=area, rdf_type=GFMD.Practice, document=doc)
    return skeleton


def recommendation(project: Project, *, type: str, key: str, document: str, lines: str,
                   text: str | None = None, label: str | None = None, order: int | None = None,
                   focus_area: str | None = None, section: str | None = None, number: str | None = None,
                   cited_years: list[int] = (), cited_in: list[str] = (), file: str | Path | None = None) -> Skeleton:
    """A recommendation of one of :data:`RECOMMENDATION_TYPES`, placed in its list."""
    if type not in RECOMMENDATION_TYPES:
        raise ScaffoldError(f"recommendation type {type!r}; use one of {', '.join(RECOMMENDATION_TYPES)}")
    cls = RECOMMENDATION_TYPES[type]
    sutherland = type == "sutherland"
    if sutherland:
        if not number or not number.isdigit():
            raise ScaffoldError("a Sutherland Report recommendation needs --number (digits)")
        if not cited_in:
            raise ScaffoldError("a Sutherland Report recommendation needs --cited-in (cluster, focus area or section)")
        label = label or f"Sutherland Report Recommendation {number}"
    else:
        if not text:
            raise ScaffoldError("a recommendation needs its --text, as written")
        if bool(focus_area) == bool(section):
            raise ScaffoldError("give exactly one of --focus-area and --section: the list it belongs to")
        if type == "key" and not (number and cited_years):
            raise ScaffoldError("a key recommendation needs --number and at least one --cited-year")
    iri, g = _base(project, "recommendation", key, [cls], label or short_label(text or ""), document, lines)
    if text:
        g.add((iri, GFMD.text, Literal(" ".join(text.split()), lang="en")))
    if number:
        g.add((iri, GFMD.recommendationNumber, Literal(number)))
    for year in cited_years:
        g.add((iri, GFMD.citedYear, Literal(int(year), datatype=XSD.integer)))
    place = None
    if sutherland:
        g.add((iri, DCTERMS.isPartOf, to_iri("instrument:sutherland-report", "instrument")))
        for ref in cited_in:
            kind = "cluster" if ref.strip().isdigit() else "focus-area" if re.fullmatch(r"\d-\d", ref.strip()) else "section"
            g.add((iri, GFMD.citedIn, project.reference(ref, kind)))
    else:
        place = project.reference(focus_area, "focus-area") if focus_area else project.reference(section, "section")
        g.add((iri, GFMD.focusArea if focus_area else GFMD.section, place))
    if order is None and place is not None:
        order = _next_position(project, cls, place)
    if order is not None:
        if int(order) < 1:
            raise ScaffoldError("--order is a 1-based position")
        g.add((iri, GFMD.orderIndex, Literal(int(order), datatype=XSD.integer)))
    doc = g.value(iri, PROV.wasDerivedFrom)
    target = _target_file(project, file, near=place, rdf_type=cls, document=doc)
    return Skeleton(iri, g, target)


def _next_position(project: Project, cls: URIRef, place: URIRef) -> int:
    used = [int(o) for s in project.graph.subjects(RDF.type, cls)
            if (s, GFMD.focusArea, place) in project.graph or (s, GFMD.section, place) in project.graph
            for o in project.graph.objects(s, GFMD.orderIndex)]
    return max(used, default=0) + 1


def summit(project: Project, *, year: int, document: str, lines: str, label: str | None = None,
           chairs: list[str] = (), place: str | None = None, ordinal: int | None = None,
           file: str | Path | None = None) -> Skeleton:
    """A ``gfmd:Summit`` keyed by the year it was held."""
    if not 2006 <= int(year) <= 2100:
        raise ScaffoldError(f"year {year} is outside 2006-2100")
    iri, g = _base(project, "summit", str(int(year)), [GFMD.Summit], label or f"GFMD Summit {int(year)}",
                   document, lines)
    g.add((iri, GFMD.year, Literal(int(year), datatype=XSD.integer)))
    skeleton = Skeleton(iri, g, Path())
    for chair in chairs:
        g.add((iri, GFMD.chair, _state_ref(project, chair, skeleton)))
    if place:
        g.add((iri, GFMD.place, project.reference(place, "place")))
    if ordinal is not None:
        g.add((iri, GFMD.ordinal, Literal(int(ordinal), datatype=XSD.integer)))
    if not chairs:
        skeleton.notes.append("no --chair given: the gate warns until a source names the chair")
    skeleton.file = _target_file(project, file, default="summits.ttl")
    return skeleton


def actor(project: Project, *, type: str, key: str, label: str, document: str, lines: str,
          acronym: str | None = None, affiliation: str | None = None,
          file: str | Path | None = None) -> Skeleton:
    """A person or an organization of one of :data:`ACTOR_TYPES`."""
    if type not in ACTOR_TYPES:
        raise ScaffoldError(f"actor type {type!r}; use one of {', '.join(ACTOR_TYPES)}")
    person = type == "person"
    iri, g = _base(project, "person" if person else "organization", key, [ACTOR_TYPES[type]], label,
                   document, lines)
    skeleton = Skeleton(iri, g, Path())
    if person:
        g.add((iri, FOAF.name, Literal(" ".join(label.split()), lang="en")))
        if affiliation:
            g.add((iri, GFMD.affiliation, _actor_ref(project, affiliation, skeleton)))
    elif affiliation:
        raise ScaffoldError("--affiliation applies to persons only")
    if acronym:
        g.add((iri, GFMD.acronym, Literal(acronym.strip())))
    skeleton.file = _target_file(project, file, default="persons.ttl" if person else "organizations.ttl")
    return skeleton


def _state_ref(project: Project, text: str, skeleton: Skeleton) -> URIRef:
    iri = to_iri(text.upper() if re.fullmatch(r"[A-Za-z]{3}", text.strip()) else text, "state")
    if not project.is_defined(iri):
        skeleton.notes.append(f"{iri} is not in data/states.ttl yet: run python tools/derive_reference.py")
    return iri


def _actor_ref(project: Project, text: str, skeleton: Skeleton) -> URIRef:
    if re.fullmatch(r"[A-Z]{3}", text.strip()) or text.strip().startswith("state:"):
        return _state_ref(project, text, skeleton)
    return project.reference(text, "organization")


def write(skeleton: Skeleton) -> Written:
    """Add the skeleton to its file, rewrite the file canonically and return the block as written."""
    path = skeleton.file
    graph = parse_turtle(path.read_text(encoding="utf-8"), source=path) if path.exists() else Graph()
    own = {p: str(ns) for p, ns in graph.namespaces()}
    for triple in skeleton.graph:
        graph.add(triple)
    text = format_graph(graph, extra_prefixes=own)
    written = parse_turtle(text, source=path)
    missing = [t for t in skeleton.graph if t not in written]
    if missing:  # pragma: no cover - the formatter round-trips every triple
        raise ScaffoldError(f"the new block did not survive formatting: {missing}")
    path.write_text(text, encoding="utf-8")
    line = subject_lines(path)[str(skeleton.iri)]
    lines = text.splitlines()
    end = line
    while end < len(lines) and lines[end].strip():
        end += 1
    return Written(skeleton.iri, path, line, "\n".join(lines[line - 1:end]))
