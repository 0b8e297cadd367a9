"""SHACL validation of the data (with the ontology) against the shapes."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH


@dataclass(frozen=True)
class ShaclResult:
    """One SHACL validation result, flattened."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str | None
    value: str | None
    message: str
    source_shape: str  # the SPARQL constraint for sh:sparql results, else the shape


def shacl_validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> list[ShaclResult]:
    """Validate ``data`` (merged with ``ontology``) against ``shapes``; return every result.

    The ontology is merged into the data graph so that ``sh:targetClass`` reaches
    instances of subclasses (SHACL follows ``rdfs:subClassOf`` in the data graph).
    """
    import pyshacl  # slow import, only needed here

    graph = Graph()
    for triple in data:
        graph.add(triple)
    if ontology is not None:
        for triple in ontology:
            graph.add(triple)
    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
    )
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        messages = [str(m) for m in report.objects(node, SH.resultMessage)]
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        results.append(ShaclResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(report.value(node, SH.focusNode)),
            path=str(path) if isinstance(path, URIRef) else None,
            value=_show(value),
            message=" ".join(sorted(set(messages))) or "Constraint violated",
            source_shape=str(report.value(node, SH.sourceConstraint) or report.value(node, SH.sourceShape)),
        ))
    return sorted(results, key=lambda r: (r.severity != "Violation", r.focus, r.path or "", r.message))


def _show(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        return str(value)
    return str(value)
