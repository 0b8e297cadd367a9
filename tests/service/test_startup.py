"""Start-up: the gate refuses invalid data; ``gfmd serve`` runs the service through its entry point."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from gfmd_graph.paths import project_root



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(project_root() / folder, root / folder)
    return root


def test_invalid_data_never_reaches_the_served_graph(tmp_path):
    root = copy_project(tmp_path)
    summits = root / "data" / "summits.ttl"
    text = summits.read_text(encoding="utf-8")
    broken = text.replace("gfmd:year 2007 ;", 'gfmd:year "two thousand seven" ;', 1)
    assert broken != text
    summits.write_text(broken, encoding="utf-8")
    env = {**os.environ, "GFMD_ROOT": str(root), "GFMD_VALIDATE": "on"}
    process = subprocess.run(
        [sys.executable, "-m", "uvicorn", "gfmd_service.app:create_app", "--factory", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=300)
    assert process.returncode != 0
    assert "summits.ttl" in process.stderr and "ERROR" in process.stderr
    assert "the service does not start on invalid data" in process.stderr


def test_gfmd_serve_serves_the_bundled_graph():
    port = free_port()
    gfmd = Path(sys.executable).with_name("gfmd")
    process = subprocess.Popen([str(gfmd), "serve", "--port", str(port), "--no-validate", "--log-level", "warning"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert health.json()["triples"] > 10000
        rows = httpx.get(f"http://127.0.0.1:{port}/queries/cq/cq02-gcm-objectives",
                         headers={"Accept": "application/sparql-results+json"}).json()
        assert len(rows["results"]["bindings"]) == 23
    finally:
        process.terminate()
        process.wait(10)
