"""A pool of worker processes that answer queries with a time limit that really stops them.

An embedded engine cannot be interrupted from Python while it evaluates a query,
so queries run in worker processes: when a query runs past its limit its worker
is killed (freeing the CPU and memory at once). The store is loaded once, by a
loading process (:mod:`gfmd_graph.store_worker`); every worker is a fork of it and
shares its memory, so a worker costs a few megabytes, not a copy of the data, and
a killed worker is replaced in milliseconds.

``size`` workers are kept ready. When all are busy (heavy queries running), up to
``max_size`` are forked for the queries that arrive, so a cheap query does not
wait behind heavy ones; an extra worker ends after ``idle_timeout`` seconds idle. A query still
running after ``lower_priority_after`` seconds has its worker's CPU priority
lowered, so that the cheap queries arriving meanwhile get the CPU first, and
restored when it has answered (where the system lets the pool restore it; where it
does not, priorities are left alone: replacing the worker instead would cost more,
since a fresh fork copies again every page of the store a scan writes to). A
worker can also be replaced after ``recycle_after`` answers (off by default).
Beyond ``max_size`` a request waits at most ``wait_timeout`` seconds,
and at most ``max_waiting`` requests wait at all; the rest are told to come back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import GfmdError, GfmdSyntaxError
from .store import QueryAnswer, QueryRequest, StoreError
from .store_worker import CONTROL_PACKET, LENGTH_PREFIX

log = logging.getLogger("gfmd.pool")
_FIRST_READ = 1 << 16  # most answers arrive in one read
LOW_PRIORITY = 10  # the nice value of a worker whose query runs long


class QueryTimeout(GfmdError):
    """The query ran past the time limit and was stopped."""


class PoolBusy(GfmdError):
    """Every worker is busy and the waiting line is full (or the wait took too long)."""


class _Loader:
    """The loading process: holds the store and forks workers on request."""

    def __init__(self, root: Path, start_timeout: float) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        package_parent = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gfmd_graph.store_worker", str(theirs.fileno()), str(root)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        self.control = ours
        self._lock = threading.Lock()
        ready = select.select([ours], [], [], start_timeout)[0]
        try:
            packet = ours.recv(CONTROL_PACKET) if ready else None
        except OSError:
            packet = b""
        if packet is None:
            self.close()
            raise StoreError(f"the query store did not load within {start_timeout:.0f} s")
        if not packet:
            self.close()
            raise StoreError(f"the query store could not start (exit code {self.process.poll()})")
        status, payload = pickle.loads(packet)
        if status != "ready":
            self.close()
            raise StoreError(f"the query store could not load the data: {payload}")
        self.graph_names: list[str] = payload

    def fork(self) -> "_Worker":
        """A new worker sharing the loaded store."""
        with self._lock:
            self.control.send(b"fork")
            message, fds, _flags, _addr = socket.recv_fds(self.control, CONTROL_PACKET, 1)
        if not message or not fds:
            raise StoreError("the query store stopped; no worker could be started")
        _status, pid = pickle.loads(message)
        return _Worker(pid, socket.socket(fileno=fds[0]))

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.control.close()
        self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


class _Worker:
    """One forked worker and the pool's end of its socket (non-blocking, used from the event loop)."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock
        self.answered = 0
        self.lowered = False
        self.idle_since = 0.0
        sock.setblocking(False)

    def lower_priority(self) -> None:
        """Let the other workers have the CPU first while this one runs a long query."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, LOW_PRIORITY)
        self.lowered = True

    def restore_priority(self) -> bool:
        """Back to normal priority; False where the system does not allow it."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, 0)
        except OSError:
            return False
        self.lowered = False
        return True

    async def run(self, loop: asyncio.AbstractEventLoop, request: QueryRequest, timeout: float) -> tuple[str, object]:
        """Send a request and read the answer; TimeoutError after ``timeout`` seconds."""
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        async with asyncio.timeout(timeout):
            await loop.sock_sendall(self.sock, LENGTH_PREFIX.pack(len(data)) + data)
            buffer = bytearray(await loop.sock_recv(self.sock, _FIRST_READ))
            if len(buffer) < LENGTH_PREFIX.size:
                buffer += await self._exactly(loop, LENGTH_PREFIX.size - len(buffer))
            (size,) = LENGTH_PREFIX.unpack_from(buffer)
            body = memoryview(buffer)[LENGTH_PREFIX.size:]
            if len(body) < size:
                body = bytes(body) + await self._exactly(loop, size - len(body))
        return pickle.loads(body)

    async def _exactly(self, loop: asyncio.AbstractEventLoop, size: int) -> bytes:
        chunks, missing = [], size
        while missing:
            chunk = await loop.sock_recv(self.sock, min(missing, 1 << 20))
            if not chunk:
                raise EOFError("the worker closed its socket")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()


