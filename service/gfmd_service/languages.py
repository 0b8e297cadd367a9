"""The language a person reads pages in: ``?lang=`` first, then ``Accept-Language`` (RFC 9110 §12.5.4),
English last. Only the six UN languages the graph's labels carry are offered; nothing is translated."""

from __future__ import annotations

import re

from fastapi import Request

from .problems import HttpProblem

#: The six UN languages, as the graph tags them, with their names in their own language.
UN_LANGUAGES = {"ar": "العربية", "zh": "中文", "en": "English", "es": "Español", "fr": "Français", "ru": "Русский"}
FALLBACK = "en"
_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def primary(tag: str) -> str:
    """The primary subtag, lower-cased: ``zh-Hans-CN`` -> ``zh``.

    >>> primary("zh-Hans-CN"), primary("FR")
    ('zh', 'fr')
    """
    return tag.split("-", 1)[0].lower()


def accepted(header: str | None) -> list[str]:
    """The UN languages an Accept-Language header asks for, most wanted first (q=0 excluded).

    >>> accepted("fr-CH, fr;q=0.9, de;q=0.8, ar;q=0.7, *;q=0.1")
    ['fr', 'ar']
    >>> accepted("es;q=0, en")
    ['en']
    """
    ranked = []
    for order, part in enumerate((header or "").split(",")):
        tag, *params = [f.strip() for f in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        lang = primary(tag) if tag and tag != "*" and _TAG.match(tag) else None
        if lang in UN_LANGUAGES and q > 0:
            ranked.append((-q, order, lang))
    out: list[str] = []
    for _, _, lang in sorted(ranked):
        if lang not in out:
            out.append(lang)
    return out


def preferred(request: Request) -> list[str]:
    """Languages to label a page in, best first, always ending with English.

    ``?lang=`` that is not one of the six UN languages is a 400, naming the ones offered.
    """
    asked = request.query_params.get("lang")
    if asked is not None:
        if not _TAG.match(asked) or primary(asked) not in UN_LANGUAGES:
            raise HttpProblem(400, "unknown-language",
                              f"lang={asked[:40]!r} is not offered; use one of {', '.join(UN_LANGUAGES)}")
        order = [primary(asked)]
    else:
        order = accepted(request.headers.get("accept-language"))
    return order + [FALLBACK] if FALLBACK not in order else order
