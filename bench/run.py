"""Benchmark the GFMD service against the Oxigraph server on the same data, in the same run.

For each dataset (the bundled graph, and synthetic ones F times its size made by
``bench/synthetic.py``) this script

1. starts ``oxigraph serve`` in memory (no ``--location``, ``--union-default-graph``) and
   POSTs every ontology and data file into its named graph, as the service loads them;
2. starts the service (``gfmd serve``) on the same folder with
   ``GFMD_VALIDATE=off`` and the result cache off (and, as target ``service-cached``, a
   second one with the cache on);
3. builds a query mix from the data (seeded): IRI lookup, label search, two-hop join with
   aggregation, OPTIONAL + ORDER BY + LIMIT, property paths and DESCRIBE;
4. runs every distinct query once on each target and checks that the answers agree with
   Oxigraph's (row or triple count, and the rows themselves for small answers);
5. runs the same query sequence against each target with ``--clients`` concurrent
   clients for ``--duration`` seconds, checking each answer's size, and prints p50, p95,
   p99 latency, throughput, the ratios service/oxigraph, memory (RSS of the server and its
   children) and load time.

    python bench/run.py                                  # bundled and x100, service and oxigraph
    python bench/run.py --factor 1 --duration 5          # a quick look
    python bench/run.py --targets service,service-cached,oxigraph --json results.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (bench/synthetic.py)

REPO = Path(__file__).resolve().parent.parent
GRAPH_BASE = "https://w3id.org/gfmd/graph/"
PREFIXES = """PREFIX gfmd: <https://w3id.org/gfmd/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
KINDS = ("lookup", "label_search", "aggregate", "optional_order", "path", "describe")
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"
ALL_TARGETS = ("service", "service-cached", "oxigraph")


