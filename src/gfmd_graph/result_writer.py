"""Serialise query results with caps on rows and bytes, truncating at a row boundary.

Caps are applied while writing, so a query whose answer is too large costs no more
than the cap; the caller learns that the answer was cut and why.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .formats import Format

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Written:
    """A serialised result: the bytes, how many rows or triples, and why it was cut, if it was."""

    body: bytes
    count: int
    truncated: str | None = None  # "rows" or "bytes"


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return ("<triple>" + f"<subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_field(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif isinstance(term, ox.Triple):
        text = str(term)
    else:
        text = term.value
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_field(term) -> str:
    return "" if term is None else str(term)


def write_solutions(solutions, fmt: Format, *, max_rows: int, max_bytes: int) -> Written:
    """Write SELECT solutions in ``fmt`` (json, xml, csv, tsv), stopping at the caps."""
    variables = [v.value for v in solutions.variables]
    buf = io.StringIO()
    size = 0
    count = 0
    truncated = None
    if fmt.name == "json":
        head = '{"head":{"vars":' + json.dumps(variables) + '},"results":{"bindings":['
        tail = "]}}"
    elif fmt.name == "xml":
        head = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head><results>")
        tail = "</results></sparql>\n"
    elif fmt.name == "csv":
        head = ",".join(variables) + "\r\n"
        tail = ""
    elif fmt.name == "tsv":
        head = "\t".join("?" + v for v in variables) + "\n"
        tail = ""
    else:
        raise ValueError(f"{fmt.name} cannot carry SELECT results")
    buf.write(head)
    size = len(head.encode())
    for solution in solutions:
        if count >= max_rows:
            truncated = "rows"
            break
        if fmt.name == "json":
            row = ("," if count else "") + json.dumps(
                {v: _json_term(solution[v]) for v in variables if solution[v] is not None},
                ensure_ascii=False, separators=(",", ":"))
        elif fmt.name == "xml":
            row = "<result>" + "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(solution[v])}</binding>"
                for v in variables if solution[v] is not None) + "</result>"
        elif fmt.name == "csv":
            row = ",".join(_csv_field(solution[v]) for v in variables) + "\r\n"
        else:
            row = "\t".join(_tsv_field(solution[v]) for v in variables) + "\n"
        row_size = len(row.encode())
        if size + row_size + len(tail) > max_bytes:
            truncated = "bytes"
            break
        buf.write(row)
        size += row_size
        count += 1
    buf.write(tail)
    return Written(buf.getvalue().encode(), count, truncated)


def write_boolean(value: bool, fmt: Format) -> Written:
    """Write an ASK answer (json or xml; csv/tsv carry it as one ``_askResult`` column)."""
    word = "true" if value else "false"
    if fmt.name == "json":
        body = '{"head":{},"boolean":' + word + "}"
    elif fmt.name == "xml":
        body = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n")
    elif fmt.name == "csv":
        body = f"_askResult\r\n{word}\r\n"
    elif fmt.name == "tsv":
        body = f"?_askResult\n{word}\n"
    else:
        raise ValueError(f"{fmt.name} cannot carry an ASK result")
    return Written(body.encode(), 1)


class _Counting:
    """A binary sink that refuses writes beyond a byte budget."""

    def __init__(self, limit: int) -> None:
        self.buf = io.BytesIO()
        self.limit = limit

    def write(self, data: bytes) -> int:
        if self.buf.tell() + len(data) > self.limit:
            raise _Overflow
        return self.buf.write(data)

    def flush(self) -> None:
        pass


class _Overflow(Exception):
    pass


def write_triples(triples, fmt: Format, *, max_rows: int, max_bytes: int, prefixes: dict[str, str] | None = None) -> Written:
    """Write CONSTRUCT/DESCRIBE triples in an RDF format, keeping at most ``max_rows`` triples.

    When the bytes cap is reached, the triples are written again up to the last
    count that fitted, so the output is always a complete document.
    """
    kept = []
    truncated = None
    for triple in triples:
        if len(kept) >= max_rows:
            truncated = "rows"
            break
        kept.append(triple)
    options = {"prefixes": prefixes} if prefixes and fmt.name in ("turtle", "trig", "rdfxml", "jsonld") else {}
    while True:
        sink = _Counting(max_bytes)
        try:
            ox.serialize(kept, sink, fmt.rdf_format, **options)
            return Written(sink.buf.getvalue(), len(kept), truncated)
        except _Overflow:
            truncated = "bytes"
            kept = kept[: len(kept) // 2]


def write_result(result, fmt: Format, *, max_rows: int = 2**63, max_bytes: int = 2**63,
                 prefixes: dict[str, str] | None = None) -> Written:
    """Write any pyoxigraph query result (solutions, boolean or triples) in ``fmt``, within the caps."""
    if isinstance(result, ox.QuerySolutions):
        return write_solutions(result, fmt, max_rows=max_rows, max_bytes=max_bytes)
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(bool(result), fmt)
    return write_triples(result, fmt, max_rows=max_rows, max_bytes=max_bytes, prefixes=prefixes)


# The engine's own writers, several times faster than writing row by row in Python. They know no
# caps, so an answer near a cap is written again by write_result, which cuts it at a row boundary.
_NATIVE_SOLUTIONS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                     "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_NATIVE_GRAPHS = ("ntriples", "nquads")  # one triple per line: the count is the number of lines
NATIVE_MAX_BYTES = 4_000_000  # above this the answer is cut or counted in Python anyway


def writes_natively(result, fmt: Format) -> bool:
    """Whether :func:`write_native` can write this result in this format."""
    if isinstance(result, ox.QuerySolutions):
        return fmt.name in _NATIVE_SOLUTIONS
    if isinstance(result, ox.QueryBoolean):
        return True
    return fmt.name in _NATIVE_GRAPHS


def write_native(result, fmt: Format, *, max_rows: int, max_bytes: int) -> Written | None:
    """Write a result with the engine's serialiser; None if the answer reaches a cap.

    The result is consumed either way: on None, run the query again and use :func:`write_result`.
    """
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(bool(result), fmt)
    sink = _Counting(min(max_bytes, NATIVE_MAX_BYTES))
    try:
        if isinstance(result, ox.QuerySolutions):
            result.serialize(sink, _NATIVE_SOLUTIONS[fmt.name])
        else:
            result.serialize(sink, fmt.rdf_format)
    except _Overflow:
        return None
    body = sink.buf.getvalue()
    count = _count_rows(body, fmt.name)
    return None if count > max_rows else Written(body, count)


def _count_rows(body: bytes, name: str) -> int:
    if name == "json":
        return len(json.loads(body)["results"]["bindings"])
    if name == "xml":
        return body.count(b"<result>")  # markup: a literal's "<" is escaped
    if name == "csv":  # a quoted field may hold a line break
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    if name == "tsv":  # terms are written with escapes: one line per row
        return body.count(b"\n") - 1
    return body.count(b"\n")  # N-Triples, N-Quads
