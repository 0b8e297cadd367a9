"""Counts over the curated data: per class, per source document, per file, and a quality summary.

Class and document counts are over the data files only (the ontology's own
classes and properties are not instances). Types are counted as asserted: a
resource typed ``gfmd:PlatformForPartnershipsEntry`` and ``gfmd:Practice`` counts
under both, and no superclass is inferred.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from .load import LoadedGraph
from .namespaces import GFMD, ID, PREFIXES
from .passages import parse_passage

_NAMESPACES = sorted(PREFIXES.items(), key=lambda kv: len(kv[1]), reverse=True)


def compact(iri: str) -> str:
    """``gfmd:Summit`` for a project-prefixed IRI, the IRI itself otherwise.

    >>> compact("https://w3id.org/gfmd/id/summit/2007")
    'summit:2007'
    """
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@dataclass
class ClassCount:
    name: str
    iri: str
    instances: int
    by_document: dict[str, int] = field(default_factory=dict)  # source document -> instances derived from it


@dataclass
class DocumentCount:
    name: str
    iri: str
    file: str
    title: str
    resources: int  # subjects whose prov:wasDerivedFrom cites the document
    passages: int  # gfmd:sourcePassage literals pointing into its file
    resources_with_passage: int  # subjects with at least one such passage


@dataclass
class FileCount:
    file: str
    graph: str
    triples: int
    subjects: int
    typed_resources: int


@dataclass
class Stats:
    """Everything :func:`collect_stats` counts; ``as_dict`` gives plain JSON-ready data."""

    classes: list[ClassCount] = field(default_factory=list)
    documents: list[DocumentCount] = field(default_factory=list)
    files: list[FileCount] = field(default_factory=list)
    quality: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


#: Quality counts with what each means (shown by ``gfmd stats``).
QUALITY = {
    "resources": "IRI subjects in the data files",
    "untyped": "resources with no rdf:type",
    "without_label": "resources with no rdfs:label",
    "without_english_label": "resources with no rdfs:label in English",
    "several_labels_in_one_language": "resources with two rdfs:labels in the same language",
    "without_provenance": "resources with no prov:wasDerivedFrom",
    "without_source_passage": "resources with no gfmd:sourcePassage",
    "derived_without_passage": "(resource, document) pairs: derived from the document, no passage in its file",
    "passage_without_derivation": "(resource, document) pairs: a passage in the file, not derived from the document",
    "malformed_passages": "gfmd:sourcePassage values not of the form <file>#L<start>-L<end> (start <= end)",
    "passages_beyond_document_end": "passages ending after the last line (gfmd:lineCount) of their document",
    "dangling_references": "distinct gfmd IRIs used as objects but described nowhere",
    "blank_nodes": "blank nodes in the data files, other than statement references (owl:Axiom)",
    "editorial_notes": "skos:editorialNote statements",
    "resources_with_editorial_note": "resources carrying at least one skos:editorialNote",
}


def collect_stats(loaded: LoadedGraph) -> Stats:
    """Count classes, documents, files and quality issues of a loaded project."""
    data = loaded.merged(kinds=("data",))
    described = {s for name, graph in loaded.graphs.items() if loaded.kind(name) in ("ontology", "data")
                 for s in graph.subjects()}
    return Stats(classes=_classes(data), documents=_documents(data), files=_files(loaded),
                 quality=_quality(data, described))


def _classes(data: Graph) -> list[ClassCount]:
    members: dict = defaultdict(set)
    for s, cls in data.subject_objects(RDF.type):
        members[cls].add(s)
    derived: dict = defaultdict(set)
    for s, doc in data.subject_objects(PROV.wasDerivedFrom):
        derived[doc].add(s)
    documents = _source_documents(data)
    out = []
    for cls, subjects in members.items():
        by_document = {compact(str(d)): len(subjects & derived[d]) for d in documents}
        out.append(ClassCount(compact(str(cls)), str(cls), len(subjects), by_document))
    return sorted(out, key=lambda c: c.name)


def _source_documents(data: Graph) -> list:
    """The source documents in the order of their file names (000 … 004)."""
    return sorted(data.subjects(RDF.type, GFMD.SourceDocument), key=lambda d: (str(data.value(d, GFMD.fileName)), d))


def _passage_file(value) -> str | None:
    parsed = parse_passage(value)
    return parsed.file if parsed else None


def _documents(data: Graph) -> list[DocumentCount]:
    passages = [(s, _passage_file(v)) for s, v in data.subject_objects(GFMD.sourcePassage)]
    out = []
    for doc in _source_documents(data):
        file = str(data.value(doc, GFMD.fileName) or "")
        here = [s for s, f in passages if file and f == file]
        out.append(DocumentCount(compact(str(doc)), str(doc), file, str(data.value(doc, RDFS.label) or ""),
                                 len(set(data.subjects(PROV.wasDerivedFrom, doc))), len(here), len(set(here))))
    return out


def _files(loaded: LoadedGraph) -> list[FileCount]:
    out = []
    for name, graph in sorted(loaded.graphs.items()):
        out.append(FileCount(loaded.files[name].relative_to(loaded.root).as_posix(), str(name), len(graph),
                             len(set(graph.subjects())), len(set(graph.subjects(RDF.type, None)))))
    return out


def _quality(data: Graph, described: set) -> dict[str, int]:
    resources = {s for s in data.subjects() if isinstance(s, URIRef)}
    labels: dict = defaultdict(Counter)
    for s, label in data.subject_objects(RDFS.label):
        labels[s][label.language if isinstance(label, Literal) else None] += 1
    files = {str(data.value(d, GFMD.fileName)): d for d in data.subjects(RDF.type, GFMD.SourceDocument)}
    derived = {(s, d) for s, d in data.subject_objects(PROV.wasDerivedFrom) if d in files.values()}
    line_counts = {f: int(data.value(d, GFMD.lineCount) or 0) for f, d in files.items()}
    cited = set()
    malformed = beyond_end = 0
    for s, value in data.subject_objects(GFMD.sourcePassage):
        parsed = parse_passage(value)
        if parsed is None:
            malformed += 1
        elif parsed[0] in files:
            cited.add((s, files[parsed[0]]))
            beyond_end += 0 < line_counts[parsed[0]] < parsed[2]
    objects = {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(str(ID))}
    axioms = set(data.subjects(RDF.type, OWL.Axiom))
    bnodes = {n for t in data for n in t if isinstance(n, BNode)} - axioms
    notes = list(data.subject_objects(SKOS.editorialNote))
    return {
        "resources": len(resources),
        "untyped": sum((r, RDF.type, None) not in data for r in resources),
        "without_label": sum(r not in labels for r in resources),
        "without_english_label": sum("en" not in labels.get(r, {}) for r in resources),
        "several_labels_in_one_language": sum(any(n > 1 for n in labels[r].values()) for r in resources if r in labels),
        "without_provenance": sum((r, PROV.wasDerivedFrom, None) not in data for r in resources),
        "without_source_passage": sum((r, GFMD.sourcePassage, None) not in data for r in resources),
        "derived_without_passage": len(derived - cited),
        "passage_without_derivation": len(cited - derived),
        "malformed_passages": malformed,
        "passages_beyond_document_end": beyond_end,
        "dangling_references": len(objects - described),
        "blank_nodes": len(bnodes),
        "editorial_notes": len(notes),
        "resources_with_editorial_note": len({s for s, _ in notes}),
    }


def stats_tables(stats: Stats) -> list:
    """The stats as rich tables: classes by document, documents, files, quality."""
    from rich.table import Table

    short = {d.name: d.file.split("_", 1)[0] or d.name for d in stats.documents}
    classes = Table("class", "instances", *short.values(), title="Instances per asserted class (data files)")
    for c in stats.classes:
        classes.add_row(c.name, str(c.instances), *(str(c.by_document.get(name, 0)) for name in short))
    documents = Table("document", "file", "resources", "passages", "resources with passage",
                      title="Source documents: resources derived from each, passages into its file")
    for d in stats.documents:
        documents.add_row(d.name, d.file, str(d.resources), str(d.passages), str(d.resources_with_passage))
    files = Table("file", "triples", "subjects", "typed", title="Files")
    for f in stats.files:
        files.add_row(f.file, str(f.triples), str(f.subjects), str(f.typed_resources))
    quality = Table("check", "count", "meaning", title="Data quality")
    for key, value in stats.quality.items():
        quality.add_row(key, str(value), QUALITY.get(key, ""))
    for table, first_numeric in ((classes, 1), (documents, 2), (files, 1), (quality, 1)):
        for column in table.columns[first_numeric:]:
            column.justify = "right"
    quality.columns[2].justify = "left"
    return [classes, documents, files, quality]


def class_table_markdown(stats: Stats) -> str:
    """The class counts as the Markdown table of data/README.md: total, then one column per document.

    Documents are ordered and headed by their file number (``000`` … ``004``).
    """
    documents = sorted(stats.documents, key=lambda d: d.file)
    head = "| class | total | " + " | ".join(d.file[:3] for d in documents) + " |"
    rule = "|---|---:|" + "---:|" * len(documents)
    rows = [f"| `{c.name}` | {c.instances} | " + " | ".join(str(c.by_document.get(compact(d.iri), 0)) for d in documents) + " |"
            for c in stats.classes]
    return "\n".join([head, rule, *rows]) + "\n"


def editorial_notes_markdown(loaded: LoadedGraph) -> str:
    """Every ``skos:editorialNote`` of the data as the Markdown list of data/README.md.

    One item per note, ``- `<kind>/<key>`: <note>``, sorted by resource and then by note text.
    """
    data = loaded.merged(kinds=("data",))
    items = sorted((str(s)[len(str(ID)):], " ".join(str(note).split()))
                   for s, note in data.subject_objects(SKOS.editorialNote) if str(s).startswith(str(ID)))
    return "".join(f"- `{key}`: {note}\n" for key, note in items)
