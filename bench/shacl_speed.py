"""Time SHACL validation of the project's data: ``python bench/shacl_speed.py [--repeat N]``.

Runs ``gfmd_graph.validate.shacl_validate`` on the data (with the ontology) against
all the shapes, as ``gfmd check`` does, N times in one process, and prints the wall and
CPU seconds of each run and their medians. Loading the Turtle files is not timed.
The machine may be shared: compare CPU seconds too, and repeat.

To time another checkout (e.g. before a change), put its ``src`` first on the path and
point ``--root`` at it::

    old=$(mktemp -d); git archive <commit> | tar -x -C "$old"
    PYTHONPATH="$old/src" python bench/shacl_speed.py --root "$old"
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()

    from gfmd_graph import validate
    from gfmd_graph.load import load_project

    project = load_project(args.root.resolve())
    data = project.merged(kinds=("data",))
    ontology = project.merged(kinds=("ontology",))
    shapes = project.merged(kinds=("shapes",))
    print(f"{validate.__file__}: {len(data)} data, {len(ontology)} ontology, {len(shapes)} shapes triples")
    walls, cpus = [], []
    for run in range(1, args.repeat + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        results = validate.shacl_validate(data, shapes, ontology)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        counts = Counter(r.severity for r in results)
        print(f"run {run}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, results {dict(sorted(counts.items()))}")
    print(f"median of {args.repeat}: {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU")


if __name__ == "__main__":
    main()
