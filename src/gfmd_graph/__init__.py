"""The GFMD Knowledge Graph library: load, check, format and query the graph.

>>> from gfmd_graph import GraphStore, to_dataframe
>>> GraphStore().select("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/gfmd/ontology#Summit> }")[0]["n"] > 0
True
"""

from .errors import GfmdError, GfmdSyntaxError, QueryParameterError, UnknownQueryError
from .load import LoadedGraph, load_project
from .query import GraphStore, get_named, named_queries, to_dataframe

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
