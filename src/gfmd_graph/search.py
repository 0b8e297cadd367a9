"""Full-text search over the graph's labels and texts: an inverted index built once, ranked hits.

Indexed fields (every language): labels, acronyms, titles and notations weigh high;
descriptions, definitions and passage texts low. Matching ignores case and accents
(Unicode NFKD with the combining marks dropped). Words are tokens; Chinese, Japanese,
Korean and Arabic text is also indexed by character uni- and bigrams, so a query matches
inside a word (a substring), as these scripts need.

Ranking, best first: the query equals a whole label, acronym or notation; a label starts
with it; every query word is in a label (the last one may be a prefix); every query word
is in a description. Within a rank, a match in a preferred language, then a shorter text,
then the IRI decide. One hit per resource.

    >>> index = SearchIndex.from_project()        # doctest: +SKIP
    >>> index.search("10.7", languages=("fr",))[0].compact   # doctest: +SKIP
    'sdg:10.7'

Offsets of a hit's snippet are Unicode code points of ``snippet``.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GfmdError
from .namespaces import NAMESPACE_IRIS, PREFIXES

if TYPE_CHECKING:  # rdflib is loaded when an index is built, not when a query is checked
    from rdflib import Graph

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
GFMD = NAMESPACE_IRIS["GFMD"]

#: Fields matched for the first three ranks, with the name a hit reports.
HIGH_FIELDS = {
    RDFS + "label": "rdfs:label",
    SKOS + "prefLabel": "skos:prefLabel",
    SKOS + "altLabel": "skos:altLabel",
    GFMD + "acronym": "gfmd:acronym",
    GFMD + "title": "gfmd:title",
    GFMD + "officialTitle": "gfmd:officialTitle",
    SKOS + "notation": "skos:notation",
}
#: Fields matched for the last rank.
LOW_FIELDS = {
    DCTERMS + "description": "dcterms:description",
    SKOS + "definition": "skos:definition",
    GFMD + "text": "gfmd:text",
}
#: Ranks, best first.
RANKS = ("exact", "prefix", "words", "description")
#: The term kinds :meth:`SearchIndex.terms` offers.
TERM_KINDS = ("class", "property", "resource")
CLASS_TYPES = {OWL + "Class", RDFS + "Class"}
PROPERTY_TYPES = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
                  RDF + "Property"}
#: The languages the graph's labels carry (the six UN languages).
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
MAX_QUERY_LENGTH = 1000
MAX_LIMIT = 100
SNIPPET_LENGTH = 160

_WORD = re.compile(r"[^\W_]+")
_NGRAM_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\u3040-\u30FF\u3400-\u4DBF"
                           r"\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]")
_DROP = {"\u0640"}  # Arabic tatweel: a stretch of the line, not a letter


class SearchInputError(GfmdError):
    """A query or option the search does not take (empty, too long, a limit out of range)."""


def check_input(query: str, limit: int = 10, offset: int = 0) -> str:
    """``query`` stripped, or :class:`SearchInputError` naming what is wrong."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchInputError(f"the query has {len(query)} characters; at most {MAX_QUERY_LENGTH} are searched")
    stripped = query.strip()
    if not stripped or not fold(stripped).strip():
        raise SearchInputError("the query is empty; give a word, a label, an acronym or a code")
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchInputError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise SearchInputError(f"offset must be 0 or more, not {offset}")
    return stripped


def fold(text: str) -> str:
    """``text`` lower-cased without accents (NFKD, combining marks dropped).

    >>> fold("Réduire les Inégalités"), fold("تيسـير")
    ('reduire les inegalites', 'تيسير')
    """
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch in _DROP or unicodedata.combining(ch):
            continue
        out.append(ch)
    return "".join(out).casefold()


