"""Where the bundled ontology, shapes, data and queries live.

In a wheel they travel inside the package (``gfmd_graph/_bundle``); in a source
checkout they are the top-level folders of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Data files generated from the reference data by tools/derive_reference.py (never edited by hand):
#: their statements come from the reference dataset the resource cites, not from a source passage.
DERIVED_FILES = ("sdg.ttl", "states.ttl", "gcm-objectives.ttl")

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLE = _PACKAGE_DIR / "_bundle"
_CHECKOUT = _PACKAGE_DIR.parent.parent


def project_root() -> Path:
    """Return the folder holding ``ontology/``, ``shapes/``, ``data/`` and ``queries/``.

    ``GFMD_ROOT`` overrides the default (useful for testing a modified copy).

    >>> (project_root() / "ontology").is_dir()
    True
    """
    override = os.environ.get("GFMD_ROOT")
    if override:
        return Path(override)
    if (_BUNDLE / "ontology").is_dir():
        return _BUNDLE
    return _CHECKOUT


def ontology_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "ontology"


def shapes_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "shapes"


def data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data"


def queries_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "queries"


def sources_dir() -> Path | None:
    """Return the folder of the source documents, if present beside the checkout.

    ``GFMD_SOURCES`` overrides the default ``../shared/sources``.
    """
    override = os.environ.get("GFMD_SOURCES")
    if override:
        return Path(override)
    for candidate in (_CHECKOUT.parent / "shared" / "sources", project_root() / "sources"):
        if candidate.is_dir():
            return candidate
    return None
