"""Jinja2 templates of the HTML pages (autoescaped)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render(name: str, **context) -> str:
    """Render the template ``name`` with ``context``."""
    return _ENV.get_template(name).render(**context)
