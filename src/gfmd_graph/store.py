"""One interface over the store that answers queries: embedded pyoxigraph, or a remote SPARQL server.

Both take a :class:`QueryRequest` and return a :class:`QueryAnswer` already
serialised in the requested format, with the row and byte caps applied, so the
web service and the command line treat them alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import GfmdError, GfmdSyntaxError
from .formats import Format, by_name
from .paths import data_dir, ontology_dir, project_root
from .result_writer import write_native, write_result, writes_natively
from .sparql_guard import inspect_query

GRAPH_BASE = "https://w3id.org/gfmd/graph/"  # namespaces.GRAPH, kept free of rdflib for the query workers
EMPTY_GRAPH = "urn:x-gfmd:empty-graph"  # names no graph, and no URL scheme a server could fetch


class StoreError(GfmdError):
    """The store could not answer (remote server down, bad answer, I/O error)."""


@dataclass(frozen=True)
class QueryRequest:
    """A query with its protocol dataset, the wanted format and the caps."""

    query: str
    format: str  # a name known to formats.by_name
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    max_bytes: int = 50_000_000
    prefixes: dict[str, str] = field(default_factory=dict)
    base_iri: str | None = None  # relative IRIs of the query resolve against it (the query's BASE wins)


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised answer: body, media type, the number of rows/triples, and any truncation."""

    body: bytes
    media_type: str
    count: int
    truncated: str | None = None


