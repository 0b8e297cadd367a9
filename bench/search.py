"""Time the graph's search (gfmd_graph.search): index build and per-query latency.

On the bundled graph and on a synthetic graph F times as big (``bench/synthetic.py``),
builds the index once, then runs every query of the mix ``--repeat`` times and prints the
median and 99th percentile per query, in milliseconds.

    python bench/search.py                      # bundled and x10
    python bench/search.py --factor 1 --repeat 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (bench/synthetic.py)

from gfmd_graph.load import load_project  # noqa: E402
from gfmd_graph.search import SearchIndex  # noqa: E402

#: (query, options): codes, acronyms, words, prefixes, other languages and scripts, a kind filter.
QUERIES = (
    ("10.7", {}),
    ("GFMD", {}),
    ("labour migration", {}),
    ("mig", {}),
    ("remittances", {}),
    ("Philippines (les)", {"languages": ("fr",)}),
    ("inegalites", {"languages": ("fr",)}),
    ("移民", {"languages": ("zh",)}),
    ("هجرة", {"languages": ("ar",)}),
    ("миграции", {"languages": ("ru",)}),
    ("migration", {"kind": "Practice"}),
    ("a", {}),
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(root: Path, repeat: int) -> None:
    t0 = time.perf_counter()
    graph = load_project(root, kinds=("ontology", "data")).merged()
    t1 = time.perf_counter()
    index = SearchIndex(graph)
    t2 = time.perf_counter()
    print(f"{len(graph):,} triples: loaded in {t1 - t0:.2f} s, index built in {t2 - t1:.2f} s "
          f"({len(index.entries):,} literals, {len(index.postings):,} tokens)")
    print(f"  {'query':<24} {'median ms':>10} {'p99 ms':>8} {'hits':>5}")
    for query, options in QUERIES:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            hits = index.search(query, limit=10, **options)
            times.append((time.perf_counter() - start) * 1000)
        label = query + (f" ({', '.join(f'{k}={v}' for k, v in options.items())})" if options else "")
        print(f"  {label[:24]:<24} {statistics.median(times):>10.2f} {percentile(times, 99):>8.2f} {len(hits):>5}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--factor", default="1,10", help="datasets: 1 is the bundled graph, F > 1 synthetic (default 1,10)")
    ap.add_argument("--repeat", type=int, default=100, help="runs of each query (default 100)")
    args = ap.parse_args(argv)
    for factor in (float(f) for f in args.factor.split(",")):
        print(f"== x{factor:g}")
        if factor <= 1:
            run(synthetic.REPO, args.repeat)
            continue
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"gfmd-x{factor:g}"
            synthetic.Generator(synthetic.REPO, copies=synthetic.Generator.copies_for_factor(factor)).write(out)
            run(out, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
