"""The service's view of the store: embedded worker pool or remote server, with a result cache."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from gfmd_graph.namespaces import PREFIXES
from gfmd_graph.paths import project_root
from gfmd_graph.query_pool import QueryPool
from gfmd_graph.store import QueryAnswer, QueryRequest, RemoteStore, dataset_version, project_files

from .settings import Settings

log = logging.getLogger("gfmd.service")

_MODIFIED = re.compile(r'dcterms:modified\s+"(\d{4}-\d{2}-\d{2})"')


class Backend:
    """Answers queries for the routes; one per service process, no state shared between processes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = (settings.root or project_root()).resolve()
        self.files = project_files(self.root)
        self.version = dataset_version(self.files)
        self.last_modified = _last_modified(self.root)
        self.prefixes = dict(PREFIXES)
        self.pool: QueryPool | None = None
        self.remote: RemoteStore | None = None
        self.graph_names: list[str] = []
        self.graph_sizes: dict[str, int] = {}
        self.union_size = 0
        self.cache: OrderedDict[tuple, QueryAnswer] = OrderedDict()
        self.cache_hits = 0
        self._remote_slots: asyncio.Semaphore | None = None
        self._void: dict = {}
        self._downloads: dict[str, bytes] = {}
        self._ontology_html: str | None = None
        self._search_index = None
        self._search_lock = threading.Lock()

    async def start(self) -> None:
        """Start the worker pool (or connect to the remote store) and learn the graph names."""
        s = self.settings
        if s.store_url:
            self.remote = RemoteStore(s.store_url, timeout=s.query_timeout)
            self._remote_slots = asyncio.Semaphore(max(1, s.query_workers * 4))
            self.graph_names = await asyncio.to_thread(self.remote.graph_names)
        else:
            self.pool = QueryPool(self.root, size=s.query_workers, max_size=s.query_workers_max,
                                  timeout=s.query_timeout,
                                  max_waiting=s.max_waiting, wait_timeout=s.wait_timeout)
            await self.pool.start()
            self.graph_names = list(self.pool.graph_names)
        await self._count()

    async def _count(self) -> None:
        """Triples per named graph and in their union, for the service description."""
        sizes = await self.execute(self.request(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "tsv"))
        self.graph_sizes = {}
        for line in sizes.body.decode().splitlines()[1:]:
            graph, count = line.split("\t")
            self.graph_sizes[graph.strip("<>")] = int(count.split('"')[1] if '"' in count else count)
        union = await self.execute(self.request("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "tsv"))
        value = union.body.decode().splitlines()[1]
        self.union_size = int(value.split('"')[1] if '"' in value else value)

    def close(self) -> None:
        if self.pool:
            self.pool.close()
        if self.remote:
            self.remote.client.close()

    @property
    def timeouts(self) -> int:
        return self.pool.timeouts if self.pool else 0

    def request(self, query: str, fmt: str, *, default_graphs=(), named_graphs=()) -> QueryRequest:
        """A request with the service's caps and prefixes."""
        return QueryRequest(query=query, format=fmt, default_graphs=tuple(default_graphs),
                            named_graphs=tuple(named_graphs), max_rows=self.settings.max_rows,
                            max_bytes=self.settings.max_response_bytes, prefixes=self.prefixes,
                            base_iri=self.settings.base_iri)

    async def execute(self, request: QueryRequest) -> QueryAnswer:
        """Answer a request, from the cache when the same request was answered for this dataset version."""
        key = (request.query, request.format, request.default_graphs, request.named_graphs)
        if self.settings.cache_size > 0 and key in self.cache:
            self.cache.move_to_end(key)
            self.cache_hits += 1
            return self.cache[key]
        if self.remote is not None:
            from gfmd_graph.query_pool import PoolBusy

            try:
                await asyncio.wait_for(self._remote_slots.acquire(), self.settings.wait_timeout)
            except asyncio.TimeoutError:
                raise PoolBusy("too many queries are running; try again shortly") from None
            try:
                answer = await asyncio.to_thread(self.remote.execute, request)
            finally:
                self._remote_slots.release()
        else:
            answer = await self.pool.execute(request)
        if self.settings.cache_size > 0:
            self.cache[key] = answer
            while len(self.cache) > self.settings.cache_size:
                self.cache.popitem(last=False)
        return answer

    def etag(self, answer: QueryAnswer) -> str:
        """A strong validator for an answer: the dataset version and the body's hash."""
        return '"' + self.version + "-" + hashlib.sha256(answer.body).hexdigest()[:16] + '"'

    def named_queries(self) -> dict:
        """The named queries of the served project folder."""
        from gfmd_graph.query import named_queries

        return named_queries(self.root)

    def void_graph(self, base: str):
        """The VoID/DCAT description of the dataset, with this service's endpoint and dumps."""
        if base not in self._void:
            from gfmd_graph.describe import dataset_description

            self._void[base] = dataset_description(self.loaded, base=base)
        return self._void[base]

    def ontology_graph(self):
        """The ontology alone, as an rdflib graph."""
        return self.loaded.merged(kinds=("ontology",))

    def ontology_html(self) -> str:
        """The HTML documentation of the ontology (generated once)."""
        if self._ontology_html is None:
            from gfmd_graph.docs import render_ontology_html

            self._ontology_html = render_ontology_html(self.loaded)
        return self._ontology_html

    def download(self, fmt: str) -> bytes:
        """The whole graph in one format (deterministic bytes, generated once per format)."""
        if fmt not in self._downloads:
            from gfmd_graph.export import export_graph

            names = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld",
                     "rdfxml": "rdfxml"}
            self._downloads[fmt] = export_graph(self.loaded, names[fmt])
        return self._downloads[fmt]

    def search_index(self):
        """The search index of the ontology and data, built once on first use (call it off the event loop)."""
        with self._search_lock:
            if self._search_index is None:
                from gfmd_graph.search import SearchIndex

                self._search_index = SearchIndex(self.loaded.merged(), self.prefixes)
            return self._search_index

    @cached_property
    def loaded(self):
        """The project parsed with rdflib (for VoID, documentation and downloads), loaded on first use."""
        from gfmd_graph.load import load_project

        return load_project(self.root, kinds=("ontology", "data"))


def _last_modified(root: Path) -> datetime:
    """The ontology's ``dcterms:modified`` date: the same on every replica, unlike file times."""
    for path in sorted((root / "ontology").glob("*.ttl")):
        m = _MODIFIED.search(path.read_text(encoding="utf-8"))
        if m:
            return datetime.fromisoformat(m.group(1)).replace(tzinfo=timezone.utc)
    return datetime(2026, 1, 1, tzinfo=timezone.utc)
