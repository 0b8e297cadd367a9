"""Every setting of the service, read from ``GFMD_*`` environment variables.

=========================  ==========================================================  ===========
variable                   meaning                                                     default
=========================  ==========================================================  ===========
GFMD_HOST / GFMD_PORT      where ``gfmd serve`` listens                                127.0.0.1 / 8000
GFMD_WORKERS               uvicorn worker processes (each with its own query pool)     1
GFMD_ROOT                  folder holding ontology/, shapes/, data/, queries/          the bundled graph
GFMD_BASE_IRI              base of the resource IRIs the pages resolve                 https://w3id.org/gfmd/
GFMD_STORE_URL             query URL of an existing SPARQL server to front             (embedded store)
GFMD_QUERY_WORKERS         query workers kept ready (forks sharing one loaded store)   2
GFMD_QUERY_WORKERS_MAX     query workers at most, forked while the ready ones are busy 16
GFMD_QUERY_TIMEOUT         seconds a query may run before it is stopped                10
GFMD_MAX_ROWS              rows (or triples) per answer; more are cut off              10000
GFMD_MAX_RESPONSE_BYTES    bytes per answer; more are cut off at a row boundary        50000000
GFMD_MAX_QUERY_LENGTH      characters per query                                        100000
GFMD_MAX_URL_LENGTH        bytes of a request URL; longer GET requests get 414         65535
GFMD_MAX_REQUEST_HEAD      bytes of a request line and headers ``gfmd serve`` reads    4194304
GFMD_MAX_WAITING           queries waiting for a worker; more get 503                  16
GFMD_WAIT_TIMEOUT          seconds a query waits for a worker before 503               5
GFMD_SERVICE_ALLOWLIST     SERVICE endpoints queries may call (comma-separated)        (none)
GFMD_CACHE_SIZE            answers kept in the result cache (0 disables it)            512
GFMD_VALIDATE              run the gate at start-up: ``on`` or ``off``                 on
GFMD_LOG_LEVEL             log level                                                   info
=========================  ==========================================================  ===========
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _number(name: str, default, cast=int):
    raw = os.environ.get(name)
    try:
        return cast(raw) if raw not in (None, "") else default
    except ValueError:
        raise ValueError(f"{name} must be {'an integer' if cast is int else 'a number'}, not {raw!r}") from None


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise ValueError(f"{name} must be on or off, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    """The service's configuration; :meth:`from_env` reads it from the environment."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    root: Path | None = None
    base_iri: str = "https://w3id.org/gfmd/"
    store_url: str | None = None
    query_workers: int = 2
    query_workers_max: int = 16
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_response_bytes: int = 50_000_000
    max_query_length: int = 100_000
    max_url_length: int = 65_535  # the longest URL httptools parses
    max_request_head: int = 4 * 1024 * 1024  # read by ``gfmd serve`` (uvicorn's h11 limit), above the URL limit
    max_waiting: int = 16
    wait_timeout: float = 5.0
    service_allowlist: frozenset[str] = field(default_factory=frozenset)
    cache_size: int = 512
    validate: bool = True
    log_level: str = "info"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Read every ``GFMD_*`` variable; keyword arguments win over the environment."""
        root = os.environ.get("GFMD_ROOT")
        allow = os.environ.get("GFMD_SERVICE_ALLOWLIST", "")
        values = dict(
            host=os.environ.get("GFMD_HOST", cls.host),
            port=_number("GFMD_PORT", cls.port),
            workers=_number("GFMD_WORKERS", cls.workers),
            root=Path(root) if root else None,
            base_iri=os.environ.get("GFMD_BASE_IRI", cls.base_iri),
            store_url=os.environ.get("GFMD_STORE_URL") or None,
            query_workers=_number("GFMD_QUERY_WORKERS", cls.query_workers),
            query_workers_max=_number("GFMD_QUERY_WORKERS_MAX", cls.query_workers_max),
            query_timeout=_number("GFMD_QUERY_TIMEOUT", cls.query_timeout, float),
            max_rows=_number("GFMD_MAX_ROWS", cls.max_rows),
            max_response_bytes=_number("GFMD_MAX_RESPONSE_BYTES", cls.max_response_bytes),
            max_query_length=_number("GFMD_MAX_QUERY_LENGTH", cls.max_query_length),
            max_url_length=_number("GFMD_MAX_URL_LENGTH", cls.max_url_length),
            max_request_head=_number("GFMD_MAX_REQUEST_HEAD", cls.max_request_head),
            max_waiting=_number("GFMD_MAX_WAITING", cls.max_waiting),
            wait_timeout=_number("GFMD_WAIT_TIMEOUT", cls.wait_timeout, float),
            service_allowlist=frozenset(s.strip() for s in allow.split(",") if s.strip()),
            cache_size=_number("GFMD_CACHE_SIZE", cls.cache_size),
            validate=_flag("GFMD_VALIDATE", cls.validate),
            log_level=os.environ.get("GFMD_LOG_LEVEL", cls.log_level).lower(),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
