"""HTTP content negotiation: pick a media type from an ``Accept`` header, honouring q-values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; a missing or empty header accepts anything.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/html;q=0.9, */*;q=0.1")]
    [('text', 'html', 0.9), ('*', '*', 0.1)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        main, _, sub = fields[0].lower().partition("/")
        if not main:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub or "*", q, order))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q-value the most specific matching range gives ``media_type`` (0 if none)."""
    best = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best else 0.0


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers most; ties go to the server's order.

    >>> choose("application/json, */*;q=0.5", ["application/sparql-results+json", "application/json"])
    'application/json'
    >>> choose("text/html", ["text/turtle"]) is None
    True
    >>> choose("*/*", ["text/turtle", "application/ld+json"])
    'text/turtle'
    """
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media_type in offered:
        q = quality(ranges, media_type)
        if q > best_q:
            best, best_q = media_type, q
    return best
