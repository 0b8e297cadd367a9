"""The built wheel, installed in a fresh virtual environment away from the checkout, serves the bundled graph."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from gfmd_graph.paths import project_root

CHECKOUT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_fresh_venv_wheel_install_serves_the_bundled_graph(tmp_path):
    if not (CHECKOUT / "pyproject.toml").is_file():
        pytest.skip("not a source checkout")
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(CHECKOUT)],
                   check=True, timeout=600)
    wheel = next(wheels.glob("gfmd_graph-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GFMD_") and k != "PYTHONPATH"}
    # The installed package finds its bundle, not the checkout.
    root = subprocess.run([str(python), "-c", "from gfmd_graph.paths import project_root; print(project_root())"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert "_bundle" in root and str(project_root()) != root
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([str(venv / "bin" / "gfmd"), "serve", "--port", str(port), "--log-level", "warning"],
                               cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240  # start-up runs the gate over the bundled data
        while True:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")[-3000:]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the installed service did not start"
            time.sleep(0.5)
        objectives = httpx.get(f"http://127.0.0.1:{port}/queries/cq/cq02-gcm-objectives",
                               headers={"Accept": "application/sparql-results+json"}).json()
        assert len(objectives["results"]["bindings"]) == 23
        page = httpx.get(f"http://127.0.0.1:{port}/", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "SPARQL" in page.text
    finally:
        process.terminate()
        process.wait(10)
