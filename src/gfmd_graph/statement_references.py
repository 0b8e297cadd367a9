"""Statement references: which source passage states each fact-bearing triple.

A reference is an OWL 2 axiom annotation (``owl:Axiom`` with ``owl:annotatedSource``,
``owl:annotatedProperty``, ``owl:annotatedTarget`` and ``gfmd:sourcePassage``): plain
triples for rdflib, pyshacl, pyoxigraph and any SPARQL 1.1 client, and an annotated
axiom for OWL tools (owlready2, HermiT, Protégé).

This module finds the fact-bearing statements of the curated files, the references
they have, and proposes references for those that lack one (``gfmd cite``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from .load import LoadedGraph
from .namespaces import GFMD
from .passages import passage_text
from .paths import DERIVED_FILES

# Statements that carry no fact of a source: typing, naming conventions, bookkeeping,
# alignments to outside vocabularies, and the provenance itself.
NOT_FACT_BEARING = frozenset({
    RDF.type, RDFS.label, SKOS.prefLabel, SKOS.inScheme, GFMD.orderIndex, PROV.wasDerivedFrom,
    GFMD.sourcePassage, SKOS.editorialNote, DCTERMS.subject, SKOS.exactMatch, SKOS.closeMatch,
    RDFS.isDefinedBy, GFMD.fileName, GFMD.lineCount,
})

_NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.prefLabel, GFMD.acronym, FOAF.name)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@dataclass(frozen=True)
class Statement:
    """One fact-bearing triple of a curated file."""

    file: Path
    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal


def fact_bearing_statements(loaded: LoadedGraph) -> list[Statement]:
    """Every fact-bearing triple of the curated (not derived) data files, with its file."""
    out = []
    for name, graph in sorted(loaded.graphs.items()):
        path = loaded.files[name]
        if loaded.kind(name) != "data" or path.name in DERIVED_FILES:
            continue
        # reference datasets are described by their own provenance, not by a passage of a source
        skipped = set(graph.subjects(RDF.type, OWL.Axiom)) | set(graph.subjects(RDF.type, GFMD.ReferenceDataset))
        for s, p, o in graph:
            if isinstance(s, BNode) or s in skipped or isinstance(o, BNode) or p in NOT_FACT_BEARING:
                continue
            out.append(Statement(path, s, p, o))
    return sorted(out, key=lambda st: (str(st.file), str(st.subject), str(st.predicate), str(st.object)))


def referenced(graph: Graph) -> dict[tuple, set[str]]:
    """Map each annotated triple to the passages its axiom annotations give."""
    out: dict[tuple, set[str]] = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        triple = (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedProperty),
                  graph.value(axiom, OWL.annotatedTarget))
        out.setdefault(triple, set()).update(str(p) for p in graph.objects(axiom, GFMD.sourcePassage))
    return out


def missing_references(loaded: LoadedGraph) -> list[Statement]:
    """Fact-bearing statements no axiom annotation gives a passage for."""
    refs = referenced(loaded.merged(kinds=("data",)))
    return [st for st in fact_bearing_statements(loaded) if not refs.get((st.subject, st.predicate, st.object))]


def dangling_axioms(graph: Graph) -> list[tuple]:
    """Axiom annotations whose statement the data does not make: (axiom, s, p, o)."""
    out = []
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        s, p, o = (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedProperty),
                   graph.value(axiom, OWL.annotatedTarget))
        if None in (s, p, o) or (s, p, o) not in graph:
            out.append((axiom, s, p, o))
    return out


# --- proposing references --------------------------------------------------------------------

def normalise(text: str) -> str:
    """Text as a reader compares it: markup, footnote markers and quote styles removed, lower case."""
    text = text.replace("**", "").replace("*", "").replace("\\", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<sup>[^<]*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


def value_forms(graph: Graph, value) -> list[str]:
    """Ways a source may write ``value``: its text, a number, a date, or the names of a resource."""
    forms: list[str] = []
    if isinstance(value, Literal):
        lex = str(value)
        forms.append(lex)
        if value.datatype in (XSD.date, GFMD.EDTF, XSD.gYearMonth, XSD.gYear):
            forms.extend(_date_forms(lex))
        if value.datatype in (XSD.integer, XSD.decimal) and lex.lstrip("-").isdigit() and len(lex.lstrip("-")) > 3:
            forms.append(f"{int(lex):,}")
    elif isinstance(value, URIRef):
        if not str(value).startswith("https://w3id.org/gfmd/") and "metadata.un.org" not in str(value):
            forms.append(re.sub(r"^https?://(www\.)?", "", str(value)).rstrip("/"))  # a web address as printed
        for prop in _NAME_PROPERTIES:
            names = [n for n in graph.objects(value, prop) if getattr(n, "language", None) in (None, "en")]
            forms.extend(str(n) for n in graph.objects(value, prop))
            forms.extend(_initialism(str(n)) for n in names if _initialism(str(n)))
        notation = graph.value(value, SKOS.notation)
        text = str(value)
        if "/gcm-objective/" in text:
            n = text.rsplit("/", 1)[-1]
            forms += [f"objective {n}", f"objectives {n}", f"obj. {n}"]
        elif text.startswith("http://metadata.un.org/sdg/") and notation is not None:
            forms += [f"target {notation}", f"sdg {notation}", f" {notation} "]
    return [f for f in (normalise(f) for f in forms) if len(f) >= 2 or f.isdigit()]


def _initialism(name: str) -> str | None:
    """"UAE" for "United Arab Emirates (the)": how sources shorten a name of three or more words."""
    words = [w for w in re.sub(r"\s*\(.*?\)", "", name).split() if w[:1].isupper()]
    return "".join(w[0] for w in words) if len(words) >= 3 else None


def _date_forms(lex: str) -> list[str]:
    out = []
    for part in re.split(r"/", lex):
        m = re.match(r"^(\d{4}|XXXX)(?:-(\d{2}))?(?:-(\d{2}))?", part)
        if not m:
            continue
        year, month, day = m.groups()
        month_name = _MONTHS[int(month) - 1] if month and month.isdigit() and 1 <= int(month) <= 12 else None
        if month_name and day:
            out += [f"{int(day)} {month_name}", f"{month_name} {int(day)}"]
        elif month_name and year != "XXXX":
            out.append(f"{month_name} {year}")
        elif year != "XXXX" and not month:
            out.append(year)
    return out


def passages_stating(graph: Graph, value, passages, folder: Path | None = None) -> list[str]:
    """Those of ``passages`` whose text writes ``value`` out (a text, number, date or name)."""
    texts = {p: passage_text(p, folder) for p in passages}
    texts = {p: normalise(t) for p, t in texts.items() if t is not None}
    forms = value_forms(graph, value)
    if isinstance(value, Literal) and value.language and len(str(value)) > 80:
        # a long verbatim text: its opening words identify its passage
        forms = [normalise(str(value))[:60]] + forms
    return sorted(p for p, t in texts.items() if any(_occurs(f, t) for f in forms))


def propose_passages(graph: Graph, statement: Statement, passages: list[str], folder: Path | None = None) -> list[str]:
    """The subject's passages that state the statement's value; empty when none can be told."""
    if len(passages) == 1:
        return passages
    found = passages_stating(graph, statement.object, passages, folder)
    if not found and isinstance(statement.object, URIRef):
        # a place in the document's structure (part of, cited under, mentioned at): the subject's
        # passages in the documents the linked resource comes from
        documents = {_document(p) for p in graph.objects(statement.object, GFMD.sourcePassage)}
        found = sorted(p for p in passages if passage_text(p, folder) is not None and _document(p) in documents)
    return found


def _document(passage) -> str:
    return str(passage).split("#", 1)[0]


def _occurs(form: str, text: str) -> bool:
    if len(form) <= 4 or form.replace(".", "").isdigit():  # a number or short code: as a whole token
        return re.search(rf"(?<![\w.]){re.escape(form)}(?![\w])", text) is not None
    return form in text


@dataclass(frozen=True)
class Proposal:
    """A reference ``gfmd cite`` adds: the statement, its passages and how they were chosen."""

    statement: Statement
    passages: tuple[str, ...]
    how: str  # "only passage", "value in passage", or "every passage" (the value is not written out)


def cite(loaded: LoadedGraph, folder: Path | None = None) -> list[Proposal]:
    """The references ``gfmd cite`` would add, one per fact-bearing statement that lacks one.

    A statement on a resource citing one passage gets that passage; otherwise the passages
    that write its value out (a text, number, date, or the name of the linked resource), or,
    for a place in a document's structure, the passages in the linked resource's documents;
    failing all, every passage of the resource (a reference no narrower than the resource's own).
    """
    merged = loaded.merged(kinds=("ontology", "data"))
    out = []
    for st in missing_references(loaded):
        passages = sorted(str(p) for p in merged.objects(st.subject, GFMD.sourcePassage))
        if not passages:
            continue  # a resource without passages is a shape violation of its own
        chosen = propose_passages(merged, st, passages, folder)
        how = "only passage" if len(passages) == 1 else "value in passage"
        if not chosen:
            chosen, how = passages, "every passage"
        out.append(Proposal(st, tuple(chosen), how))
    return out


def add_references(graph: Graph, proposals: list[Proposal]) -> None:
    """Add one axiom annotation per proposal to ``graph``."""
    for proposal in proposals:
        st, passages = proposal.statement, proposal.passages
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, st.subject))
        graph.add((axiom, OWL.annotatedProperty, st.predicate))
        graph.add((axiom, OWL.annotatedTarget, st.object))
        for p in passages:
            graph.add((axiom, GFMD.sourcePassage, Literal(p)))


@dataclass(frozen=True)
class Narrowing:
    """A reference citing passages that do not write its value out, and the ones that do."""

    file: Path
    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    before: tuple[str, ...]
    after: tuple[str, ...]


def narrowings(loaded: LoadedGraph, folder: Path | None = None) -> list[Narrowing]:
    """References with several passages of which only some write the value out.

    Keeping only those makes the reference say exactly which lines state the value; a
    reference where no passage (or every passage) writes it out is left as it is.
    """
    merged = loaded.merged(kinds=("ontology", "data"))
    out = []
    for name, graph in sorted(loaded.graphs.items()):
        if loaded.kind(name) != "data":
            continue
        for axiom in graph.subjects(RDF.type, OWL.Axiom):
            if graph.value(axiom, GFMD.readingOf) is not None:
                continue  # one reading of a disagreement: curated by hand
            before = sorted(str(p) for p in graph.objects(axiom, GFMD.sourcePassage))
            if len(before) < 2:
                continue
            target = graph.value(axiom, OWL.annotatedTarget)
            after = passages_stating(merged, target, before, folder)
            if after and len(after) < len(before):
                out.append(Narrowing(loaded.files[name], graph.value(axiom, OWL.annotatedSource),
                                     graph.value(axiom, OWL.annotatedProperty), target,
                                     tuple(before), tuple(after)))
    return out


def apply_narrowings(graph: Graph, items: list[Narrowing]) -> None:
    """Drop from ``graph``'s axioms the passages ``items`` found not to state their value."""
    for item in items:
        for axiom in graph.subjects(OWL.annotatedSource, item.subject):
            if (graph.value(axiom, OWL.annotatedProperty) == item.predicate
                    and graph.value(axiom, OWL.annotatedTarget) == item.object):
                for passage in set(item.before) - set(item.after):
                    graph.remove((axiom, GFMD.sourcePassage, Literal(passage)))

