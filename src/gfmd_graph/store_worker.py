"""The processes that answer queries: one loads the store, and forks a worker for each slot of the pool.

The loading process (started by :class:`~gfmd_graph.query_pool.QueryPool` as
``python -m gfmd_graph.store_worker FD ROOT``) holds the only copy of the store
that is ever built. Each worker is a fork of it, so every worker shares the
store's memory with it (copy-on-write: queries only read) instead of loading
its own copy, and a worker killed at the time limit is replaced in
milliseconds. It imports nothing but the store, not rdflib or the web layer.

Messages are pickles: on the control socket (``SOCK_SEQPACKET``) one per
packet, the worker's end of its socket riding with the "forked" reply; on a
worker's socket (a stream) each framed by its length.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import socket
import struct
import sys
from pathlib import Path

LENGTH_PREFIX = struct.Struct("!Q")
CONTROL_PACKET = 1 << 16


def send_message(sock: socket.socket, message: object) -> None:
    """Send one framed pickle on a stream socket."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(LENGTH_PREFIX.pack(len(data)))
    sock.sendall(data)


def receive_message(sock: socket.socket) -> object:
    """Receive one framed pickle; EOFError when the other end has closed."""
    (size,) = LENGTH_PREFIX.unpack(_exactly(sock, LENGTH_PREFIX.size))
    return pickle.loads(_exactly(sock, size))


def _exactly(sock: socket.socket, size: int) -> memoryview:
    buffer = memoryview(bytearray(size))
    done = 0
    while done < size:
        got = sock.recv_into(buffer[done:], size - done)
        if not got:
            raise EOFError("the other end closed the connection")
        done += got
    return buffer


def serve_queries(sock: socket.socket, store) -> None:
    """A worker's loop: answer requests until the pool closes the socket."""
    from .errors import GfmdSyntaxError
    from .store import StoreError

    while True:
        try:
            request = receive_message(sock)
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", store.execute(request))
        except GfmdSyntaxError as exc:
            reply = ("syntax", str(exc))
        except StoreError as exc:
            reply = ("store", str(exc))
        except Exception as exc:  # noqa: BLE001 - never let one query end the worker silently
            reply = ("store", f"{type(exc).__name__}: {exc}")
        try:
            send_message(sock, reply)
        except OSError:
            return


def serve_forks(control: socket.socket, root: Path) -> None:
    """The loading process: load the store, then fork one worker per "fork" request."""
    from .store import EmbeddedStore

    try:
        store = EmbeddedStore(root)
    except Exception as exc:  # noqa: BLE001 - reported to the pool, which refuses to start
        control.send(pickle.dumps(("failed", f"{type(exc).__name__}: {exc}")))
        return
    control.send(pickle.dumps(("ready", store.graph_names)))
    signal.signal(signal.SIGCHLD, _reap)  # reaped here, so their CPU time adds to this process's
    gc.collect()
    gc.freeze()  # the collector then leaves the shared pages alone in the workers
    while True:
        try:
            packet = control.recv(CONTROL_PACKET)
        except OSError:
            return
        if not packet:
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            ours.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _die_with_parent()
            try:
                serve_queries(theirs, store)
            finally:
                os._exit(0)
        theirs.close()
        try:
            socket.send_fds(control, [pickle.dumps(("forked", pid))], [ours.fileno()])
        except OSError:
            os.kill(pid, signal.SIGKILL)
            return
        finally:
            ours.close()


def _reap(_signum, _frame) -> None:
    """Collect every worker that has ended."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the loading process ends (a runaway query then stops too)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker ends when its socket closes
        pass


def main(argv: list[str]) -> None:
    fd, root = int(argv[0]), Path(argv[1])
    control = socket.socket(fileno=fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pool stops us; Ctrl-C goes to the whole group
    serve_forks(control, root)


if __name__ == "__main__":
    main(sys.argv[1:])