class QueryPool:
    """Answer queries with worker processes forked from one loaded store, a time limit and a bounded line."""

    def __init__(self, root: Path, *, size: int = 2, max_size: int | None = None, timeout: float = 10.0,
                 max_waiting: int = 16, wait_timeout: float = 5.0, start_timeout: float = 300.0,
                 lower_priority_after: float = 0.05, recycle_after: int | None = None,
                 idle_timeout: float = 5.0) -> None:
        self.root = root
        self.size = max(1, size)
        self.max_size = max(self.size, max_size if max_size is not None else 4 * self.size)
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.wait_timeout = wait_timeout
        self.start_timeout = start_timeout
        self.lower_priority_after = lower_priority_after
        self.recycle_after = recycle_after
        self.idle_timeout = idle_timeout
        self.lowers_priority = False  # learnt at start: whether a lowered worker can be restored
        self.graph_names: list[str] = []
        self.waiting = 0
        self.timeouts = 0
        self._loader: _Loader | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: list[_Worker] = []
        self._waiters: list[asyncio.Future] = []
        self._count = 0  # workers alive or being forked
        self._threads = ThreadPoolExecutor(max_workers=self.max_size + 2, thread_name_prefix="gfmd-query")
        self._loader_lock = threading.Lock()
        self._closed = False

    @property
    def workers(self) -> int:
        """Workers alive (busy or idle)."""
        return self._count

    @property
    def pids(self) -> list[int]:
        """Process ids of the loading process and the idle workers (for measuring memory)."""
        loader = [self._loader.process.pid] if self._loader else []
        return loader + [worker.pid for worker in self._idle]

    async def start(self) -> None:
        """Load the store once and fork the ready workers."""
        self._loop = asyncio.get_running_loop()
        self._loader = await asyncio.to_thread(_Loader, self.root, self.start_timeout)
        self.graph_names = self._loader.graph_names
        self._count = self.size
        workers = await asyncio.gather(*(self._loop.run_in_executor(self._threads, self._fork)
                                         for _ in range(self.size)))
        self.lowers_priority = await self._loop.run_in_executor(self._threads, self._can_restore, workers[0])
        self._idle.extend(workers)
        for worker in workers:
            worker.idle_since = self._loop.time()
        self._loop.call_later(1.0, self._end_idle_extras)

    @staticmethod
    def _can_restore(worker: _Worker) -> bool:
        """Whether this process may put a worker back to normal priority after lowering it."""
        worker.lower_priority()
        if worker.restore_priority():
            return True
        log.info("query workers keep their priority: this process may not restore a lowered one")
        return False

    def _fork(self) -> _Worker:
        """Fork a worker; start a new loading process if the old one has gone."""
        loader = self._loader
        try:
            return loader.fork()
        except (OSError, EOFError, StoreError) as exc:
            if self._closed:
                raise StoreError("the pool is closed") from exc
            log.error("the query store stopped (%s); loading it again", exc)
        with self._loader_lock:
            if self._loader is loader:
                loader.close()
                self._loader = _Loader(self.root, self.start_timeout)
        return self._loader.fork()

    async def _acquire(self) -> _Worker:
        if self._idle:
            return self._idle.pop()
        if self._count < self.max_size:
            self._count += 1
            forking = self._loop.run_in_executor(self._threads, self._fork)
            try:
                return await asyncio.shield(forking)
            except asyncio.CancelledError:
                forking.add_done_callback(self._forked)  # the request went away: keep the worker
                raise
            except BaseException:
                self._count -= 1
                raise
        if self.waiting >= self.max_waiting:
            raise PoolBusy("too many queries are waiting; try again shortly")
        waiter = self._loop.create_future()
        self._waiters.append(waiter)
        self.waiting += 1
        try:
            return await asyncio.wait_for(waiter, self.wait_timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed a worker just as the wait ended: pass it on
            if isinstance(exc, asyncio.TimeoutError):
                raise PoolBusy(f"no query worker became free within {self.wait_timeout:g} s; "
                               "try again shortly") from None
            raise
        finally:
            self.waiting -= 1
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    def _release(self, worker: _Worker) -> None:
        """Give a worker to the first request waiting, keep it ready, or end it: at most ``size`` wait idle."""
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(worker)
                return
        if self._closed:
            self._count -= 1
            worker.kill()
            return
        worker.idle_since = self._loop.time()
        self._idle.append(worker)  # taken last-in first-out, so that the extra ones age at the bottom

    def _end_idle_extras(self) -> None:
        """Every second: end the workers beyond ``size`` that have been idle for ``idle_timeout`` seconds."""
        if self._closed:
            return
        now = self._loop.time()
        while len(self._idle) > self.size and now - self._idle[0].idle_since > self.idle_timeout:
            self._count -= 1
            self._idle.pop(0).kill()
        self._loop.call_later(1.0, self._end_idle_extras)

    def _discard(self, worker: _Worker) -> None:
        """End a worker (stopped, broken or worn); fork a new one if the ready ones fall short."""
        worker.kill()
        self._count -= 1
        if self._closed:
            return
        if self._waiters or self._count < self.size:
            self._count += 1
            future = self._loop.run_in_executor(self._threads, self._fork)
            future.add_done_callback(self._forked)

    def _forked(self, future) -> None:
        if future.cancelled() or future.exception() is not None:
            self._count -= 1
            log.error("could not start a query worker: %s", future.exception())
            return
        self._release(future.result())

    async def execute(self, request: QueryRequest) -> QueryAnswer:
        """Answer one request; raise QueryTimeout, PoolBusy, GfmdSyntaxError or StoreError."""
        assert self._loop is not None, "start() the pool first"
        worker = await self._acquire()
        lowering = (self._loop.call_later(self.lower_priority_after, worker.lower_priority)
                    if self.lowers_priority else None)
        try:
            status, payload = await worker.run(self._loop, request, self.timeout)
        except TimeoutError:
            self.timeouts += 1
            self._discard(worker)
            raise QueryTimeout(f"the query ran longer than the limit of {self.timeout:g} s and was stopped") from None
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            log.error("query worker died: %s", exc)
            self._discard(worker)
            raise StoreError("the query worker stopped unexpectedly; the query was not answered") from None
        except BaseException:
            self._discard(worker)  # cancelled mid-answer: its reply would confuse the next request
            raise
        finally:
            if lowering is not None:
                lowering.cancel()
        worker.answered += 1
        if (worker.lowered and not worker.restore_priority()) or (
                self.recycle_after and worker.answered >= self.recycle_after):
            self._discard(worker)
        else:
            self._release(worker)
        if status == "ok":
            return payload  # type: ignore[return-value]
        if status == "syntax":
            raise GfmdSyntaxError(str(payload))
        raise StoreError(str(payload))

    def close(self) -> None:
        """Stop every worker and the loading process."""
        self._closed = True
        for worker in self._idle:
            worker.kill()
        self._idle.clear()
        if self._loader is not None:
            self._loader.close()  # busy workers die with it (they watch their parent)
        self._threads.shutdown(wait=False, cancel_futures=True)

