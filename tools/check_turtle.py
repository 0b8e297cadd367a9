"""Parse a Turtle file and print basic facts; used while curating by hand."""
import collections
import sys

import rdflib
from rdflib.namespace import PROV, RDF, RDFS

GFMD = rdflib.Namespace("https://w3id.org/gfmd/ontology#")

for path in sys.argv[1:]:
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    subjects = set(g.subjects())
    problems = []
    for s in subjects:
        if isinstance(s, rdflib.BNode):
            problems.append(f"blank node subject {s}")
            continue
        if (s, RDF.type, None) not in g:
            problems.append(f"{s}: no rdf:type")
        labels = [o for o in g.objects(s, RDFS.label) if getattr(o, "language", None) == "en"]
        if len(labels) != 1:
            problems.append(f"{s}: {len(labels)} @en rdfs:label")
        if (s, PROV.wasDerivedFrom, None) not in g:
            problems.append(f"{s}: no prov:wasDerivedFrom")
        if (s, GFMD.sourcePassage, None) not in g:
            problems.append(f"{s}: no gfmd:sourcePassage")
    types = collections.Counter(o for o in g.objects(None, RDF.type))
    print(f"{path}: {len(g)} triples, {len(subjects)} subjects")
    for t, n in sorted(types.items(), key=lambda x: -x[1]):
        print(f"  {n:4d} {t}")
    for p in problems:
        print("  PROBLEM", p)
