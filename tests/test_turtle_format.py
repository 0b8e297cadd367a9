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


def test_statement_references_follow_their_subject_block():
    from gfmd_graph.turtle_format import format_turtle

    text = """@prefix gfmd: <https://w3id.org/gfmd/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix practice: <https://w3id.org/gfmd/id/practice/> .
[] a owl:Axiom ; gfmd:sourcePassage "x#L1-L1" ; owl:annotatedTarget "b"@en ; owl:annotatedProperty gfmd:text ; owl:annotatedSource practice:a .
[] a owl:Axiom ; gfmd:sourcePassage "x#L2-L2" ; owl:annotatedTarget "a"@en ; owl:annotatedProperty gfmd:text ; owl:annotatedSource practice:a .
practice:b a gfmd:Practice . practice:a a gfmd:Practice ; gfmd:text "a"@en, "b"@en ."""
    blocks = format_turtle(text).split("\n\n")
    assert blocks[1].startswith("practice:a a gfmd:Practice")
    assert blocks[2] == ('[] a owl:Axiom ;\n    owl:annotatedSource practice:a ;\n    owl:annotatedProperty gfmd:text ;\n'
                         '    owl:annotatedTarget "a"@en ;\n    gfmd:sourcePassage "x#L2-L2" .')
    assert blocks[3].endswith('owl:annotatedTarget "b"@en ;\n    gfmd:sourcePassage "x#L1-L1" .')
    assert blocks[4].startswith("practice:b a gfmd:Practice")
    assert format_turtle(format_turtle(text)) == format_turtle(text)