# -- the servers ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                    stat = fh.read()
            except OSError:
                continue
            children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, ()))
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its descendants, the ones that ended included."""
    ticks = 0
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_memory_kib(pid: int) -> tuple[int, int, int]:
    """(RSS, PSS, processes) of ``pid`` and all its descendants, in KiB.

    RSS counts a page shared by several processes once per process; PSS divides it among
    them, so the PSS of a tree is the memory it really holds (forked workers sharing one
    store count it once).
    """
    rss = pss = count = 0
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            continue
        r, q = re.search(r"^Rss:\s+(\d+) kB", text, re.M), re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        rss += int(r.group(1)) if r else 0
        pss += int(q.group(1)) if q else 0
        count += 1
    return rss, pss, count


@dataclass
class Server:
    """A server process this script started (in its own process group) and its endpoint."""

    name: str
    process: subprocess.Popen
    endpoint: str
    log: Path
    load_s: float = 0.0
    rss_loaded_kib: int = 0
    rss_after_kib: int = 0
    pss_loaded_kib: int = 0
    pss_after_kib: int = 0
    processes_after: int = 0
    cpu_s: float = 0.0  # server CPU time spent during the current phase (see run_groups)
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the group this script created for it
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


_RUNNING: list[Server] = []


def stop_all() -> None:
    while _RUNNING:
        _RUNNING.pop().stop()


def _spawn(cmd: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    fh = log.open("wb")
    try:
        return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)
    finally:
        fh.close()


def _wait_ready(server: Server, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f} s:\n{server.log_tail()}")


def data_files(root: Path) -> list[tuple[str, Path]]:
    """(named graph, file) of every ontology and data file, as the service names them."""
    out = []
    for folder in ("ontology", "data"):
        for path in sorted((root / folder).glob("*.ttl")):
            out.append((f"{GRAPH_BASE}{folder}/{path.stem}", path))
    return out


def start_oxigraph(root: Path, logdir: Path, timeout: float) -> Server:
    exe = shutil.which("oxigraph")
    if not exe:
        raise SystemExit("the oxigraph server binary is not on PATH (pip install oxigraph)")
    port = free_port()
    started = time.perf_counter()
    proc = _spawn([exe, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], logdir / "oxigraph.log")
    server = Server("oxigraph", proc, f"http://127.0.0.1:{port}/query", logdir / "oxigraph.log")
    _RUNNING.append(server)
    base = f"http://127.0.0.1:{port}"
    _wait_ready(server, base + "/query?query=ASK%7B%7D", timeout)
    with httpx.Client(timeout=timeout) as client:
        for graph, path in data_files(root):
            with path.open("rb") as body:
                r = client.post(base + "/store", params={"graph": graph}, content=body,
                                headers={"Content-Type": "text/turtle"})
            if r.status_code >= 300:
                raise RuntimeError(f"oxigraph refused {path.name}: {r.status_code} {r.text[:300]}")
    server.load_s = time.perf_counter() - started
    server.rss_loaded_kib, server.pss_loaded_kib, _ = tree_memory_kib(proc.pid)
    return server


def start_service(root: Path, logdir: Path, timeout: float, *, cache: bool, workers: int | None,
                  extra_env: dict[str, str]) -> Server:
    port = free_port()
    name = "service-cached" if cache else "service"
    env = dict(os.environ)
    env.update({
        "GFMD_ROOT": str(root), "GFMD_VALIDATE": "off",
        "GFMD_LOG_LEVEL": "warning",
    })
    if workers:
        env["GFMD_QUERY_WORKERS"] = str(workers)
    if not cache:
        env["GFMD_CACHE_SIZE"] = "0"
    env.update(extra_env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "service"), str(REPO / "src"),
                                                      env.get("PYTHONPATH")]))
    log = logdir / f"{name}.log"
    started = time.perf_counter()
    # as users run it: ``gfmd serve`` (its HTTP protocol and limits), the gate off (timed apart)
    proc = _spawn([sys.executable, "-m", "gfmd_graph.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--no-validate", "--log-level", "warning"],
                  log, env)
    server = Server(name, proc, f"http://127.0.0.1:{port}/sparql", log)
    _RUNNING.append(server)
    _wait_ready(server, f"http://127.0.0.1:{port}/health", timeout)
    server.load_s = time.perf_counter() - started
    server.rss_loaded_kib, server.pss_loaded_kib, _ = tree_memory_kib(proc.pid)
    server.extra = {"query_workers": workers or "default", "cache": cache}
    return server


# -- the query mix ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    kind: str
    text: str

    @property
    def accept(self) -> str:
        return GRAPH_ACCEPT if self.kind == "describe" else SELECT_ACCEPT


def _rows(store, query: str) -> list:
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


def build_queries(root: Path, seed: int, pool: int) -> dict[str, list[Query]]:
    """The distinct queries of each kind, with parameters drawn (seeded) from the data itself."""
    store = synthetic.load_store(root)
    rnd = random.Random(seed)
    subjects = sorted(r["s"].value for r in _rows(store, """
        SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s))
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/gfmd/graph/data/")) }"""))
    out: dict[str, list[Query]] = {}
    out["lookup"] = [Query("lookup", f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
                     for iri in rnd.sample(subjects, min(pool, len(subjects)))]
    out["describe"] = [Query("describe", f"DESCRIBE <{iri}>")
                       for iri in rnd.sample(subjects, min(pool, len(subjects)))]

    # label search: words of the labels, kept when they match at most 1/20 of the labels
    labels = [r["l"].value.lower() for r in _rows(store, """
        SELECT ?l WHERE { { ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l } }""")]
    words = sorted({w for text in labels for w in re.findall(r"[a-z]{5,}", text)} - {"copy"})
    rnd.shuffle(words)
    terms = []
    for word in words:
        hits = sum(1 for text in labels if word in text)
        if 0 < hits <= max(1, len(labels) // 20) and hits <= 8000:
            terms.append(word)
        if len(terms) == max(5, pool // 4):
            break
    out["label_search"] = [Query("label_search", f"""SELECT ?s ?label WHERE {{
  {{ ?s rdfs:label ?label }} UNION {{ ?s skos:prefLabel ?label }}
  FILTER(CONTAINS(LCASE(STR(?label)), "{t}"))
}}""") for t in sorted(terms)]

    out["aggregate"] = [Query("aggregate", q) for q in (
        """SELECT ?cluster ?area (COUNT(DISTINCT ?p) AS ?practices) WHERE {
  ?p a gfmd:Practice ; gfmd:citedUnderFocusArea ?area . ?area skos:broader ?cluster
} GROUP BY ?cluster ?area ORDER BY DESC(?practices) ?cluster ?area""",
        """SELECT ?cluster ?area (COUNT(?r) AS ?options) WHERE {
  ?r a gfmd:PolicyOption ; gfmd:focusArea ?area . ?area skos:broader ?cluster
} GROUP BY ?cluster ?area ORDER BY DESC(?options) ?cluster ?area""",
        """SELECT ?cluster ?area (COUNT(?r) AS ?actions) WHERE {
  ?r a gfmd:PracticalActionOption ; gfmd:focusArea ?area . ?area skos:broader ?cluster
} GROUP BY ?cluster ?area ORDER BY DESC(?actions) ?cluster ?area""",
        """SELECT ?type (COUNT(DISTINCT ?p) AS ?practices) (COUNT(DISTINCT ?actor) AS ?actors) WHERE {
  ?p gfmd:implementedBy ?actor . ?actor a ?type
} GROUP BY ?type ORDER BY DESC(?practices) ?type""",
        """SELECT ?year ?area (COUNT(?rt) AS ?roundtables) WHERE {
  ?rt a gfmd:Roundtable ; gfmd:partOf ?summit ; gfmd:addressesArea ?area . ?summit gfmd:year ?year
} GROUP BY ?year ?area ORDER BY ?year ?area""",
    )]

    classes = [r["t"].value for r in _rows(store, """
        SELECT ?t WHERE { ?s a ?t ; rdfs:label ?l FILTER(STRSTARTS(STR(?t), STR(gfmd:))) }
        GROUP BY ?t HAVING (COUNT(DISTINCT ?s) >= 20) ORDER BY ?t""")]
    opt = []
    for cls in rnd.sample(classes, min(len(classes), max(4, pool // 10))):
        offset = rnd.choice((0, 20, 100))
        opt.append(Query("optional_order", f"""SELECT ?s ?label ?description ?year WHERE {{
  ?s a <{cls}> ; rdfs:label ?label .
  OPTIONAL {{ ?s dcterms:description ?description }}
  OPTIONAL {{ ?s gfmd:year ?year }}
}} ORDER BY ?label ?s LIMIT 20 OFFSET {offset}"""))
    out["optional_order"] = opt

    wholes = sorted(r["o"].value for r in _rows(store, "SELECT DISTINCT ?o WHERE { ?s gfmd:partOf ?o }"))
    suborgs = sorted(r["s"].value for r in _rows(store, "SELECT DISTINCT ?s WHERE { ?s org:subOrganizationOf ?o }"))
    clusters = sorted(r["c"].value for r in _rows(store, "SELECT DISTINCT ?c WHERE { ?c a gfmd:ThematicCluster }"))
    n = max(2, pool // 20)
    paths = [Query("path", f"SELECT ?part WHERE {{ ?part gfmd:partOf+ <{w}> }}")
             for w in rnd.sample(wholes, min(n, len(wholes)))]
    paths += [Query("path", f"SELECT ?parent WHERE {{ <{o}> org:subOrganizationOf+ ?parent }}")
              for o in rnd.sample(suborgs, min(n, len(suborgs)))]
    paths += [Query("path", f"""SELECT (COUNT(DISTINCT ?p) AS ?practices) WHERE {{
  ?p gfmd:citedUnderFocusArea/skos:broader* <{c}>
}}""") for c in clusters]
    paths += [Query("path", f"""SELECT ?class (COUNT(?s) AS ?n) WHERE {{
  ?class rdfs:subClassOf* gfmd:{root} . ?s a ?class
}} GROUP BY ?class ORDER BY ?class""") for root in ("Actor", "Meeting", "Recommendation", "MeetingSession")]
    out["path"] = paths
    del store
    return out


def sequence(queries: dict[str, list[Query]], length: int, seed: int) -> list[Query]:
    """The timed sequence: each kind equally often, parameters drawn with the seed."""
    rnd = random.Random(seed + 1)
    kinds = [k for k in KINDS if queries.get(k)]
    seq = []
    while len(seq) < length:
        block = list(kinds)
        rnd.shuffle(block)
        seq.extend(Query(k, rnd.choice(queries[k]).text) for k in block)
    return seq[:length]


# -- answers ----------------------------------------------------------------------------------

def _term_key(b: dict) -> tuple:
    dt = b.get("datatype")
    if dt == "http://www.w3.org/2001/XMLSchema#string":
        dt = None
    kind = "literal" if b.get("type") in ("literal", "typed-literal") else b.get("type")
    return (kind, b.get("value"), b.get("xml:lang", "").lower(), dt or "")


def answer_size(body: bytes, media_type: str) -> int:
    """Rows of a SPARQL JSON result, or triples of an N-Triples document."""
    if "json" in media_type:
        data = json.loads(body)
        if "boolean" in data:
            return 1
        return len(data["results"]["bindings"])
    return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))


def answer_digest(body: bytes, media_type: str) -> list:
    """The answer as a sorted list, comparable between servers."""
    if "json" in media_type:
        data = json.loads(body)
        if "boolean" in data:
            return [data["boolean"]]
        return sorted(tuple(sorted((v, _term_key(t)) for v, t in row.items()))
                      for row in data["results"]["bindings"])
    import pyoxigraph as ox

    return sorted(str(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def ask(client: httpx.Client, endpoint: str, q: Query, method: str) -> httpx.Response:
    text = PREFIXES + q.text
    headers = {"Accept": q.accept}
    if method == "post":
        return client.post(endpoint, content=text.encode(),
                           headers=headers | {"Content-Type": "application/sparql-query"})
    return client.get(endpoint, params={"query": text}, headers=headers)


def verify(server: Server, queries: list[Query], reference: dict | None, clients: int, method: str,
           timeout: float) -> tuple[dict, list[str]]:
    """Run each distinct query once; return {text: (size, digest)} and the disagreements with ``reference``."""
    answers: dict[str, tuple[int, list | None]] = {}
    problems: list[str] = []
    lock = threading.Lock()
    todo = iter(queries)

    def work():
        with httpx.Client(timeout=timeout) as client:
            while True:
                with lock:
                    q = next(todo, None)
                if q is None:
                    return
                try:
                    r = ask(client, server.endpoint, q, method)
                except httpx.HTTPError as exc:
                    with lock:
                        problems.append(f"{server.name} {q.kind}: {type(exc).__name__} {exc}")
                    continue
                if r.status_code != 200:
                    with lock:
                        problems.append(f"{server.name} {q.kind}: HTTP {r.status_code} {r.text[:200]!r}")
                    continue
                media = r.headers.get("content-type", "")
                size = answer_size(r.content, media)
                digest = answer_digest(r.content, media) if size <= 2000 else None
                with lock:
                    answers[q.text] = (size, digest)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if reference is not None:
        for q in queries:
            mine, ref = answers.get(q.text), reference.get(q.text)
            if mine is None or ref is None:
                continue
            if mine[0] != ref[0]:
                problems.append(f"{server.name} {q.kind}: {mine[0]} rows, oxigraph {ref[0]}: {q.text[:120]!r}")
            elif mine[1] is not None and ref[1] is not None and mine[1] != ref[1]:
                problems.append(f"{server.name} {q.kind}: same size, different rows: {q.text[:120]!r}")
    return answers, problems


@dataclass
class Sample:
    kind: str
    latency: float
    ok: bool
    error: str | None = None


def run_load(server: Server, seq: list[Query], expected: dict, clients: int, duration: float, method: str,
             timeout: float) -> tuple[list[Sample], float]:
    """``clients`` threads take queries from ``seq`` in order for ``duration`` seconds."""
    return run_groups(server, [(seq, clients)], expected, duration, method, timeout)


def run_groups(server: Server, groups: list[tuple[list[Query], int]], expected: dict, duration: float,
               method: str, timeout: float) -> tuple[list[Sample], float]:
    """Each group's threads take queries from its own sequence, all at once, for ``duration`` seconds."""
    plan = [(seq, n) for seq, n in groups for _ in range(n)]
    counters = {id(seq): itertools.count() for seq, _ in groups}
    clients = len(plan)
    samples: list[list[Sample]] = [[] for _ in range(clients)]
    start_barrier = threading.Barrier(clients + 1)
    deadline = [0.0]
    ends = [0.0] * clients

    def work(i: int) -> None:
        mine = samples[i]
        seq = plan[i][0]
        counter = counters[id(seq)]
        with httpx.Client(timeout=timeout) as client:
            start_barrier.wait()
            while True:
                now = time.perf_counter()
                if now >= deadline[0]:
                    break
                q = seq[next(counter) % len(seq)]
                t0 = time.perf_counter()
                try:
                    r = ask(client, server.endpoint, q, method)
                    body = r.content
                    dt = time.perf_counter() - t0
                except httpx.HTTPError as exc:
                    mine.append(Sample(q.kind, time.perf_counter() - t0, False, type(exc).__name__))
                    continue
                if r.status_code != 200:
                    mine.append(Sample(q.kind, dt, False, f"HTTP {r.status_code}"))
                    continue
                size = answer_size(body, r.headers.get("content-type", ""))
                want = expected.get(q.text, (None,))[0]
                if want is not None and size != want:
                    mine.append(Sample(q.kind, dt, False, "wrong size"))
                    continue
                mine.append(Sample(q.kind, dt, True))
        ends[i] = time.perf_counter()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    cpu_before = tree_cpu_seconds(server.process.pid)
    begin = time.perf_counter()
    deadline[0] = begin + duration
    start_barrier.wait()
    for t in threads:
        t.join()
    elapsed = max(ends) - begin
    server.cpu_s += tree_cpu_seconds(server.process.pid) - cpu_before
    return [s for part in samples for s in part], elapsed


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def summarise(samples: list[Sample], elapsed: float) -> dict:
    out = {}
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[s.kind].append(s)
        groups["all"].append(s)
    for kind, group in groups.items():
        ok = [s.latency * 1000 for s in group if s.ok]
        errors = Counter(s.error for s in group if not s.ok)
        out[kind] = {
            "n": len(ok), "errors": sum(errors.values()), "error_kinds": dict(errors),
            "p50_ms": percentile(ok, 50), "p95_ms": percentile(ok, 95), "p99_ms": percentile(ok, 99),
            "qps": len(ok) / elapsed if elapsed > 0 else 0.0,
        }
    return out


# -- the run ----------------------------------------------------------------------------------

def bench_dataset(label: str, root: Path, args, logdir: Path) -> dict:
    print(f"\n== {label}: {root}", flush=True)
    servers: dict[str, Server] = {}
    result: dict = {"dataset": label, "root": str(root), "servers": {}, "results": {}, "problems": [],
                    "loadavg_start": os.getloadavg()}
    try:
        servers["oxigraph"] = start_oxigraph(root, logdir, args.ready_timeout)
        print(f"   oxigraph ready in {servers['oxigraph'].load_s:.1f} s", flush=True)
        for target in args.targets:
            if target.startswith("service"):
                servers[target] = start_service(root, logdir, args.ready_timeout, cache=target == "service-cached",
                                                workers=args.query_workers, extra_env=args.service_env)
                print(f"   {target} ready in {servers[target].load_s:.1f} s", flush=True)
        t0 = time.perf_counter()
        queries = build_queries(root, args.seed, args.pool)
        distinct = [q for k in KINDS for q in queries.get(k, [])]
        print(f"   {len(distinct)} distinct queries built in {time.perf_counter() - t0:.1f} s "
              f"({', '.join(f'{k} {len(v)}' for k, v in queries.items())})", flush=True)
        with httpx.Client(timeout=30) as client:
            r = client.get(servers["oxigraph"].endpoint,
                           params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                           headers={"Accept": SELECT_ACCEPT})
            result["triples"] = int(r.json()["results"]["bindings"][0]["n"]["value"])

        reference, problems = verify(servers["oxigraph"], distinct, None, args.clients, args.method, args.timeout)
        result["problems"] += problems
        for target in args.targets:
            if target != "oxigraph":
                _, problems = verify(servers[target], distinct, reference, args.clients, args.method, args.timeout)
                result["problems"] += problems
        for p in result["problems"][:20]:
            print("   MISMATCH " + p, flush=True)
        if len(result["problems"]) > 20:
            print(f"   ... {len(result['problems']) - 20} more", flush=True)

        seq = sequence(queries, args.sequence, args.seed)
        if args.warmup > 0:
            for target in args.targets:
                run_load(servers[target], seq, reference, args.clients, args.warmup, args.method, args.timeout)
        # one phase per kind (that kind alone: its latency and throughput), then the mix
        phases = [(k, [q for q in seq if q.kind == k]) for k in KINDS if queries.get(k) and k in args.kinds]
        phases += [("mix", seq)] if args.mix else []
        per_round = args.duration / args.rounds
        for phase, phase_seq in phases:
            samples: dict[str, list[Sample]] = defaultdict(list)
            elapsed: dict[str, float] = defaultdict(float)
            for server in servers.values():
                server.cpu_s = 0.0
            for rnd in range(args.rounds):
                order = list(args.targets) if rnd % 2 == 0 else list(reversed(args.targets))
                for target in order:
                    got, secs = run_load(servers[target], phase_seq, reference, args.clients, per_round,
                                         args.method, args.timeout)
                    samples[target] += got
                    elapsed[target] += secs
            line = []
            for target in args.targets:
                summary = summarise(samples[target], elapsed[target])
                results = result["results"].setdefault(target, {})
                results[phase] = summary["all"]
                # CPU the server spent per answered query: unlike throughput, it does not depend on
                # what else the machine is doing
                results[phase]["cpu_ms"] = 1000 * servers[target].cpu_s / max(1, summary["all"]["n"])
                if phase == "mix":
                    results["mix_by_kind"] = {k: v for k, v in summary.items() if k != "all"}
                line.append(f"{target} {summary['all']['qps']:.1f} q/s")
            print(f"   {phase:<15} " + ", ".join(line), flush=True)
        if args.isolation and queries.get("lookup"):
            result["isolation"] = isolation_phase(servers, seq, reference, args)
        for name, server in servers.items():
            server.rss_after_kib, server.pss_after_kib, server.processes_after = tree_memory_kib(server.process.pid)
            result["servers"][name] = {"load_s": round(server.load_s, 2),
                                       "rss_loaded_mib": round(server.rss_loaded_kib / 1024, 1),
                                       "rss_after_mib": round(server.rss_after_kib / 1024, 1),
                                       "pss_loaded_mib": round(server.pss_loaded_kib / 1024, 1),
                                       "pss_after_mib": round(server.pss_after_kib / 1024, 1),
                                       "processes": server.processes_after} | server.extra
        if args.memory_workers and any(t.startswith("service") for t in args.targets):
            result["memory_by_workers"] = memory_by_workers(root, logdir, seq, reference, args)
        result["queries"] = {k: [q.text for q in v] for k, v in queries.items()}
        result["loadavg_end"] = os.getloadavg()
        return result
    finally:
        for server in servers.values():
            server.stop()
            if server in _RUNNING:
                _RUNNING.remove(server)


def isolation_phase(servers: dict[str, Server], seq: list[Query], reference: dict, args) -> dict:
    """Lookups alone, then the same lookups while other clients run every other kind of query.

    A lookup's p99 under that load over its p99 alone says whether cheap queries queue behind
    heavy ones.
    """
    lookups = [q for q in seq if q.kind == "lookup"]
    heavy = [q for q in seq if q.kind != "lookup"]
    light_n = max(1, args.isolation_clients)
    heavy_n = max(1, args.clients - light_n)
    out = {}
    for target in args.targets:
        alone, secs = run_groups(servers[target], [(lookups, light_n)], reference, args.duration / 2,
                                 args.method, args.timeout)
        loaded, secs2 = run_groups(servers[target], [(lookups, light_n), (heavy, heavy_n)], reference,
                                   args.duration / 2, args.method, args.timeout)
        a = summarise(alone, secs).get("lookup")
        b = summarise([x for x in loaded if x.kind == "lookup"], secs2).get("lookup")
        h = summarise([x for x in loaded if x.kind != "lookup"], secs2).get("all")
        if a and b:
            out[target] = {"alone": a, "under_load": b, "heavy": h, "p99_ratio": ratio(b["p99_ms"], a["p99_ms"])}
            print(f"   isolation       {target}: lookup p99 {a['p99_ms']:.1f} ms alone, {b['p99_ms']:.1f} ms "
                  f"beside {heavy_n} clients of heavier queries", flush=True)
    return out


def memory_by_workers(root: Path, logdir: Path, seq: list[Query], reference: dict, args) -> list[dict]:
    """The service's memory with each number of query workers, after every worker has answered queries."""
    rows = []
    for n in args.memory_workers:
        env = {**args.service_env, "GFMD_QUERY_WORKERS_MAX": str(n)}
        server = start_service(root, logdir, args.ready_timeout, cache=False, workers=n, extra_env=env)
        try:
            run_load(server, seq, reference, max(n, 2), max(args.warmup, 2.0), args.method, args.timeout)
            rss, pss, processes = tree_memory_kib(server.process.pid)
        finally:
            server.stop()
            if server in _RUNNING:
                _RUNNING.remove(server)
        rows.append({"query_workers": n, "processes": processes, "rss_mib": round(rss / 1024, 1),
                     "pss_mib": round(pss / 1024, 1)})
        print(f"   memory          {n} query workers: PSS {pss / 1024:.0f} MiB, RSS {rss / 1024:.0f} MiB, "
              f"{processes} processes", flush=True)
    return rows


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def print_tables(results: list[dict], targets: list[str]) -> None:
    print()
    print("Servers (memory of the process and its children after the run: PSS shares a page among the")
    print("processes that map it, RSS counts it in each; load = start until ready, with the data in)")
    print(f"{'dataset':<14} {'triples':>10} {'target':<15} {'load s':>8} {'PSS MiB':>9} {'RSS MiB':>9} "
          f"{'procs':>6}  setup")
    for res in results:
        for name in targets:
            s = res["servers"].get(name)
            if s:
                setup = (f"{s['query_workers']} query workers, cache {'on' if s['cache'] else 'off'}"
                         if "query_workers" in s else "in memory, union default graph")
                print(f"{res['dataset']:<14} {res.get('triples', 0):>10,} {name:<15} {s['load_s']:>8.1f} "
                      f"{s['pss_after_mib']:>9.0f} {s['rss_after_mib']:>9.0f} {s['processes']:>6}  {setup}")
    print()
    print("Latency (ms) and throughput (queries/s) per query kind; ratios are target/oxigraph")
    print("(p50 ratio > 1: slower than oxigraph; qps ratio < 1: fewer queries per second; cpu ms: server CPU\n"
          " time per answered query, its own and its children's, which the machine's other load does not change)")
    head = (f"{'dataset':<14} {'kind':<15} {'target':<15} {'n':>6} {'err':>4} {'p50':>8} {'p95':>8} {'p99':>8} "
            f"{'qps':>8} {'p50 x':>7} {'qps x':>7} {'cpu ms':>7} {'cpu x':>6}")
    print(head)
    print("-" * len(head))
    for res in results:
        ref = res["results"].get("oxigraph", {})
        for kind in (*KINDS, "mix"):
            for name in targets:
                row = res["results"].get(name, {}).get(kind)
                if not row:
                    continue
                r50 = r_qps = r_cpu = ""
                if name != "oxigraph" and kind in ref:
                    r50 = f"{ratio(row['p50_ms'], ref[kind]['p50_ms']):.2f}"
                    r_qps = f"{ratio(row['qps'], ref[kind]['qps']):.2f}"
                    r_cpu = f"{ratio(row.get('cpu_ms', 0), ref[kind].get('cpu_ms', 0)):.2f}"
                print(f"{res['dataset']:<14} {kind:<15} {name:<15} {row['n']:>6} {row['errors']:>4} "
                      f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['qps']:>8.1f} "
                      f"{r50:>7} {r_qps:>7} {row.get('cpu_ms', float('nan')):>7.2f} {r_cpu:>6}")
        la0, la1 = res.get("loadavg_start"), res.get("loadavg_end")
        if la0 and la1:
            print(f"{res['dataset']:<14} machine load average (1 min) {la0[0]:.1f} at start, {la1[0]:.1f} at end "
                  f"on {os.cpu_count()} CPUs")
        if res["problems"]:
            print(f"{res['dataset']:<14} !! {len(res['problems'])} answer(s) differ from oxigraph's (see above)")
        print()
    for res in results:
        if res.get("isolation"):
            print(f"Lookups beside heavier queries ({res['dataset']}): p99 ms alone, under load, ratio")
            for name, row in res["isolation"].items():
                print(f"  {name:<15} {row['alone']['p99_ms']:>8.1f} {row['under_load']['p99_ms']:>8.1f} "
                      f"{row['p99_ratio']:>6.2f}x")
            print()
        if res.get("memory_by_workers"):
            print(f"Service memory by number of query workers ({res['dataset']})")
            for row in res["memory_by_workers"]:
                print(f"  {row['query_workers']:>3} workers  PSS {row['pss_mib']:>6.0f} MiB  RSS {row['rss_mib']:>6.0f} MiB"
                      f"  {row['processes']} processes")
            print()
    print_goals(results)


def print_goals(results: list[dict]) -> None:
    """The service's goals against the Oxigraph server, each with its figure."""
    print("Goals (service against oxigraph, same data, same run)")
    for res in results:
        ref = res["results"].get("oxigraph", {})
        svc = res["results"].get("service", {})
        cached = res["results"].get("service-cached", {})
        checks = []
        if "mix" in svc and "mix" in ref:
            checks.append(("uncached mix throughput >= 0.8x", ratio(svc["mix"]["qps"], ref["mix"]["qps"]), 0.8, True))
            checks.append(("uncached mix p99 <= 2x", ratio(svc["mix"]["p99_ms"], ref["mix"]["p99_ms"]), 2.0, False))
        if "mix" in cached and "mix" in ref:
            checks.append(("cached mix throughput >= 3x", ratio(cached["mix"]["qps"], ref["mix"]["qps"]), 3.0, True))
        iso = res.get("isolation", {}).get("service")
        if iso:
            checks.append(("lookup p99 under load <= 3x alone", iso["p99_ratio"], 3.0, False))
        servers = res["servers"]
        if "service" in servers and "oxigraph" in servers:
            checks.append(("memory (PSS) <= 3x", ratio(servers["service"]["pss_after_mib"],
                                                     servers["oxigraph"]["pss_after_mib"]), 3.0, False))
        for text, value, bound, at_least in checks:
            met = value >= bound if at_least else value <= bound
            print(f"  {res['dataset']:<14} {text:<36} {value:>6.2f}x  {'met' if met else 'NOT met'}")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--factor", default="1,10",
                    help="comma-separated sizes; 1 is the bundled graph, F > 1 a synthetic graph F times as big")
    ap.add_argument("--targets", default="service,service-cached,oxigraph",
                    help=f"comma-separated, from {', '.join(ALL_TARGETS)} (oxigraph is always run: it is the reference)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    ap.add_argument("--duration", type=float, default=20.0,
                    help="seconds of measurement per phase (each query kind alone, then the mix), target and dataset")
    ap.add_argument("--no-mix", dest="mix", action="store_false", help="skip the mixed phase")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated query kinds to time alone")
    ap.add_argument("--rounds", type=int, default=2,
                    help="split the duration into this many rounds, alternating the order of the targets")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of the mix per target before measuring")
    ap.add_argument("--pool", type=int, default=100, help="lookups and DESCRIBEs drawn per dataset (other kinds scale)")
    ap.add_argument("--sequence", type=int, default=5000, help="length of the query sequence (cycled)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--method", choices=("get", "post"), default="get",
                    help="GET ?query= or POST application/sparql-query")
    ap.add_argument("--query-workers", type=int, help="GFMD_QUERY_WORKERS of the service (default: the service's)")
    ap.add_argument("--no-isolation", dest="isolation", action="store_false",
                    help="skip the phase timing lookups beside heavier queries")
    ap.add_argument("--isolation-clients", type=int, default=2,
                    help="clients sending lookups in the isolation phase (the rest send heavier queries)")
    ap.add_argument("--memory-workers", default="1,4,16",
                    help="query worker counts to measure the service's memory with ('' skips it)")
    ap.add_argument("--service-env", action="append", default=[], metavar="NAME=VALUE",
                    help="extra environment for the service (repeatable), e.g. GFMD_MAX_ROWS=100000")
    ap.add_argument("--timeout", type=float, default=120.0, help="client timeout per query (s)")
    ap.add_argument("--ready-timeout", type=float, default=900.0, help="seconds a server may take to load")
    ap.add_argument("--workdir", type=Path, help="where synthetic data and server logs go (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args(argv)

    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(args.targets) - set(ALL_TARGETS)
    if unknown:
        ap.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    if "oxigraph" not in args.targets:
        args.targets.append("oxigraph")
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if set(args.kinds) - set(KINDS):
        ap.error(f"unknown kind(s); choose from {', '.join(KINDS)}")
    args.service_env = dict(kv.split("=", 1) for kv in args.service_env)
    args.memory_workers = [int(n) for n in args.memory_workers.split(",") if n.strip()]
    factors = [float(f) for f in args.factor.split(",") if f.strip()]
    if any(t.startswith("service") for t in args.targets) and not (REPO / "service" / "gfmd_service" / "app.py").exists():
        print("service/gfmd_service/app.py not found: benchmarking oxigraph only", file=sys.stderr)
        args.targets = ["oxigraph"]

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="gfmd-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    results = []
    try:
        for factor in factors:
            if factor == 1:
                label, root = "bundled", REPO
            else:
                label = f"synthetic x{factor:g}"
                root = workdir / f"x{factor:g}"
                copies = synthetic.Generator.copies_for_factor(factor)
                t0 = time.perf_counter()
                plan = synthetic.Generator(REPO, copies=copies, seed=args.seed).write(root)
                print(f"generated {label}: {plan.total_triples:,} triples, {copies} copies, "
                      f"in {time.perf_counter() - t0:.1f} s", flush=True)
            logdir = workdir / f"logs-{label.replace(' ', '-')}"
            logdir.mkdir(exist_ok=True)
            results.append(bench_dataset(label, root, args, logdir))
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the servers", file=sys.stderr)
        return 130
    finally:
        stop_all()
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif results:
            print(f"work folder kept: {workdir}")

    print_tables(results, args.targets)
    if args.json:
        meta = {k: (v if isinstance(v, (int, float, str, list, dict, type(None))) else str(v))
                for k, v in vars(args).items()}
        args.json.write_text(json.dumps({"config": meta, "cpus": os.cpu_count(), "datasets": results},
                                        indent=2, default=str) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
