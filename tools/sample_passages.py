"""Draw a random sample of source lines and list the statements that cite each one.

This is the measuring stick for "how much of what the sources state is data": a reader takes
each sampled line, counts the facts it states, and checks each against the statements printed
under it (a fact is *structured* when a statement other than a description, note or verbatim
text carries it). docs/coverage-sample.md records one such reading.

Run from the repository root:

    python tools/sample_passages.py --seed 20261203 --per-document 4 --total 60 > sample.md

Lines are drawn from those longer than ``--min-chars`` characters (shorter ones are headings,
table rules and blank lines). Every document gets at least ``--per-document`` lines and the rest
is spread in proportion to each document's eligible lines, so the sample is reproducible from
the seed and stays representative of where the text is.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from gfmd_graph.load import load_project  # noqa: E402
from gfmd_graph.namespaces import GFMD, PREFIXES  # noqa: E402
from gfmd_graph.passages import parse_passage, source_lines  # noqa: E402
from gfmd_graph.paths import sources_dir  # noqa: E402
from gfmd_graph.statement_references import referenced  # noqa: E402

# Statements that hold text rather than data: a fact only here counts as free text.
TEXT_PROPERTIES = frozenset({DCTERMS.description, SKOS.note, SKOS.definition, RDFS.comment,
                             GFMD.text, GFMD.statedAs, SKOS.scopeNote})


def eligible_lines(folder: Path, min_chars: int) -> dict[str, list[int]]:
    """For each source document, the numbers of its lines longer than ``min_chars``."""
    out = {}
    for path in sorted(folder.glob("0*.txt")):
        lines = source_lines(str(path))
        out[path.name] = [i + 1 for i, line in enumerate(lines) if len(line.strip()) > min_chars]
    return out


def draw(eligible: dict[str, list[int]], seed: int, total: int, per_document: int) -> list[tuple[str, int]]:
    """A reproducible sample: at least ``per_document`` lines each, the rest in proportion."""
    rng = random.Random(seed)
    size = sum(len(v) for v in eligible.values())
    out = []
    for name, lines in eligible.items():
        share = max(per_document, round(total * len(lines) / size))
        out.extend((name, n) for n in sorted(rng.sample(lines, min(share, len(lines)))))
    return out


def citing(refs: dict[tuple, set[str]], name: str, line: int) -> list[tuple[int, tuple, str]]:
    """Statements whose reference covers the line, narrowest passage first."""
    out = []
    for triple, passages in refs.items():
        for passage in passages:
            p = parse_passage(passage)
            if p and p.file == name and p.start <= line <= p.end:
                out.append((p.end - p.start, triple, passage))
                break
    return sorted(out, key=lambda item: (item[0], str(item[1])))


def show(graph, term) -> str:
    if isinstance(term, Literal):
        text = str(term)
        return repr(text[:90] + ("…" if len(text) > 90 else ""))
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - an IRI without a known prefix is shown whole
            return f"<{term}>"
    return str(term)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--total", type=int, default=60)
    parser.add_argument("--per-document", type=int, default=4)
    parser.add_argument("--min-chars", type=int, default=60)
    parser.add_argument("--widest", type=int, default=40, help="skip passages wider than this many lines")
    args = parser.parse_args(argv)
    folder = sources_dir()
    if folder is None:
        print("the source documents are not at hand (../shared/sources or GFMD_SOURCES)", file=sys.stderr)
        return 2
    graph = load_project(ROOT, kinds=("ontology", "data")).merged()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    refs = referenced(graph)
    sample = draw(eligible_lines(folder, args.min_chars), args.seed, args.total, args.per_document)
    print(f"# Sample: seed {args.seed}, {len(sample)} lines over {args.min_chars} characters\n")
    for name, line in sample:
        text = source_lines(str(folder / name))[line - 1]
        print(f"## {name} line {line}\n\n> {text.strip()}\n")
        for width, (s, p, o), passage in citing(refs, name, line):
            if width >= args.widest:
                continue
            kind = "text" if p in TEXT_PROPERTIES else "data"
            print(f"- [{kind}] {show(graph, s)} {show(graph, p)} {show(graph, o)}  ({passage.split('#')[1]})")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
