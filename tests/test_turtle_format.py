"""The canonical formatter: every project file is canonical and round-trips without loss."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from gfmd_graph.load import turtle_files
from gfmd_graph.turtle_format import format_turtle, parse_turtle
from gfmd_graph.errors import GfmdSyntaxError

ROOT = Path(__file__).resolve().parent.parent
FILES = turtle_files(ROOT)


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_file_is_canonical_and_lossless(path):
    text = path.read_text(encoding="utf-8")
    canonical = format_turtle(text, source=path)
    assert canonical == text, f"{path} is not canonical: run `gfmd fmt`"
    assert isomorphic(parse_turtle(canonical), parse_turtle(text))


def test_formatting_is_idempotent_and_sorted():
    text = ('@prefix gfmd: <https://w3id.org/gfmd/ontology#> .\n'
            'gfmd:b gfmd:p "z"@en, "a"@en ; a gfmd:C . gfmd:a a gfmd:C ; gfmd:q ( 1 2 ) ; gfmd:r [ gfmd:s 3 ] .')
    once = format_turtle(text)
    assert format_turtle(once) == once
    assert once.index("gfmd:a a gfmd:C") < once.index("gfmd:b a gfmd:C")
    assert '"a"@en,\n        "z"@en' in once
    assert isomorphic(parse_turtle(once), parse_turtle(text))


def test_syntax_error_names_file_and_line():
    with pytest.raises(GfmdSyntaxError) as info:
        parse_turtle("<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"open .\n", source="data/x.ttl")
    assert info.value.file == "data/x.ttl"
    assert info.value.line == 2
