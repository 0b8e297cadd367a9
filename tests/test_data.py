"""The curated data: conforms to the shapes and passes every quality rule."""

from __future__ import annotations

from gfmd_graph.checks import run_checks


def test_real_data_passes_the_gate():
    results = run_checks(reason=False)
    errors = [r.line_text() for r in results if r.level == "ERROR"]
    assert errors == []


def test_every_resource_has_provenance(store):
    rows = store.select("""
        PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
        SELECT ?s WHERE {
          GRAPH ?g { ?s a ?type }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/gfmd/graph/data/"))
          FILTER NOT EXISTS { ?s a gfmd:ReferenceDataset }
          FILTER NOT EXISTS { ?s gfmd:sourcePassage ?p }
        }""")
    assert rows == []