def fold_mapped(text: str) -> tuple[str, list[int]]:
    """:func:`fold` of ``text`` and, for every folded character, the index of its original character."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for part in fold(ch):
            chars.append(part)
            origin.append(i)
    return "".join(chars), origin


def tokens(folded: str) -> list[str]:
    """The words of a folded text, plus character uni- and bigrams of its CJK and Arabic words.

    >>> tokens("gfmd 移民政策")
    ['gfmd', '移民政策', '移', '民', '政', '策', '移民', '民政', '政策']
    """
    out: list[str] = []
    for word in _WORD.findall(folded):
        out.append(word)
        if _NGRAM_SCRIPT.search(word):
            out.extend(word)
            out.extend(word[i:i + 2] for i in range(len(word) - 1))
    return out


def compact(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``prefix:local`` for the longest project namespace ``iri`` starts with, else ``iri``.

    >>> compact("https://w3id.org/gfmd/id/practice/x")
    'practice:x'
    """
    best = ""
    name = iri
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(best) and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            best, name = ns, f"{prefix}:{iri[len(ns):]}"
    return name


@dataclass(frozen=True)
class Entry:
    """One indexed literal: whose it is, in which field and language."""

    doc: int
    field: str
    lang: str
    text: str
    folded: str
    high: bool


@dataclass
class Hit:
    """A search result: the resource, how it is named and what matched where."""

    iri: str
    compact: str
    kind: str
    label: str
    label_lang: str
    field: str
    lang: str
    rank: str
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["highlights"] = [list(span) for span in self.highlights]
        return out


@dataclass
class Term:
    """A class, property or resource for the editor's completion."""

    iri: str
    compact: str
    label: str
    kind: str


