"""Validators and conditional GET (RFC 9110 §8.8, §13): ETag, Last-Modified, 304 Not Modified."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response

_ENTITY_TAG = re.compile(r'\s*(\*|(?:W/)?"[^"]*")\s*(?:,|$)')


def representation_etag(version: str, fmt: str, *variant: str, weak: bool = True) -> str:
    """An entity tag for one representation: the dataset version, the format and what else shapes it.

    Weak by default: pages and descriptions are the same RDF each time, not always the same bytes.

    >>> representation_etag("abc", "turtle")
    'W/"abc-turtle"'
    """
    extra = "-" + hashlib.sha256("\n".join(variant).encode()).hexdigest()[:8] if variant else ""
    return ('W/' if weak else '') + f'"{version}{extra}-{fmt}"'


def validators(etag: str, last_modified: datetime) -> dict[str, str]:
    """The ETag, Last-Modified and Cache-Control headers of a representation."""
    return {"ETag": etag, "Last-Modified": format_datetime(last_modified, usegmt=True),
            "Cache-Control": "public, max-age=3600"}


def entity_tags(header: str) -> list[str] | None:
    """The entity tags of an If-None-Match value (``*`` included); None when the value is malformed.

    >>> entity_tags('W/"a", "b"')
    ['W/"a"', '"b"']
    """
    tags, position = [], 0
    header = header.strip()
    while position < len(header):
        m = _ENTITY_TAG.match(header, position)
        if not m:
            return None
        tags.append(m.group(1))
        position = m.end()
    return tags


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """True when a GET/HEAD request's preconditions say the client's copy is current (answer 304).

    If-None-Match (weak comparison, lists, ``*``) decides when present; otherwise
    If-Modified-Since, compared with ``last_modified`` to the second (RFC 9110 §13.1.3, §13.2.2).
    """
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = entity_tags(if_none_match)
        if not tags:
            return False
        return "*" in tags or _opaque(etag) in {_opaque(t) for t in tags}
    since = request.headers.get("if-modified-since")
    if since:
        try:
            date = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if date.tzinfo is None:
            date = date.replace(tzinfo=timezone.utc)
        return last_modified.replace(microsecond=0) <= date
    return False


def not_modified_response(headers: dict[str, str]) -> Response:
    """A 304 carrying the headers a 200 would have had (validators, Vary, Link)."""
    kept = {k: v for k, v in headers.items() if k.lower() not in ("content-disposition",)}
    return Response(status_code=304, headers=kept)


def conditional(request: Request, etag: str, last_modified: datetime, headers: dict[str, str]) -> Response | None:
    """Add the validators to ``headers``; return the 304 to send, or None to send the representation."""
    headers.update(validators(etag, last_modified))
    if not_modified(request, etag, last_modified):
        return not_modified_response(headers)
    return None
