"""Load the ontology, data and shapes, keeping which file every triple came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .paths import data_dir, ontology_dir, project_root, shapes_dir
from .store import file_graph_name
from .turtle_format import parse_turtle


def graph_name(path: Path, root: Path) -> URIRef:
    """Name of the named graph holding one file: ``…/graph/<folder>/<stem>``.

    >>> str(graph_name(Path("/x/data/hlpf-2017.ttl"), Path("/x")))
    'https://w3id.org/gfmd/graph/data/hlpf-2017'
    """
    return URIRef(file_graph_name(path, root))


@dataclass
class LoadedGraph:
    """The merged graph of a project folder plus the file each part came from."""

    root: Path
    files: dict[URIRef, Path] = field(default_factory=dict)
    graphs: dict[URIRef, Graph] = field(default_factory=dict)

    def merged(self, *, kinds: tuple[str, ...] = ("ontology", "data")) -> Graph:
        """One graph holding the union of the files of the given folders."""
        out = Graph()
        for name, graph in self.graphs.items():
            if self.kind(name) in kinds:
                for triple in graph:
                    out.add(triple)
        return out

    def kind(self, name: URIRef) -> str:
        return self.files[name].relative_to(self.root).parts[0]

    def dataset(self, *, kinds: tuple[str, ...] = ("ontology", "data")) -> Dataset:
        """An rdflib Dataset with one named graph per file."""
        ds = Dataset()
        for name, graph in self.graphs.items():
            if self.kind(name) in kinds:
                g = ds.graph(name)
                for triple in graph:
                    g.add(triple)
        return ds

    def files_defining(self, subject) -> list[Path]:
        """Files in which ``subject`` appears as a subject."""
        return [self.files[n] for n, g in self.graphs.items() if (subject, None, None) in g]


def turtle_files(root: Path | None = None, *, kinds=("ontology", "data", "shapes")) -> list[Path]:
    """Every Turtle file of the given folders, sorted."""
    root = root or project_root()
    folders = {"ontology": ontology_dir(root), "data": data_dir(root), "shapes": shapes_dir(root)}
    files: list[Path] = []
    for kind in kinds:
        files.extend(sorted(folders[kind].glob("*.ttl")))
    return files


def load_project(root: Path | None = None, *, kinds=("ontology", "data", "shapes")) -> LoadedGraph:
    """Parse every Turtle file of the project into its own named graph.

    Raises :class:`~gfmd_graph.errors.GfmdSyntaxError` (file, line, column) on
    the first file that does not parse; use :func:`parse_all` to collect every error.
    """
    root = (root or project_root()).resolve()
    loaded = LoadedGraph(root=root)
    for path in turtle_files(root, kinds=kinds):
        name = graph_name(path.resolve(), root)
        loaded.files[name] = path.resolve()
        loaded.graphs[name] = parse_turtle(path.read_text(encoding="utf-8"), source=path)
    return loaded
