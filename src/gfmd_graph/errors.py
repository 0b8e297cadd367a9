"""Typed exceptions raised by the library."""

from __future__ import annotations

from pathlib import Path


class GfmdError(Exception):
    """Base class of every error the library raises on purpose."""


class GfmdSyntaxError(GfmdError):
    """A Turtle file or a SPARQL query that does not parse.

    >>> err = GfmdSyntaxError("bad token", file="data/x.ttl", line=3, column=7)
    >>> str(err)
    'data/x.ttl:3:7: bad token'
    """

    def __init__(self, message: str, *, file: str | Path | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.file, self.line, self.column) if x is not None)
        return f"{where}: {self.message}" if where else self.message


class QueryParameterError(GfmdError):
    """A named-query parameter that is unknown, missing or of the wrong type."""


class UnknownQueryError(GfmdError):
    """A named query that does not exist."""


class ResultFormatError(GfmdError):
    """A query result asked for in a format that does not suit it (e.g. Turtle for a SELECT)."""
