"""Prometheus metrics of one service process: requests, latencies, timeouts, rejected queries."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    """The counters and histograms the service exposes at ``/metrics``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("gfmd_http_requests", "HTTP requests by route and status",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("gfmd_http_request_duration_seconds", "HTTP request latency by route",
                                 ["route"], registry=self.registry,
                                 buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.queries = Counter("gfmd_queries", "SPARQL queries by outcome (ok, syntax-error, refused, timeout, "
                               "busy, bad-request, store-error)", ["outcome"], registry=self.registry)
        self.query_latency = Histogram("gfmd_query_duration_seconds", "SPARQL query latency",
                                       registry=self.registry,
                                       buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.cache_hits = Gauge("gfmd_cache_hits", "answers served from the result cache", registry=self.registry)
        self.timeouts = Gauge("gfmd_query_timeouts", "queries stopped at the time limit", registry=self.registry)

    def observe_query(self, outcome: str, seconds: float) -> None:
        self.queries.labels(outcome).inc()
        self.query_latency.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)



class MetricsMiddleware:
    """ASGI middleware counting requests and timing them per route (cheaper than an HTTP middleware)."""

    def __init__(self, app, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def record(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(route, scope["method"], str(status[0])).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
