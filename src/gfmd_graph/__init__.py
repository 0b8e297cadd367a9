"""The GFMD Knowledge Graph library: load, check, format and query the graph.

>>> from gfmd_graph import GraphStore, to_dataframe
>>> GraphStore().select("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> }")[0]["n"] > 0
True
"""

from .errors import GfmdError, GfmdSyntaxError, QueryParameterError, UnknownQueryError

# Imported on first use, so that a module that needs only the store (the query workers) does not
# load rdflib with the package.
_LAZY = {"LoadedGraph": "load", "load_project": "load", "GraphStore": "query", "get_named": "query",
         "named_queries": "query", "to_dataframe": "query"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"

__all__ = [
    "GfmdError",
    "GfmdSyntaxError",
    "GraphStore",
    "LoadedGraph",
    "QueryParameterError",
    "UnknownQueryError",
    "__version__",
    "get_named",
    "load_project",
    "named_queries",
    "to_dataframe",
]
