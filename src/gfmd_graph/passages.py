"""Source passages, ``<file>#L<start>-L<end>``: parse them and read their lines.

>>> parse_passage("001_69fe85e28a4c7925.txt#L471-L482")
Passage(file='001_69fe85e28a4c7925.txt', start=471, end=482)
>>> parse_passage("001_69fe85e28a4c7925.txt#L9-L3") is None  # runs backwards
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .paths import sources_dir

_PASSAGE = re.compile(r"([^#\s]+)#L([0-9]+)-L([0-9]+)")


class Passage(NamedTuple):
    """A line range of one source document (lines counted from 1, both ends included)."""

    file: str
    start: int
    end: int


def parse_passage(value) -> Passage | None:
    """The passage a ``gfmd:sourcePassage`` value names; None if malformed or the range runs backwards."""
    m = _PASSAGE.fullmatch(str(value))
    if not m or int(m.group(2)) > int(m.group(3)) or int(m.group(2)) < 1:
        return None
    return Passage(m.group(1), int(m.group(2)), int(m.group(3)))


@lru_cache(maxsize=16)
def source_lines(path: str) -> tuple[str, ...]:
    """The lines of a source document (read once)."""
    return tuple(Path(path).read_text(encoding="utf-8").split("\n"))


def passage_text(passage: str, folder: Path | None = None) -> str | None:
    """The text of a passage, or None if it is malformed or its document is not at hand."""
    parsed = parse_passage(passage)
    folder = folder or sources_dir()
    if parsed is None or folder is None or not (folder / parsed.file).is_file():
        return None
    return "\n".join(source_lines(str(folder / parsed.file))[parsed.start - 1:parsed.end])
