"""Fixtures for the service tests: an in-process client and live servers on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient

from gfmd_service.app import create_app
from gfmd_service.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def client():
    """A client of the service over the bundled graph (validation off: the gate has its own tests)."""
    app = create_app(Settings.from_env(validate=False, query_workers=2, cache_size=0))
    with TestClient(app) as c:
        yield c


@contextmanager
def serving(argv: list[str], environment: dict[str, str], port: int):
    """Run ``argv`` (a server listening on ``port``); yield its base URL once /health answers; stop it afterwards."""
    process = subprocess.Popen(argv, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("the service exited: " + process.stdout.read().decode(errors="replace")[-2000:])
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the service did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(**env: str):
    """Start the service with uvicorn in a subprocess; yield its base URL; stop it afterwards."""
    port = free_port()
    environment = {**os.environ, "GFMD_VALIDATE": "off", "GFMD_LOG_LEVEL": "warning", **env}
    with serving([sys.executable, "-m", "uvicorn", "gfmd_service.app:create_app", "--factory",
                  "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], environment, port) as base:
        yield base


@pytest.fixture(scope="module")
def live_server():
    """A live service over the bundled graph for real clients."""
    with running_server() as base:
        yield base


@pytest.fixture
def run_server():
    """``run_server(**env)``: a context manager starting a live service with extra GFMD_* settings."""
    return running_server
