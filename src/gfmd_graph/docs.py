"""HTML documentation of the ontology: one self-contained, deterministic page.

:func:`render_ontology_html` reads the ontology, the shapes and the data of a
:class:`~gfmd_graph.load.LoadedGraph` and renders every class and property of the
``gfmd:`` namespace with its definition, hierarchy, alignments, shapes, usage and
examples. No network access, no external assets: CSS is inline.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, StrictUndefined
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from .load import LoadedGraph
from .namespaces import GFMD, ONTOLOGY_IRI
from .report import compact
from .turtle_format import natural_key

VANN = "http://purl.org/vocab/vann/"
PROPERTY_KINDS = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
                  OWL.AnnotationProperty: "annotation property"}
CHARACTERISTICS = {OWL.TransitiveProperty: "transitive", OWL.FunctionalProperty: "functional",
                   OWL.InverseFunctionalProperty: "inverse functional", OWL.SymmetricProperty: "symmetric",
                   OWL.AsymmetricProperty: "asymmetric", OWL.ReflexiveProperty: "reflexive",
                   OWL.IrreflexiveProperty: "irreflexive"}
CLASS_ALIGNMENTS = (OWL.equivalentClass, SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch,
                    SKOS.narrowMatch, RDFS.seeAlso)
PROPERTY_ALIGNMENTS = (OWL.equivalentProperty, SKOS.exactMatch, SKOS.closeMatch, RDFS.seeAlso)
EXAMPLES = 3


def curie(iri) -> str:
    """The prefixed name of an IRI, or ``<iri>`` when no project prefix fits.

    >>> curie(URIRef("https://w3id.org/gfmd/ontology#Summit"))
    'gfmd:Summit'
    """
    return compact(str(iri))


def anchor(iri, kind: str) -> str:
    """The id of a term's section: ``class-Summit``, ``property-chair``, ``term-dcat-Dataset``.

    >>> anchor(GFMD.Summit, "class"), anchor(URIRef("http://www.w3.org/ns/dcat#Dataset"), "term")
    ('class-Summit', 'term-dcat-Dataset')
    """
    if kind != "term" and str(iri).startswith(str(GFMD)):
        return f"{kind}-{str(iri)[len(GFMD):]}"
    return "term-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in curie(iri).strip("<>"))


class _Docs:
    """Collects what the template shows from the ontology, shapes and data graphs."""

    def __init__(self, loaded: LoadedGraph) -> None:
        kinds = {loaded.kind(n) for n in loaded.graphs}
        self.onto = loaded.merged(kinds=("ontology",))
        self.shapes = loaded.merged(kinds=("shapes",)) if "shapes" in kinds else Graph()
        self.data = loaded.merged(kinds=("data",)) if "data" in kinds else Graph()
        self.classes = self._sorted(s for s in self.onto.subjects(RDF.type, OWL.Class) if self._own(s))
        self.properties = self._sorted(s for kind in PROPERTY_KINDS for s in self.onto.subjects(RDF.type, kind)
                                       if self._own(s))
        own = set(self.classes) | set(self.properties)
        self.external = self._sorted(s for kind in (OWL.Class, *PROPERTY_KINDS) for s in self.onto.subjects(RDF.type, kind)
                                     if isinstance(s, URIRef) and s not in own and str(s) != ONTOLOGY_IRI)
        self.anchors = {c: anchor(c, "class") for c in self.classes}
        self.anchors.update({p: anchor(p, "property") for p in self.properties})
        self.anchors.update({t: anchor(t, "term") for t in self.external})

    @staticmethod
    def _own(node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(str(GFMD))

    @staticmethod
    def _sorted(nodes) -> list:
        return sorted(set(nodes), key=lambda n: natural_key(curie(n)))

    # -- terms and expressions -------------------------------------------------------
    def text(self, graph: Graph, node, prop) -> str:
        values = sorted(graph.objects(node, prop), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
        return str(values[0]) if values else ""

    def ref(self, node) -> dict:
        """A link to a term: internal anchor when documented here, else the IRI itself."""
        href = f"#{self.anchors[node]}" if node in self.anchors else str(node)
        label = self.text(self.onto, node, RDFS.label) or self.text(self.data, node, RDFS.label)
        return {"kind": "term", "curie": curie(node), "href": href, "label": label}

    def expr(self, node) -> dict:
        """A class expression: a term, or a union/intersection/complement shown in words."""
        if isinstance(node, URIRef):
            return self.ref(node)
        for prop, op in ((OWL.unionOf, "or"), (OWL.intersectionOf, "and")):
            head = self.onto.value(node, prop)
            if head is not None:
                items = [self.expr(x) for x in Collection(self.onto, head)]
                return {"kind": "list", "op": op, "items": items}
        complement = self.onto.value(node, OWL.complementOf)
        if complement is not None:
            return {"kind": "not", "item": self.expr(complement)}
        return {"kind": "text", "text": "an anonymous class expression"}

    def _members(self, node) -> set:
        """Named classes mentioned by a domain/range expression (the class itself or a union's members)."""
        if isinstance(node, URIRef):
            return {node}
        head = self.onto.value(node, OWL.unionOf)
        return set(Collection(self.onto, head)) if head is not None else set()

    def refs(self, nodes) -> list[dict]:
        return [self.ref(n) for n in self._sorted(n for n in nodes if isinstance(n, URIRef))]

    # -- sections ---------------------------------------------------------------------------
    def metadata(self) -> dict:
        o, onto = URIRef(ONTOLOGY_IRI), self.onto
        return {
            "iri": ONTOLOGY_IRI,
            "title": self.text(onto, o, DCTERMS.title) or self.text(onto, o, RDFS.label) or "Ontology",
            "description": self.text(onto, o, DCTERMS.description),
            "comment": self.text(onto, o, RDFS.comment),
            "version": self.text(onto, o, OWL.versionInfo),
            "version_iri": self.text(onto, o, OWL.versionIRI),
            "license": self.text(onto, o, DCTERMS.license),
            "creators": sorted(str(c) for c in onto.objects(o, DCTERMS.creator)),
            "issued": self.text(onto, o, DCTERMS.issued),
            "modified": self.text(onto, o, DCTERMS.modified),
            "namespace": self.text(onto, o, URIRef(VANN + "preferredNamespaceUri")) or str(GFMD),
            "prefix": self.text(onto, o, URIRef(VANN + "preferredNamespacePrefix")) or "gfmd",
        }

    def superclasses(self, cls) -> list:
        """Every named superclass, nearest first (breadth-first), without ``cls`` itself."""
        seen, queue, out = {cls}, [cls], []
        while queue:
            nxt = []
            for c in queue:
                for sup in self._sorted(s for s in self.onto.objects(c, RDFS.subClassOf) if isinstance(s, URIRef)):
                    if sup not in seen:
                        seen.add(sup)
                        out.append(sup)
                        nxt.append(sup)
            queue = nxt
        return out

    def subclasses(self, cls, *, transitive: bool = False) -> list:
        out, queue = [], [cls]
        while queue:
            direct = self._sorted(s for c in queue for s in self.onto.subjects(RDFS.subClassOf, c)
                                  if isinstance(s, URIRef) and s not in out)
            out.extend(direct)
            queue = direct if transitive else []
        return out

    def disjoint(self, cls) -> list:
        others = set(self.onto.objects(cls, OWL.disjointWith)) | set(self.onto.subjects(OWL.disjointWith, cls))
        for group in self.onto.subjects(RDF.type, OWL.AllDisjointClasses):
            head = self.onto.value(group, OWL.members)
            members = list(Collection(self.onto, head)) if head is not None else []
            if cls in members:
                others |= set(members) - {cls}
        return self.refs(others)

    def instances(self, cls) -> tuple[int, int, list[dict]]:
        direct = self._sorted(self.data.subjects(RDF.type, cls))
        everything = set(direct)
        for sub in self.subclasses(cls, transitive=True):
            everything |= set(self.data.subjects(RDF.type, sub))
        pool = direct or self._sorted(everything)
        examples = [{"curie": curie(s), "iri": str(s), "label": self.text(self.data, s, RDFS.label)}
                    for s in pool[:EXAMPLES]]
        return len(direct), len(everything), examples

    def shape_rows(self, cls) -> list[dict]:
        """The node shapes targeting ``cls`` or one of its superclasses, with their property constraints."""
        out = []
        for target in [cls, *self.superclasses(cls)]:
            for shape in self._sorted(self.shapes.subjects(SH.targetClass, target)):
                constraints = [self.constraint(p) for p in self.shapes.objects(shape, SH.property)]
                constraints.sort(key=lambda c: (not c["required"], natural_key(c["path"]), c["shape"]))
                rules = sorted(self.text(self.shapes, r, RDFS.label) or curie(r)
                               for r in self.shapes.objects(shape, SH.sparql))
                pattern = self.text(self.shapes, shape, SH.pattern)
                out.append({"shape": curie(shape), "via": None if target == cls else self.ref(target),
                            "constraints": constraints, "rules": rules, "pattern": pattern})
        return out

    def constraint(self, prop_shape) -> dict:
        g = self.shapes
        path = g.value(prop_shape, SH.path)
        min_count = g.value(prop_shape, SH.minCount) or g.value(prop_shape, SH.qualifiedMinCount)
        max_count = g.value(prop_shape, SH.maxCount)
        values = []
        for prop, word in ((SH.datatype, "datatype"), (SH["class"], "class"), (SH.hasValue, "value"),
                           (SH.nodeKind, "node kind"), (SH.pattern, "pattern")):
            for v in g.objects(prop_shape, prop):
                values.append(f"{word} {curie(v) if isinstance(v, URIRef) else v}")
        languages = g.value(prop_shape, SH.languageIn)
        if languages is not None:
            values.append("language " + ", ".join(str(x) for x in Collection(g, languages)))
        severity = g.value(prop_shape, SH.severity)
        return {"shape": curie(prop_shape), "path": curie(path) if isinstance(path, URIRef) else "(complex path)",
                "href": f"#{self.anchors[path]}" if path in self.anchors else (str(path) if path else ""),
                "min": int(min_count) if min_count is not None else 0,
                "max": int(max_count) if max_count is not None else None,
                "required": min_count is not None and int(min_count) >= 1,
                "values": sorted(values), "severity": curie(severity).split(":")[-1] if severity else "Violation",
                "message": self.text(g, prop_shape, SH.message)}

    def class_entry(self, cls) -> dict:
        direct, total, examples = self.instances(cls)
        supers = [s for s in self.onto.objects(cls, RDFS.subClassOf)]
        alignments = [{"relation": "rdfs:subClassOf", "target": self.ref(s)}
                      for s in self._sorted(s for s in supers if isinstance(s, URIRef) and not self._own(s))]
        for prop in CLASS_ALIGNMENTS:
            for o in self._sorted(self.onto.objects(cls, prop)):
                alignments.append({"relation": curie(prop), "target": self.expr(o)})
        domain_of = self._sorted(p for p in self.properties
                                 for d in self.onto.objects(p, RDFS.domain) if cls in self._members(d))
        range_of = self._sorted(p for p in self.properties
                                for r in self.onto.objects(p, RDFS.range) if cls in self._members(r))
        return {
            "anchor": self.anchors[cls], "curie": curie(cls), "iri": str(cls),
            "label": self.text(self.onto, cls, RDFS.label), "definition": self.text(self.onto, cls, SKOS.definition),
            "comment": self.text(self.onto, cls, RDFS.comment),
            "superclasses": [self.expr(s) for s in sorted(supers, key=lambda s: natural_key(curie(s)))],
            "subclasses": self.refs(self.subclasses(cls)), "disjoint": self.disjoint(cls),
            "alignments": alignments, "domain_of": self.refs(domain_of), "range_of": self.refs(range_of),
            "instances": direct, "instances_total": total, "examples": examples, "shapes": self.shape_rows(cls),
        }

    def property_entry(self, prop) -> dict:
        onto = self.onto
        kinds = [PROPERTY_KINDS[k] for k in PROPERTY_KINDS if (prop, RDF.type, k) in onto]
        inverse = set(onto.objects(prop, OWL.inverseOf)) | set(onto.subjects(OWL.inverseOf, prop))
        supers = list(onto.objects(prop, RDFS.subPropertyOf))
        alignments = [{"relation": "rdfs:subPropertyOf", "target": self.ref(s)}
                      for s in self._sorted(s for s in supers if not self._own(s))]
        for rel in PROPERTY_ALIGNMENTS:
            for o in self._sorted(onto.objects(prop, rel)):
                alignments.append({"relation": curie(rel), "target": self.expr(o)})
        return {
            "anchor": self.anchors[prop], "curie": curie(prop), "iri": str(prop),
            "label": self.text(onto, prop, RDFS.label), "definition": self.text(onto, prop, SKOS.definition),
            "comment": self.text(onto, prop, RDFS.comment), "kind": ", ".join(kinds),
            "characteristics": [w for k, w in CHARACTERISTICS.items() if (prop, RDF.type, k) in onto],
            "domain": [self.expr(d) for d in sorted(onto.objects(prop, RDFS.domain), key=str)],
            "range": [self.expr(r) for r in sorted(onto.objects(prop, RDFS.range), key=str)],
            "inverse": self.refs(inverse), "superproperties": self.refs(supers),
            "subproperties": self.refs(onto.subjects(RDFS.subPropertyOf, prop)), "alignments": alignments,
            "uses": sum(1 for _ in self.data.triples((None, prop, None))),
        }

    def context(self) -> dict:
        properties = [self.property_entry(p) for p in self.properties]
        groups = defaultdict(list)
        for p in properties:
            groups[p["kind"] or "property"].append(p)
        return {
            "meta": self.metadata(),
            "classes": [self.class_entry(c) for c in self.classes],
            "property_groups": [{"id": kind.replace(" ", "-").replace(",", "") + "-properties",
                                 "title": kind.replace(" property", "").capitalize() + " properties",
                                 "props": groups[kind]} for kind in sorted(groups)],
            "external": [dict(self.ref(t), anchor=self.anchors[t], iri=str(t)) for t in self.external],
        }


def render_ontology_html(loaded: LoadedGraph) -> str:
    """The documentation page of the ontology in ``loaded`` (with its shapes and data, if loaded).

    The output depends only on the graphs: the same input gives the same bytes.
    """
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    return env.from_string(_TEMPLATE).render(**_Docs(loaded).context())


def write_docs(loaded: LoadedGraph, out: Path) -> Path:
    """Write ``index.html`` into the folder ``out`` (created if needed); return its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    path.write_text(render_ontology_html(loaded), encoding="utf-8")
    return path


_TEMPLATE = """\
{%- macro expr(e) -%}
{%- if e.kind == "term" -%}
<a href="{{ e.href }}"{% if e.label %} title="{{ e.label }}"{% endif %}><code>{{ e.curie }}</code></a>
{%- elif e.kind == "list" -%}
{% for item in e["items"] %}{{ expr(item) }}{% if not loop.last %} <em>{{ e.op }}</em> {% endif %}{% endfor %}
{%- elif e.kind == "not" -%}
<em>not</em> {{ expr(e.item) }}
{%- else -%}
{{ e.text }}
{%- endif -%}
{%- endmacro -%}
{%- macro row(name, items) -%}
{% if items %}
<tr><th>{{ name }}</th><td>{% for e in items %}{{ expr(e) }}{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endif %}
{%- endmacro -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ meta.title }}{% if meta.version %} {{ meta.version }}{% endif %}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 68rem; padding: 1rem 2rem; color: #1b1b1b; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid #0b5394; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin: 0 0 .3rem; } code { font-size: .92em; } a { color: #0b5394; }
nav ol { columns: 3; font-size: .9em; } nav > ol { columns: 1; }
section.term { border: 1px solid #d6dde6; border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0; }
section.term:target { border-color: #0b5394; box-shadow: 0 0 0 2px #c9daf8; }
.iri { color: #555; font-size: .85em; word-break: break-all; } .definition { font-size: 1.05em; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .93em; }
th, td { text-align: left; vertical-align: top; padding: .2rem .5rem; border-bottom: 1px solid #eef1f4; }
table.kv th { width: 12rem; color: #444; font-weight: 600; }
.required { font-weight: 600; } .muted { color: #666; } .warning { color: #8a5a00; }
</style>
</head>
<body>
<header>
<h1>{{ meta.title }}</h1>
<p class="iri">{{ meta.iri }}</p>
</header>
<nav aria-label="Contents">
<h2 id="contents">Contents</h2>
<ol>
<li><a href="#metadata">Metadata</a></li>
<li><a href="#classes">Classes</a> ({{ classes|length }})
<ol>
{% for c in classes %}
<li><a href="#{{ c.anchor }}">{{ c.curie }}</a></li>
{% endfor %}
</ol></li>
{% for group in property_groups %}
<li><a href="#{{ group.id }}">{{ group.title }}</a> ({{ group.props|length }})
<ol>
{% for p in group.props %}
<li><a href="#{{ p.anchor }}">{{ p.curie }}</a></li>
{% endfor %}
</ol></li>
{% endfor %}
<li><a href="#external-terms">Terms from other vocabularies</a> ({{ external|length }})</li>
</ol>
</nav>
<main>
<section id="metadata">
<h2>Metadata</h2>
{% if meta.description %}<p>{{ meta.description }}</p>{% endif %}
<table class="kv">
<tr><th>Ontology IRI</th><td><code>{{ meta.iri }}</code></td></tr>
{% if meta.version %}<tr><th>Version</th><td>{{ meta.version }}{% if meta.version_iri %} (<code>{{ meta.version_iri }}</code>){% endif %}</td></tr>{% endif %}
<tr><th>Namespace</th><td><code>{{ meta.namespace }}</code></td></tr>
<tr><th>Preferred prefix</th><td><code>{{ meta.prefix }}:</code></td></tr>
{% if meta.license %}<tr><th>License</th><td><a href="{{ meta.license }}">{{ meta.license }}</a></td></tr>{% endif %}
{% if meta.creators %}<tr><th>Creators</th><td>{{ meta.creators|join(", ") }}</td></tr>{% endif %}
{% if meta.issued %}<tr><th>Issued</th><td>{{ meta.issued }}</td></tr>{% endif %}
{% if meta.modified %}<tr><th>Modified</th><td>{{ meta.modified }}</td></tr>{% endif %}
</table>
{% if meta.comment %}<p class="muted">{{ meta.comment }}</p>{% endif %}
</section>
<section id="classes">
<h2>Classes</h2>
{% for c in classes %}
<section class="term" id="{{ c.anchor }}">
<h3>{{ c.label or c.curie }} <code>{{ c.curie }}</code></h3>
<p class="iri">{{ c.iri }}</p>
<p class="definition">{{ c.definition }}</p>
{% if c.comment %}<p class="muted">{{ c.comment }}</p>{% endif %}
<table class="kv">
{{ row("Superclasses", c.superclasses) }}
{{ row("Subclasses", c.subclasses) }}
{{ row("Disjoint with", c.disjoint) }}
{% for a in c.alignments %}
<tr><th>Alignment</th><td><code>{{ a.relation }}</code> {{ expr(a.target) }}</td></tr>
{% endfor %}
{{ row("Domain of", c.domain_of) }}
{{ row("Range of", c.range_of) }}
<tr><th>Instances</th><td>{{ c.instances }} asserted{% if c.instances_total != c.instances %}, {{ c.instances_total }} with subclasses{% endif %}</td></tr>
{% if c.examples %}
<tr><th>Examples</th><td>{% for x in c.examples %}<code title="{{ x.iri }}">{{ x.curie }}</code>{% if x.label %} {{ x.label }}{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}</td></tr>
{% endif %}
</table>
{% for s in c.shapes %}
<details{% if not s.via %} open{% endif %}>
<summary>Shape <code>{{ s.shape }}</code>{% if s.via %} <span class="muted">(targets {{ expr(s.via) }})</span>{% endif %}</summary>
{% if s.pattern %}<p>IRI pattern: <code>{{ s.pattern }}</code></p>{% endif %}
{% if s.constraints %}
<table>
<tr><th>Property</th><th>Min</th><th>Max</th><th>Values</th><th>Severity</th><th>Message</th></tr>
{% for k in s.constraints %}
<tr{% if k.required %} class="required"{% endif %}><td>{% if k.href %}<a href="{{ k.href }}"><code>{{ k.path }}</code></a>{% else %}<code>{{ k.path }}</code>{% endif %}</td><td>{{ k.min }}</td><td>{{ k.max if k.max is not none else "*" }}</td><td>{{ k["values"]|join("; ") }}</td><td{% if k.severity == "Warning" %} class="warning"{% endif %}>{{ k.severity }}</td><td>{{ k.message }}</td></tr>
{% endfor %}
</table>
{% endif %}
{% if s.rules %}<p>Rules: {{ s.rules|join("; ") }}</p>{% endif %}
</details>
{% endfor %}
</section>
{% endfor %}
</section>
{% for group in property_groups %}
<section id="{{ group.id }}">
<h2>{{ group.title }}</h2>
{% for p in group.props %}
<section class="term" id="{{ p.anchor }}">
<h3>{{ p.label or p.curie }} <code>{{ p.curie }}</code></h3>
<p class="iri">{{ p.iri }}</p>
<p class="definition">{{ p.definition }}</p>
{% if p.comment %}<p class="muted">{{ p.comment }}</p>{% endif %}
<table class="kv">
<tr><th>Kind</th><td>{{ p.kind }}{% if p.characteristics %}; {{ p.characteristics|join(", ") }}{% endif %}</td></tr>
{{ row("Domain", p.domain) }}
{{ row("Range", p.range) }}
{{ row("Inverse", p.inverse) }}
{{ row("Super-properties", p.superproperties) }}
{{ row("Sub-properties", p.subproperties) }}
{% for a in p.alignments %}
<tr><th>Alignment</th><td><code>{{ a.relation }}</code> {{ expr(a.target) }}</td></tr>
{% endfor %}
<tr><th>Uses in the data</th><td>{{ p.uses }}</td></tr>
</table>
</section>
{% endfor %}
</section>
{% endfor %}
<section id="external-terms">
<h2>Terms from other vocabularies</h2>
<p>Declared in the ontology so that it stays OWL 2 DL; defined by their own vocabularies.</p>
<ul>
{% for t in external %}
<li id="{{ t.anchor }}"><code>{{ t.curie }}</code> <a class="iri" href="{{ t.iri }}">{{ t.iri }}</a></li>
{% endfor %}
</ul>
</section>
</main>
</body>
</html>
"""
