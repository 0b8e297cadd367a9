"""A bounded pool of worker processes that answer queries with a time limit that really stops them.

An embedded engine cannot be interrupted from Python while it evaluates a query,
so each worker is a process holding its own copy of the store: when a query runs
past its limit the worker is killed (freeing the CPU and memory at once) and a
fresh one is started in the background. The pool also bounds concurrency: a
request waits at most ``wait_timeout`` seconds for a free worker, and at most
``max_waiting`` requests wait at all; beyond that the caller is told to come back.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import GfmdError, GfmdSyntaxError
from .store import EmbeddedStore, QueryAnswer, QueryRequest, StoreError

log = logging.getLogger("gfmd.pool")


class QueryTimeout(GfmdError):
    """The query ran past the time limit and was stopped."""


class PoolBusy(GfmdError):
    """Every worker is busy and the waiting line is full (or the wait took too long)."""


def _worker_main(conn, root: str) -> None:
    """Entry point of a worker process: load the store, then answer requests until the pipe closes."""
    try:
        store = EmbeddedStore(Path(root))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which refuses to start
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", store.graph_names))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", store.execute(request)))
        except GfmdSyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except StoreError as exc:
            conn.send(("store", str(exc)))
        except Exception as exc:  # noqa: BLE001 - never let one query end the worker silently
            conn.send(("store", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, root: Path, start_timeout: float) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, str(root)), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.kill()
            raise StoreError(f"a query worker did not start within {start_timeout:.0f} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            status, payload = "failed", f"the process exited with code {self.process.exitcode}"
        if status != "ready":
            self.kill()
            raise StoreError(f"a query worker could not load the data: {payload}")
        self.graph_names: list[str] = payload

    def run(self, request: QueryRequest, timeout: float) -> tuple[str, object]:
        self.conn.send(request)
        if not self.conn.poll(timeout):
            raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped")
        return self.conn.recv()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """Answer queries with ``size`` worker processes, a time limit and a bounded waiting line."""

    def __init__(self, root: Path, *, size: int = 2, timeout: float = 10.0, max_waiting: int = 16,
                 wait_timeout: float = 5.0, start_timeout: float = 300.0) -> None:
        self.root = root
        self.size = size
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.wait_timeout = wait_timeout
        self.start_timeout = start_timeout
        self.graph_names: list[str] = []
        self.waiting = 0
        self.timeouts = 0
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._threads = ThreadPoolExecutor(max_workers=size + 1, thread_name_prefix="gfmd-query")
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    async def start(self) -> None:
        """Start the workers (in parallel) and wait until each has loaded the data."""
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        self.graph_names = workers[0].graph_names
        for worker in workers:
            self._idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.root, self.start_timeout)
        with self._lock:
            self._all.add(worker)
        return worker

    async def execute(self, request: QueryRequest) -> QueryAnswer:
        """Answer one request; raise QueryTimeout, PoolBusy, GfmdSyntaxError or StoreError."""
        assert self._idle is not None, "start() the pool first"
        if self.waiting >= self.max_waiting:
            raise PoolBusy("too many queries are waiting; try again shortly")
        self.waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.wait_timeout)
        except asyncio.TimeoutError:
            raise PoolBusy(f"no query worker became free within {self.wait_timeout:g} s; try again shortly") from None
        finally:
            self.waiting -= 1
        # The worker goes back to the pool from the thread, even if this request is cancelled meanwhile.
        status, payload = await self._loop.run_in_executor(self._threads, self._use, worker, request)
        if status == "ok":
            return payload  # type: ignore[return-value]
        if status == "syntax":
            raise GfmdSyntaxError(str(payload))
        if status == "timeout":
            raise QueryTimeout(str(payload))
        raise StoreError(str(payload))

    def _use(self, worker: _Worker, request: QueryRequest) -> tuple[str, object]:
        try:
            result = worker.run(request, self.timeout)
        except QueryTimeout as exc:
            self.timeouts += 1
            self._replace(worker)
            return "timeout", str(exc)
        except (EOFError, OSError, BrokenPipeError) as exc:
            log.error("query worker died: %s", exc)
            self._replace(worker)
            return "store", "the query worker stopped unexpectedly; the query was not answered"
        self._loop.call_soon_threadsafe(self._idle.put_nowait, worker)
        return result

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

        def respawn() -> None:
            if self._closed:
                return
            try:
                fresh = self._spawn()
            except GfmdError as exc:
                log.error("could not restart a query worker: %s", exc)
                return
            self._loop.call_soon_threadsafe(self._idle.put_nowait, fresh)

        threading.Thread(target=respawn, daemon=True, name="gfmd-respawn").start()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