class SearchIndex:
    """Token -> postings over the graph's literals; :meth:`search` touches only the postings it needs."""

    def __init__(self, graph: Graph, prefixes: dict[str, str] = PREFIXES) -> None:
        self.prefixes = prefixes
        self.iris: list[str] = []
        self.entries: list[Entry] = []
        self.postings: dict[str, set[int]] = {}
        self.exact: dict[str, list[int]] = {}
        self._doc_of: dict[str, int] = {}
        self._labels: dict[int, dict[str, str]] = {}  # doc -> lang -> best label
        self._build(graph)
        self.sorted_tokens = sorted(self.postings)
        self.sorted_texts = sorted((e.folded, i) for i, e in enumerate(self.entries) if e.high)

    @classmethod
    def from_project(cls, root: Path | None = None) -> "SearchIndex":
        """The index of a project folder's ontology and data."""
        from .load import load_project

        return cls(load_project(root, kinds=("ontology", "data")).merged())

    # ---- building ----

    def _build(self, graph: Graph) -> None:
        from rdflib import Literal, URIRef

        fields = {**{p: (n, True) for p, n in HIGH_FIELDS.items()}, **{p: (n, False) for p, n in LOW_FIELDS.items()}}
        label_order = (RDFS + "label", SKOS + "prefLabel")
        for s, p, o in graph:
            if not isinstance(s, URIRef) or not isinstance(o, Literal) or str(p) not in fields:
                continue
            name, high = fields[str(p)]
            doc = self._doc(str(s))
            text = str(o)
            lang = o.language or ""
            entry = Entry(doc, name, lang, text, fold(text), high)
            number = len(self.entries)
            self.entries.append(entry)
            for token in set(tokens(entry.folded)):
                self.postings.setdefault(token, set()).add(number)
            if high:
                self.exact.setdefault(entry.folded.strip(), []).append(number)
            if str(p) in label_order:
                labels = self._labels.setdefault(doc, {})
                key = lang
                # rdfs:label wins over skos:prefLabel in the same language
                if key not in labels or str(p) == RDFS + "label":
                    labels[key] = text
        self._kinds(graph)

    def _doc(self, iri: str) -> int:
        if iri not in self._doc_of:
            self._doc_of[iri] = len(self.iris)
            self.iris.append(iri)
        return self._doc_of[iri]

    def _kinds(self, graph: Graph) -> None:
        from rdflib import Literal, URIRef

        parents: dict[str, set[str]] = {}
        for c, sup in graph.subject_objects(URIRef(RDFS + "subClassOf")):
            if isinstance(c, URIRef) and isinstance(sup, URIRef):
                parents.setdefault(str(c), set()).add(str(sup))
        closure: dict[str, set[str]] = {}

        def ancestors(c: str) -> set[str]:
            if c not in closure:
                closure[c] = set()
                seen = set()
                todo = list(parents.get(c, ()))
                while todo:
                    x = todo.pop()
                    if x not in seen:
                        seen.add(x)
                        todo.extend(parents.get(x, ()))
                closure[c] = seen
            return closure[c]

        class_label: dict[str, str] = {}
        for c, label in graph.subject_objects(URIRef(RDFS + "label")):
            if isinstance(label, Literal) and label.language in (None, "en") and str(c) not in class_label:
                class_label[str(c)] = str(label)
        self.class_label = class_label
        self.kind: dict[int, str] = {}
        self.kind_names: dict[int, set[str]] = {}
        self.types: dict[int, set[str]] = {}
        for s, t in graph.subject_objects(URIRef(RDF + "type")):
            if isinstance(s, URIRef) and isinstance(t, URIRef):
                self.types.setdefault(self._doc(str(s)), set()).add(str(t))
        for doc, types in self.types.items():
            specific = [t for t in types if not any(t in ancestors(u) for u in types if u != t)]
            specific.sort(key=lambda t: (not t.startswith(GFMD), t))
            best = specific[0]
            self.kind[doc] = class_label.get(best) or _local(best)
            names: set[str] = set()
            for t in types | {a for t in types for a in ancestors(t)}:
                names.add(_local(t).casefold())
                names.add(compact(t, self.prefixes).casefold())
                if t in class_label:
                    names.add(class_label[t].casefold())
            self.kind_names[doc] = names

    # ---- searching ----

    def search(self, query: str, *, languages: tuple[str, ...] = ("en",), kind: str | None = None,
               limit: int = 10, offset: int = 0) -> list[Hit]:
        """The best hits for ``query``; labels in the first of ``languages`` that has one, else English.

        ``kind`` keeps resources of that class or a subclass (local name, ``prefix:Name`` or label,
        any case). A match in one of ``languages`` ranks before others of its rank.
        """
        q = fold(query).strip()
        if not q:
            return []
        words = _WORD.findall(q)
        wanted = kind.casefold() if kind else None
        best: dict[int, tuple] = {}
        for tier in self._tiers(q, words):
            for rank, number in tier:
                entry = self.entries[number]
                if wanted and wanted not in self.kind_names.get(entry.doc, ()):
                    continue
                key = (rank, not entry.high, _lang_rank(entry.lang, languages), len(entry.text),
                       self.iris[entry.doc], number)
                if entry.doc not in best or key < best[entry.doc]:
                    best[entry.doc] = key
            if len(best) >= offset + limit:
                break  # every later tier ranks below the hits already found
        ordered = heapq.nsmallest(offset + limit, best.values())[offset:]
        return [self._hit(key[-1], RANKS[key[0]], q, words, languages) for key in ordered]

    def _tiers(self, q: str, words: list[str]):
        """The (rank, entry) pairs of each rank in turn, best rank first, each computed only when asked."""
        yield ((0, number) for number in self.exact.get(q, ()))
        yield self._prefixed(q)
        if words:
            yield self._all_words(words)

    def _prefixed(self, q: str):
        start = bisect_left(self.sorted_texts, (q, -1))
        for text, number in self.sorted_texts[start:]:
            if not text.startswith(q):
                break
            yield 1, number

    def _all_words(self, words: list[str]):
        matched: set[int] | None = None
        for position, word in enumerate(words):
            found = self._word_postings(word, prefix=position == len(words) - 1)
            matched = found if matched is None else matched & found
            if not matched:
                return
        for number in matched:
            entry = self.entries[number]
            if all(w in entry.folded for w in words if _NGRAM_SCRIPT.search(w)):
                yield (2 if entry.high else 3), number

    def _word_postings(self, word: str, *, prefix: bool) -> set[int]:
        if _NGRAM_SCRIPT.search(word) and len(word) > 2:
            grams = [word[i:i + 2] for i in range(len(word) - 1)]
            sets = sorted((self.postings.get(g, set()) for g in grams), key=len)
            out = set(sets[0])
            for other in sets[1:]:
                out &= other
            return out
        if not prefix:
            return set(self.postings.get(word, ()))
        out: set[int] = set()
        start = bisect_left(self.sorted_tokens, word)
        for token in self.sorted_tokens[start:]:
            if not token.startswith(word):
                break
            out |= self.postings[token]
        return out

    def _hit(self, number: int, rank: str, q: str, words: list[str], languages: tuple[str, ...]) -> Hit:
        entry = self.entries[number]
        label, label_lang = self.label(entry.doc, languages)
        snippet, spans = _snippet(entry.text, q if rank in ("exact", "prefix") else None, words)
        iri = self.iris[entry.doc]
        return Hit(iri=iri, compact=compact(iri, self.prefixes), kind=self.kind.get(entry.doc, ""),
                   label=label, label_lang=label_lang, field=entry.field, lang=entry.lang, rank=rank,
                   snippet=snippet, highlights=spans)

    def label(self, doc: int, languages: tuple[str, ...] = ("en",)) -> tuple[str, str]:
        """The best label of a resource and its language: the first of ``languages``, English, untagged, any."""
        labels = self._labels.get(doc, {})
        for lang in (*languages, "en", ""):
            if lang in labels:
                return labels[lang], lang
        if labels:
            lang = sorted(labels)[0]
            return labels[lang], lang
        return compact(self.iris[doc], self.prefixes), ""

    # ---- completion ----

    def terms(self, prefix: str = "", *, kind: str = "resource", limit: int = 50) -> list[Term]:
        """Classes, properties or other resources whose compact name or IRI starts with ``prefix``,
        or whose English label has a word starting with it (for an editor's completion)."""
        if kind not in TERM_KINDS:
            raise ValueError(f"kind must be one of {', '.join(TERM_KINDS)}")
        if not hasattr(self, "_terms"):
            self._terms = self._term_list()
        wanted = prefix.strip().lstrip("<").casefold()
        out: list[Term] = []
        for term, keys in self._terms[kind]:
            if not wanted or any(k.startswith(wanted) for k in keys):
                out.append(term)
                if len(out) >= limit:
                    break
        return out

    def _term_list(self) -> dict[str, list[tuple[Term, tuple[str, ...]]]]:
        groups: dict[str, list[tuple[Term, tuple[str, ...]]]] = {k: [] for k in TERM_KINDS}
        for doc, types in self.types.items():
            iri = self.iris[doc]
            name = compact(iri, self.prefixes)
            if name == iri:
                continue  # not in a project namespace
            kind = ("class" if types & CLASS_TYPES else "property" if types & PROPERTY_TYPES else "resource")
            label, _ = self.label(doc)
            keys = (name.casefold(), iri.casefold(), name.split(":", 1)[-1].casefold(),
                    *(w for w in _WORD.findall(fold(label))))
            groups[kind].append((Term(iri, name, label, kind), keys))
        for items in groups.values():
            items.sort(key=lambda item: item[0].compact)
        return groups


