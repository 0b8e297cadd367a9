"""Generate a synthetic GFMD graph N times the size of the bundled one, still shape-valid.

The bundled data is split into two parts:

* **shared** resources: the reference data every copy links to and that cannot be
  duplicated without breaking a rule (source documents and their sections, SDG goals,
  targets and indicators, states, GCM objectives, concept schemes and their concepts --
  clusters, focus areas, migration and development areas, SDG link categories --,
  summits and chairmanships, instruments). They are written once.
* **copied** resources: everything else (practices, meetings, sessions, recommendations,
  organizations, persons, places, collections, SDG-migration links, ...). Copy 0 is the
  bundled data unchanged; copy ``k >= 1`` rewrites every copied IRI to ``<iri>-s<k>``
  (links between copied resources follow; links to shared resources stay), suffixes each
  ``rdfs:label`` / ``skos:prefLabel`` with `` (copy k)`` so the duplicate-label rule holds,
  gives each Platform for Partnerships entry a fresh ``gfmd:pfpId`` (and the matching
  ``rdfs:seeAlso`` page), and offsets ``gfmd:orderIndex`` by ``1000 * k`` so that a
  position in a shared focus area or document section holds one recommendation.

``--factor F`` asks for about F times the triples of the bundled ontology + data; the
number of copies is derived from it (``--copies`` sets it directly). Every data file of
the output holds the same resources as the bundled file of the same name, followed by its
copies in N-Triples form (valid Turtle), so the named graphs are the bundled ones.

The output is deterministic: the only random choice, which fresh PfP id each copy gets,
is drawn from ``--seed``.

    python bench/synthetic.py --factor 100 --out /tmp/gfmd-x100
    python bench/synthetic.py --copies 2 --out /tmp/gfmd-c2 --check
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
GFMD = "https://w3id.org/gfmd/ontology#"
ID = "https://w3id.org/gfmd/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PFP_PAGE = "http://gfmd.org/pfp/ppd/"
ORDER_STEP = 1000

#: Data files holding only reference resources: written once, never copied.
SHARED_FILES = frozenset({
    "documents", "sdg", "states", "gcm-objectives", "schemes", "summits", "instruments",
})
#: Classes (with their subclasses) whose instances are shared wherever they are defined.
SHARED_CLASSES = frozenset({
    GFMD + c for c in (
        "SourceDocument", "ReferenceDataset", "DocumentSection", "SDGGoal", "SDGTarget",
        "SDGIndicator", "State", "GCMObjective", "ThematicCluster", "FocusArea",
        "MigrationDevelopmentArea", "SDGLinkCategory", "Summit", "Chairmanship", "Instrument",
    )
} | {SKOS + "ConceptScheme", SKOS + "Concept"})
LABELS = frozenset({RDFS + "label", SKOS + "prefLabel"})
SEP = "\x00"  # stands for the copy number in a line template


@dataclass
class Plan:
    """What the generator found in the bundled data and what it wrote."""

    source: str
    copies: int
    seed: int
    ontology_triples: int = 0
    shared_triples: int = 0
    copied_triples: int = 0  # per copy
    shared_subjects: int = 0
    copied_subjects: int = 0  # per copy
    pfp_entries: int = 0  # per copy
    total_triples: int = 0
    bundled_triples: int = 0
    files: dict[str, int] = field(default_factory=dict)

    @property
    def factor(self) -> float:
        return self.total_triples / self.bundled_triples if self.bundled_triples else 0.0


def _parse(path: Path) -> list[ox.Triple]:
    """The triples of a file, blank nodes named by order of appearance (so output is deterministic)."""
    names: dict[str, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term.value, ox.BlankNode(f"{path.stem.replace('-', '')}b{len(names) + 1}"))
        return term

    return [ox.Triple(stable(q.subject), q.predicate, stable(q.object))
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]


def _subclasses(ontology: list[ox.Triple], roots: frozenset[str]) -> set[str]:
    """``roots`` and every class below one of them by ``rdfs:subClassOf``."""
    children: dict[str, set[str]] = {}
    for t in ontology:
        if t.predicate.value == RDFS + "subClassOf" and isinstance(t.object, ox.NamedNode):
            children.setdefault(t.object.value, set()).add(t.subject.value)
    out, todo = set(), list(roots)
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo.extend(children.get(c, ()))
    return out


def _key(term) -> str:
    return str(term)


class Generator:
    """Plans the split of the bundled data and writes ``copies`` copies of it."""

    def __init__(self, source: Path = REPO, *, copies: int = 1, seed: int = 42) -> None:
        self.source = source
        self.copies = copies
        self.seed = seed
        self.ontology = [t for p in sorted((source / "ontology").glob("*.ttl")) for t in _parse(p)]
        self.data = {p.stem: _parse(p) for p in sorted((source / "data").glob("*.ttl"))}
        shared_classes = _subclasses(self.ontology, SHARED_CLASSES)
        shared: set[str] = set()
        for stem, triples in self.data.items():
            for t in triples:
                s = t.subject
                if stem in SHARED_FILES:
                    shared.add(_key(s))
                elif t.predicate.value == RDF_TYPE and t.object.value in shared_classes:
                    shared.add(_key(s))
                elif isinstance(s, ox.NamedNode) and not s.value.startswith(ID):
                    shared.add(_key(s))
        # a statement reference goes with its statement: shared when the annotated subject is
        for ts in self.data.values():
            for t in ts:
                if t.predicate.value == OWL + "annotatedSource" and _key(t.object) in shared:
                    shared.add(_key(t.subject))
        self.shared = shared
        self.copied = {
            _key(t.subject) for ts in self.data.values() for t in ts if _key(t.subject) not in shared
        }
        pfp = sorted(
            {t.subject.value for ts in self.data.values() for t in ts
             if t.predicate.value == GFMD + "pfpId" and _key(t.subject) in self.copied},
        )
        self.pfp_entries = pfp
        self.pfp_old = {t.subject.value: t.object.value for ts in self.data.values() for t in ts
                        if t.predicate.value == GFMD + "pfpId"}
        # statement references: the annotated statement's subject and property, so that the copy's
        # reference annotates the copy's statement (same relabelled value)
        self.annotated: dict[str, dict[str, object]] = {}
        for ts in self.data.values():
            for t in ts:
                if t.predicate.value in (OWL + "annotatedSource", OWL + "annotatedProperty"):
                    self.annotated.setdefault(_key(t.subject), {})[t.predicate.value] = t.object

    @classmethod
    def copies_for_factor(cls, factor: float, source: Path = REPO) -> int:
        g = cls(source, copies=1)
        bundled = len(g.ontology) + sum(len(ts) for ts in g.data.values())
        shared = len(g.ontology) + sum(1 for ts in g.data.values() for t in ts if _key(t.subject) in g.shared)
        per_copy = bundled - shared
        return max(1, round((factor * bundled - shared) / per_copy))

    # -- the new PfP ids ------------------------------------------------------------------
    def _pfp_ids(self) -> dict[tuple[str, int], str]:
        """A fresh, unused id for every (entry, copy >= 1), drawn with the seed."""
        used = {int(v) for v in self.pfp_old.values()}
        need = len(self.pfp_entries) * (self.copies - 1)
        start = max(used, default=0) + 1
        pool = [i for i in range(start, start + need + len(used)) if i not in used][:need]
        if pool and pool[-1] > 99999:
            raise SystemExit(f"too many copies: PfP ids would exceed 5 digits ({pool[-1]})")
        random.Random(self.seed).shuffle(pool)
        it = iter(pool)
        return {(e, k): str(next(it)) for k in range(1, self.copies) for e in self.pfp_entries}

    # -- templates ------------------------------------------------------------------------
    def _term(self, term) -> str:
        """N-Triples form of ``term`` in copy SEP (copied IRIs and blank nodes get the suffix)."""
        if isinstance(term, ox.NamedNode):
            return f"<{term.value}-s{SEP}>" if str(term) in self.copied else str(term)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}s{SEP}"
        return str(term)

    def _line(self, t: ox.Triple):
        """A template (str with SEP) or a function of the copy number for one copied triple."""
        s, p, o = t.subject, t.predicate.value, t.object
        head = f"{self._term(s)} <{p}> "
        if p == OWL + "annotatedTarget" and _key(s) in self.annotated:
            ref = self.annotated[_key(s)]
            source, prop = ref.get(OWL + "annotatedSource"), ref.get(OWL + "annotatedProperty")
            if source is not None and prop is not None:
                return self._with_object(head, source, prop.value, o)
        return self._with_object(head, s, p, o)

    def _with_object(self, head: str, s, p: str, o):
        """``head`` followed by the copy's form of the object ``o`` of the statement (s, p, o)."""
        if p in LABELS and isinstance(o, ox.Literal):
            text = str(o)  # "..."@en or "..."^^<dt>: the suffix goes before the closing quote
            end = text.rindex('"')
            return head + text[:end] + f" (copy {SEP})" + text[end:] + " ."
        if p == GFMD + "orderIndex" and isinstance(o, ox.Literal):
            base, dt = int(o.value), o.datatype
            return lambda k: f"{head.replace(SEP, str(k))}{ox.Literal(str(base + ORDER_STEP * k), datatype=dt)} ."
        if p == GFMD + "pfpId" and isinstance(s, ox.NamedNode) and s.value in self.pfp_old:
            entry = s.value
            return lambda k: f"{head.replace(SEP, str(k))}{ox.Literal(self._ids[(entry, k)])} ."
        if (p == RDFS + "seeAlso" and isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode)
                and s.value in self.pfp_old and o.value == PFP_PAGE + self.pfp_old[s.value]):
            entry = s.value
            return lambda k: f"{head.replace(SEP, str(k))}<{PFP_PAGE}{self._ids[(entry, k)]}> ."
        return head + self._term(o) + " ."

    # -- output ---------------------------------------------------------------------------
    def write(self, out: Path) -> Plan:
        """Write the folder: ontology/, shapes/, queries/ copied; data/ generated."""
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for folder in ("ontology", "shapes", "queries"):
            shutil.copytree(self.source / folder, out / folder)
        (out / "data").mkdir()
        self._ids = self._pfp_ids()
        plan = Plan(source=str(self.source), copies=self.copies, seed=self.seed,
                    ontology_triples=len(self.ontology), pfp_entries=len(self.pfp_entries),
                    shared_subjects=len(self.shared), copied_subjects=len(self.copied))
        for stem, triples in self.data.items():
            src = self.source / "data" / f"{stem}.ttl"
            lines = [self._line(t) for t in triples if _key(t.subject) in self.copied]
            plan.shared_triples += len(triples) - len(lines)
            plan.copied_triples += len(lines)
            target = out / "data" / f"{stem}.ttl"
            with target.open("w", encoding="utf-8") as fh:
                text = src.read_text(encoding="utf-8")
                fh.write(text if text.endswith("\n") else text + "\n")
                if lines and self.copies > 1:
                    fh.write(f"\n# Synthetic copies 1..{self.copies - 1} of the {len(lines)} triples "
                             "of this file about copied resources (see bench/synthetic.py).\n")
                for k in range(1, self.copies):
                    ks = str(k)
                    fh.write("\n".join(x.replace(SEP, ks) if isinstance(x, str) else x(k) for x in lines))
                    fh.write("\n")
            plan.files[f"data/{stem}.ttl"] = len(triples) - len(lines) + len(lines) * self.copies
        plan.bundled_triples = plan.ontology_triples + plan.shared_triples + plan.copied_triples
        plan.total_triples = plan.ontology_triples + plan.shared_triples + plan.copied_triples * self.copies
        manifest = asdict(plan) | {"factor": round(plan.factor, 2)}
        (out / "synthetic.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return plan


# -- checks ---------------------------------------------------------------------------------

def load_store(root: Path) -> ox.Store:
    """An in-memory store of ontology + data of ``root``, one named graph per file (bulk load)."""
    store = ox.Store()
    for folder in ("ontology", "data"):
        for path in sorted((root / folder).glob("*.ttl")):
            name = ox.NamedNode(f"https://w3id.org/gfmd/graph/{folder}/{path.stem}")
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=name,
                            base_iri=path.resolve().as_uri())
    return store


