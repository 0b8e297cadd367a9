"""Write the class table and the list of editorial notes of data/README.md from the data.

    python tools/update_data_readme.py          # after changing data files
    python tools/update_data_readme.py --check  # exit 1 if the README is out of date

The rest of the page (prose, the disagreements section) is left as it is.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from gfmd_graph.load import load_project
from gfmd_graph.stats import class_table_markdown, collect_stats, editorial_notes_markdown

NOTES_HEADING = "All editorial notes (disagreements, oddities of the text, curation decisions):\n"


def updated(readme: str, table: str, notes: str) -> str:
    """The README with its class table and its notes replaced."""
    pattern = re.compile(r"^\| class \| total \|.*?(?=\n\n)", re.S | re.M)
    if not pattern.search(readme) or NOTES_HEADING not in readme:
        raise SystemExit("data/README.md lacks the class table or the editorial notes heading")
    readme = pattern.sub(lambda _: table.rstrip("\n"), readme, count=1)
    head = readme[: readme.index(NOTES_HEADING) + len(NOTES_HEADING)]
    return head + "\n" + notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report whether the README is up to date")
    args = parser.parse_args(argv)
    path = Path(__file__).resolve().parent.parent / "data" / "README.md"
    loaded = load_project()
    text = path.read_text(encoding="utf-8")
    new = updated(text, class_table_markdown(collect_stats(loaded)), editorial_notes_markdown(loaded))
    if args.check:
        print("data/README.md is up to date" if new == text else "data/README.md is out of date")
        return 0 if new == text else 1
    path.write_text(new, encoding="utf-8")
    print("data/README.md " + ("unchanged" if new == text else "updated"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