def _lang_rank(lang: str, languages: tuple[str, ...]) -> int:
    return languages.index(lang) if lang in languages else len(languages) + (0 if lang in ("", "en") else 1)


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def _snippet(text: str, whole: str | None, words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the match and the matched spans in it (code point offsets)."""
    folded, origin = fold_mapped(text)
    spans: list[tuple[int, int]] = []

    def span(start: int, end: int) -> tuple[int, int]:
        return origin[start], origin[end - 1] + 1

    if whole is not None:
        at = folded.find(whole)
        if at >= 0:
            spans.append(span(at, at + len(whole)))
    if not spans:
        for word in words:
            at = _find_word(folded, word)
            if at >= 0:
                spans.append(span(at, at + len(word)))
    spans = sorted(set(spans))
    if len(text) <= SNIPPET_LENGTH:
        return text, spans
    first = spans[0][0] if spans else 0
    start = max(0, min(first - SNIPPET_LENGTH // 3, len(text) - SNIPPET_LENGTH))
    end = start + SNIPPET_LENGTH
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return prefix + text[start:end] + suffix, kept


def _find_word(folded: str, word: str) -> int:
    """Where ``word`` starts a word of ``folded`` (anywhere for CJK/Arabic), or -1."""
    if _NGRAM_SCRIPT.search(word):
        return folded.find(word)
    m = re.search(r"(?<![^\W_])" + re.escape(word), folded)
    return m.start() if m else -1