_UNIQUE_QUERIES = {
    "duplicate label within a class": """
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?this ?other ?value WHERE {
          ?this a ?class ; rdfs:label ?value .
          ?other a ?class ; rdfs:label ?value .
          FILTER(?other != ?this)
          FILTER(STRSTARTS(STR(?class), "https://w3id.org/gfmd/ontology#"))
          FILTER NOT EXISTS { ?sub rdfs:subClassOf ?class . ?this a ?sub . FILTER(?sub != ?class) }
        } LIMIT 20""",
    # Two entries may share an id where the source gives one id to two practices and both
    # say so in a skos:editorialNote (the exemption of the PfpIdUnique shape).
    "duplicate PfP id": """
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?this ?other ?value WHERE {
          ?this gfmd:pfpId ?value . ?other gfmd:pfpId ?value . FILTER(?other != ?this)
          FILTER NOT EXISTS { ?this skos:editorialNote ?n1 . ?other skos:editorialNote ?n2 }
        } LIMIT 20""",
    "PfP page not matching its id": """
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?this ?value ?id WHERE {
          ?this gfmd:pfpId ?id ; rdfs:seeAlso ?value . FILTER(STRSTARTS(STR(?value), "http://gfmd.org/pfp/ppd/"))
          FILTER(STR(?value) != CONCAT("http://gfmd.org/pfp/ppd/", ?id))
        } LIMIT 20""",
    "duplicate notation in a scheme": """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?scheme ?value (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s skos:notation ?value ; skos:inScheme ?scheme }
        GROUP BY ?scheme ?value HAVING (COUNT(DISTINCT ?s) > 1) LIMIT 20""",
    "recommendation position taken twice": """
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        SELECT ?class ?place ?value (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s a ?class ; gfmd:orderIndex ?value ; (gfmd:focusArea|gfmd:section) ?place .
          FILTER(?class IN (gfmd:PolicyOption, gfmd:PracticalActionOption, gfmd:KeyRecommendation,
                            gfmd:GeneralRecommendation, gfmd:SpecificRecommendation))
        } GROUP BY ?class ?place ?value HAVING (COUNT(DISTINCT ?s) > 1) LIMIT 20""",
    "dangling reference": """
        SELECT DISTINCT ?value WHERE {
          ?s ?p ?value . FILTER(isIRI(?value) && STRSTARTS(STR(?value), "https://w3id.org/gfmd/id/"))
          FILTER NOT EXISTS { ?value a ?type }
        } LIMIT 20""",
}


