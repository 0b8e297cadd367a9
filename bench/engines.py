"""Compare the query engines the library could use, on the named queries over the bundled graph.

    python bench/engines.py [--repeat 5]

Prints, per competency query, the median time of rdflib's own SPARQL engine and of
pyoxigraph, and the ratio; checks both give the same number of rows.
"""

from __future__ import annotations

import argparse
import statistics
import time

from gfmd_graph.load import load_project
from gfmd_graph.query import named_queries
from gfmd_graph.store import EmbeddedStore


def median_time(run, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    merged = load_project(kinds=("ontology", "data")).merged()
    rdflib_load = time.perf_counter() - started
    started = time.perf_counter()
    store = EmbeddedStore().store
    oxigraph_load = time.perf_counter() - started
    print(f"load: rdflib {rdflib_load * 1000:.0f} ms, pyoxigraph {oxigraph_load * 1000:.0f} ms "
          f"({rdflib_load / oxigraph_load:.0f}x), {len(merged)} triples")
    print(f"{'query':40} {'rdflib ms':>10} {'oxigraph ms':>12} {'ratio':>7} rows")
    totals = [0.0, 0.0]
    for name, query in named_queries().items():
        if not name.startswith("cq/"):
            continue
        text = query.bind({})
        slow, rows_a = median_time(lambda: len(list(merged.query(text))), args.repeat)
        fast, rows_b = median_time(
            lambda: len(list(store.query(text, use_default_graph_as_union=True))), args.repeat)
        assert rows_a == rows_b, f"{name}: rdflib {rows_a} rows, pyoxigraph {rows_b}"
        totals[0] += slow
        totals[1] += fast
        print(f"{name:40} {slow * 1000:10.1f} {fast * 1000:12.2f} {slow / fast:7.0f} {rows_a}")
    print(f"{'all competency queries':40} {totals[0] * 1000:10.1f} {totals[1] * 1000:12.2f} "
          f"{totals[0] / totals[1]:7.0f}")


if __name__ == "__main__":
    main()