def query_dataset(request: QueryRequest) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The (default graphs, named graphs) a request runs over, or None for the store's default.

    The protocol's ``default-graph-uri`` / ``named-graph-uri`` override the query's
    ``FROM`` / ``FROM NAMED`` (SPARQL 1.1 Protocol 2.1.4); without either, the query's
    own dataset applies (read with the request's base IRI); without that, None.
    """
    if request.default_graphs or request.named_graphs:
        return request.default_graphs, request.named_graphs
    text = f"BASE <{request.base_iri}>\n{request.query}" if request.base_iri else request.query
    info = inspect_query(text)
    if info.from_graphs or info.from_named_graphs:
        return info.from_graphs, info.from_named_graphs
    return None


def project_files(root: Path | None = None) -> list[Path]:
    """The Turtle files served: the ontology and the data, sorted."""
    root = root or project_root()
    return sorted(ontology_dir(root).glob("*.ttl")) + sorted(data_dir(root).glob("*.ttl"))


def file_graph_name(path: Path, root: Path) -> str:
    """The named graph of one file, ``https://w3id.org/gfmd/graph/<folder>/<stem>``."""
    return GRAPH_BASE + path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()


def dataset_version(files: list[Path]) -> str:
    """A short content hash of the served files: the same data gives the same version everywhere."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class EmbeddedStore:
    """An in-memory pyoxigraph store holding one named graph per Turtle file."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or project_root()).resolve()
        self.store = ox.Store()
        self.graph_names: list[str] = []
        for path in project_files(self.root):
            name = file_graph_name(path, self.root)
            try:
                self.store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
            except SyntaxError as exc:
                raise GfmdSyntaxError(f"{path.name}: {exc}") from exc
            self.graph_names.append(name)

    def execute(self, request: QueryRequest) -> QueryAnswer:
        """Run a query over the union of the graphs (or the protocol/query dataset) and serialise it."""
        fmt = _format(request.format)
        options: dict = {}
        # The engine looks the dataset's graphs up in the store and never fetches one: a graph
        # it does not hold is an empty graph (SPARQL 1.1 Query 13).
        if request.default_graphs or request.named_graphs:  # these override FROM / FROM NAMED
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        elif query_dataset(request) is None:  # else the query's own FROM / FROM NAMED apply
            options["use_default_graph_as_union"] = True
        if request.base_iri:
            options["base_iri"] = request.base_iri
        try:
            result = self.store.query(request.query, **options)
            written = None
            if writes_natively(result, fmt):
                written = write_native(result, fmt, max_rows=request.max_rows, max_bytes=request.max_bytes)
                if written is None:  # at a cap: written again, cut at a row boundary
                    result = self.store.query(request.query, **options)
            if written is None:
                written = write_result(result, fmt, max_rows=request.max_rows, max_bytes=request.max_bytes,
                                       prefixes=request.prefixes)
        except SyntaxError as exc:
            raise GfmdSyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc
        return QueryAnswer(written.body, fmt.media_type, written.count, written.truncated)


def _format(name: str) -> Format:
    fmt = by_name(name)
    if fmt is None:
        raise GfmdError(f"unknown format {name!r}")
    return fmt


class RemoteStore:
    """A SPARQL 1.1 Protocol server (Oxigraph server, Fuseki, QLever, Virtuoso) behind the same interface.

    The default graph of the remote server is expected to hold the union of the
    data (``gfmd load`` puts it there), so the same queries give the same answers.
    Row caps cannot be applied to a remote stream; the byte cap is.
    """

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        import httpx

        self.url = url
        self.timeout = timeout
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)
        self.held: set[str] | None = None  # learned by graph_names()

    def graph_names(self) -> list[str]:
        """Names of the graphs the remote server holds."""
        answer = self.execute(QueryRequest("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g", "tsv"))
        lines = answer.body.decode().splitlines()[1:]
        names = [line.strip()[1:-1] for line in lines if line.startswith("<")]
        self.held = set(names)
        return names

    def dataset_params(self, request: QueryRequest) -> list[tuple[str, str]]:
        """The protocol dataset to send: the request's (or its query's) dataset, held graphs only.

        Graphs the server does not hold are left out, so that no server is ever asked
        to fetch one; a default graph left with none becomes :data:`EMPTY_GRAPH`. The
        parameters override the query's ``FROM`` / ``FROM NAMED`` on the server too.
        """
        dataset = query_dataset(request)
        if dataset is None:
            return []
        if self.held is None:
            self.graph_names()
        default = [g for g in dataset[0] if g in self.held] or [EMPTY_GRAPH]
        named = [g for g in dataset[1] if g in self.held]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def execute(self, request: QueryRequest) -> QueryAnswer:
        """Send the query by POST and return the server's answer, capped at ``max_bytes``."""
        import httpx

        fmt = _format(request.format)
        params = self.dataset_params(request)
        # a BASE in the prologue before the query's own: its relative IRIs resolve the same way
        text = f"BASE <{request.base_iri}>\n{request.query}" if request.base_iri else request.query
        try:
            with self.client.stream("POST", self.url, params=params, content=text.encode(),
                                    headers={"Content-Type": "application/sparql-query",
                                             "Accept": fmt.media_type}) as response:
                if response.status_code == 400:
                    raise GfmdSyntaxError(response.read().decode(errors="replace")[:2000])
                if response.status_code != 200:
                    raise StoreError(f"the store answered HTTP {response.status_code}")
                chunks, size, truncated = [], 0, None
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > request.max_bytes:
                        truncated = "bytes"
                        break
                    chunks.append(chunk)
                media_type = response.headers.get("content-type", fmt.media_type).split(";")[0].strip()
        except httpx.HTTPError as exc:
            raise StoreError(f"the store at {self.url} did not answer: {type(exc).__name__}") from exc
        if truncated:
            raise StoreError(f"the answer exceeds {request.max_bytes} bytes; add a LIMIT")
        return QueryAnswer(b"".join(chunks), media_type, -1, None)


def load_into_server(gsp_url: str, root: Path | None = None, *, timeout: float = 120.0) -> dict[str, int]:
    """Put every served file into its named graph of a Graph Store Protocol server, and all into the default graph.

    The default graph then holds the union, so the same queries give the same
    answers on any server without a server-specific union setting.
    """
    import httpx

    root = (root or project_root()).resolve()
    sizes: dict[str, int] = {}
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        try:
            response = client.delete(gsp_url, params={"default": ""})
            if response.status_code not in (200, 204, 404):
                raise StoreError(f"clearing the default graph answered HTTP {response.status_code}")
            for path in project_files(root):
                body = path.read_bytes()
                name = file_graph_name(path, root)
                for method, params in (("PUT", {"graph": name}), ("POST", {"default": ""})):
                    response = client.request(method, gsp_url, params=params, content=body,
                                              headers={"Content-Type": "text/turtle"})
                    if response.status_code not in (200, 201, 204):
                        raise StoreError(f"{method} {path.name} answered HTTP {response.status_code}: "
                                         f"{response.text[:300]}")
                sizes[name] = len(body)
        except httpx.HTTPError as exc:
            raise StoreError(f"the store at {gsp_url} did not answer: {type(exc).__name__}") from exc
    return sizes