def check_unique(root: Path, store: ox.Store | None = None) -> list[str]:
    """Problems with the keys of a generated folder; empty when every key is unique.

    Checks labels per class, PfP ids and pages, notations per scheme, recommendation
    positions, dangling links, and that no two copies collapsed into one (the triple count
    equals the one of the manifest).
    """
    store = store or load_store(root)
    problems = []
    for what, query in _UNIQUE_QUERIES.items():
        for row in store.query(query, use_default_graph_as_union=True):
            problems.append(f"{what}: " + ", ".join(str(v) for v in row))
    manifest = root / "synthetic.json"
    if manifest.exists():
        expected = json.loads(manifest.read_text(encoding="utf-8"))["total_triples"]
        count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                      use_default_graph_as_union=True)))["n"].value
        if int(count) != expected:
            problems.append(f"triple count: {count} distinct triples, expected {expected} "
                            "(copies collided or a file was not written whole)")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factor", type=float, default=100.0,
                    help="target size as a multiple of the bundled ontology + data (default 100)")
    ap.add_argument("--copies", type=int, help="number of copies of the copied resources (overrides --factor)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    ap.add_argument("--source", type=Path, default=REPO, help="folder with the bundled ontology/ shapes/ data/ queries/")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--check", action="store_true", help="load the result and run the uniqueness checks")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    copies = args.copies or Generator.copies_for_factor(args.factor, args.source)
    plan = Generator(args.source, copies=copies, seed=args.seed).write(args.out)
    print(f"wrote {args.out}: {plan.copies} copies, {plan.total_triples:,} triples "
          f"(x{plan.factor:.1f} of {plan.bundled_triples:,}; shared {plan.ontology_triples + plan.shared_triples:,}, "
          f"{plan.copied_triples:,} per copy) in {time.perf_counter() - t0:.1f} s")
    if args.check:
        t1 = time.perf_counter()
        problems = check_unique(args.out)
        for p in problems:
            print("  " + p)
        print(f"uniqueness check: {'OK' if not problems else f'{len(problems)} problem(s)'} "
              f"in {time.perf_counter() - t1:.1f} s")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
