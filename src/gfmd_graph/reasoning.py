"""OWL 2 DL reasoning with HermiT through owlready2.

Every call uses a fresh owlready2 ``World`` so that no state leaks between
checks. HermiT needs a Java runtime (``java`` on the PATH).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, XSD

from .namespaces import GFMD

# Datatypes of the ontology that are not in the OWL 2 datatype map: HermiT refuses them,
# so the reasoner sees the OWL 2 datatype whose lexical space holds their values.
_REASONER_DATATYPES = {GFMD.EDTF: XSD.string}


class ReasonerUnavailable(RuntimeError):
    """No Java runtime to run HermiT."""


@dataclass
class ReasoningResult:
    """Outcome of a HermiT run."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def _reasoner_input(ontology: Graph, data: Graph | None) -> Graph:
    # HermiT rejects literals of datatypes outside OWL 2 (xsd:date, xsd:gYear, ...);
    # class and property axioms and individuals' types and links are what we check.
    # Axiom annotations (statement references) are kept only where their target is not a literal:
    # an owl:Axiom node without its target is not OWL.
    merged = Graph()
    for s, p, o in ontology:
        if s in _REASONER_DATATYPES:
            continue
        merged.add((s, p, _REASONER_DATATYPES.get(o, o)))
    if data is not None:
        literal_axioms = {s for s, o in data.subject_objects(OWL.annotatedTarget) if isinstance(o, Literal)}
        for s, p, o in data:
            if isinstance(o, Literal) or s in literal_axioms:
                continue
            merged.add((s, p, o))
    return merged


def reason(ontology: Graph, data: Graph | None = None) -> ReasoningResult:
    """Check consistency and class satisfiability of ``ontology`` (plus ``data``).

    Data literals are left out: they carry datatypes HermiT does not support
    and cannot make the ontology inconsistent in this model.
    """
    if shutil.which("java") is None:
        raise ReasonerUnavailable("HermiT needs a Java runtime: install one (e.g. default-jre-headless)")
    import owlready2  # imported late: it is slow to import and only needed here

    graph = _reasoner_input(ontology, data)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "merged.nt")
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology("file://" + path).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasoningResult(consistent=False, explanation=str(exc).strip()[-2000:])
        unsat = sorted(c.iri for c in world.inconsistent_classes())
        world.close()
    return ReasoningResult(consistent=True, unsatisfiable=unsat)


def declared_classes(ontology: Graph) -> set:
    """Return the IRIs declared as ``owl:Class`` in ``ontology``."""
    return set(ontology.subjects(RDF.type, OWL.Class))
