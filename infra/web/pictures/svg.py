"""The few SVG primitives the pictures share: escaped text, fixed-precision numbers, elements.

Every text that comes from a person (a name, a label) goes through `text` or `attribute`:
XML-escaped, quotes included, with the characters XML 1.0 cannot carry replaced, so the
markup stays well-formed whatever was typed."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from urllib.parse import urlsplit

NumberFormat = Callable[[float], str]
SVG_NS = "http://www.w3.org/2000/svg"
# Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#39;"})


def text(value: str) -> str:
    """Text content or an attribute value, safe inside SVG and HTML."""
    return _NOT_XML.sub("\ufffd", value).translate(_ESCAPES)


attribute = text


def num(value: float) -> str:
    """A coordinate with one decimal, without a trailing '.0': stable output for the same data."""
    rounded = round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:.1f}".removesuffix(".0")


def shorten(value: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def safe_href(href: str) -> str:
    """A link the page gives a node: a path on this site or an http(s) address, never a
    `javascript:` or `data:` one. ValueError otherwise."""
    scheme = urlsplit(href.strip()).scheme.lower()
    if scheme not in ("", "http", "https") or not href.strip():
        raise ValueError(f"a picture's link must be a path or an http(s) address, got {href!r}")
    return href.strip()


def polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    """The point at `radius` from the centre, `angle` radians clockwise from twelve o'clock."""
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)


def points(coordinates: list[tuple[float, float]]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in coordinates)


def svg_open(width: float, height: float, title_id: str, desc_id: str, role: str = "img",
             css_class: str = "") -> str:
    """The root element, sized by its viewBox only so the page scales it (100 % wide)."""
    return (f'<svg xmlns="{SVG_NS}" viewBox="0 0 {num(width)} {num(height)}"'
            f' class="{attribute(css_class)}" role="{role}"'
            f' aria-labelledby="{title_id} {desc_id}" preserveAspectRatio="xMidYMid meet"'
            ' font-family="system-ui, sans-serif">')


def title_and_desc(title_id: str, title: str, desc_id: str, desc: str) -> str:
    return (f'<title id="{title_id}">{text(title)}</title>'
            f'<desc id="{desc_id}">{text(desc)}</desc>')


def label(x: float, y: float, content: str, size: float = 11, anchor: str = "middle",
          extra: str = "") -> str:
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"'
            f' text-anchor="{anchor}"{extra}>{text(content)}</text>')


def picture_id(kind: str, key: str) -> str:
    """An id for a picture's title and description that differs between pictures on one page
    (the caller passes a key such as the person's or the theme's) and is a valid XML name."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", key)[:60]
    return f"{kind}-{cleaned}" if cleaned else kind
