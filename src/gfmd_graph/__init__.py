"""The GFMD Knowledge Graph library: load, check, format and query the graph."""

from .errors import GfmdError, GfmdSyntaxError, QueryParameterError, UnknownQueryError
from .load import LoadedGraph, load_project

__version__ = "0.1.0"

__all__ = [
    "GfmdError",
    "GfmdSyntaxError",
    "LoadedGraph",
    "QueryParameterError",
    "UnknownQueryError",
    "__version__",
    "load_project",
]
