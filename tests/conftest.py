"""Fixtures shared by the tests: the project's graphs, loaded once per session (read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gfmd_graph.load import LoadedGraph, load_project
from gfmd_graph.query import GraphStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> LoadedGraph:
    return load_project(ROOT)


@pytest.fixture(scope="session")
def store(project) -> GraphStore:
    return GraphStore(project)
