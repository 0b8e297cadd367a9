"""Where this service serves an IRI of the graph."""

from __future__ import annotations

from gfmd_graph.namespaces import ONTOLOGY_IRI


def local_path(iri: str, base: str) -> str | None:
    """The path of ``iri`` on this service (``/id/...``, ``/ontology...``), or None for an outside IRI."""
    if iri.startswith(base + "id/"):
        return "/" + iri[len(base):]
    if iri.startswith(ONTOLOGY_IRI):
        return "/ontology" + iri[len(ONTOLOGY_IRI):]
    return None
