"""The ecomap's legend, drawn under the map: line styles by quality (all five, strongest
first), the types present, the kinds of support and their tags."""

from __future__ import annotations

from infra.web.pictures import svg
from infra.web.pictures.ecomap_marks import TIE_STYLES, icon
from infra.web.pictures.ecomap_words import EcomapWords
from infra.web.pictures.palette import INK, MUTED

ROW = 20.0
TAG_WIDTH = 13.0


def support_tag(x: float, y: float, tag: str) -> str:
    """A small pill holding a kind of support's one or two letters."""
    return (f'<rect x="{svg.num(x)}" y="{svg.num(y - 8)}" width="{svg.num(TAG_WIDTH)}"'
            f' height="11" rx="3" fill="#eef3f8" stroke="{MUTED}" stroke-width="0.6"/>'
            + svg.label(x + TAG_WIDTH / 2, y, svg.shorten(tag, 2), 8, extra=f' fill="{INK}"'))


def _heading(x: float, y: float, words: str) -> str:
    return svg.label(x, y, words, 12, "start", f' fill="{INK}" font-weight="bold"')


def legend(top: float, words: EcomapWords, types: list[str], supports: list[str]) -> tuple[
        list[str], float]:
    """The legend's elements and its height."""
    left, right = 10.0, 210.0
    parts = [_heading(left, top + 12, words.quality_heading)]
    for n, quality in enumerate(sorted(TIE_STYLES, reverse=True)):
        style, y = TIE_STYLES[quality], top + 30 + ROW * n
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        parts.append(f'<line x1="{svg.num(left)}" y1="{svg.num(y)}" x2="{svg.num(left + 40)}"'
                     f' y2="{svg.num(y)}" stroke="{style.colour}"'
                     f' stroke-width="{svg.num(style.width)}" stroke-linecap="round"{dash}/>')
        if style.broken:
            parts.append(f'<path d="M{svg.num(left + 17)} {svg.num(y + 5)}l4 -10M'
                         f'{svg.num(left + 22)} {svg.num(y + 5)}l4 -10"'
                         f' stroke="{style.colour}" stroke-width="2"/>')
        parts.append(svg.label(left + 48, y + 4, svg.shorten(words.qualities[quality], 22), 11,
                               "start", f' fill="{INK}"'))
    left_height = 30 + ROW * len(TIE_STYLES)
    y = top + 12
    if types:
        parts.append(_heading(right, y, words.type_heading))
        for kind in types:
            y += ROW
            parts.append(icon(kind, right + 8, y - 4, 14, INK))
            parts.append(svg.label(right + 22, y, svg.shorten(words.types[kind], 24), 11,
                                   "start", f' fill="{INK}"'))
        y += ROW + 6
    if supports:
        parts.append(_heading(right, y, words.support_heading))
        for kind in supports:
            y += ROW
            parts.append(support_tag(right, y, words.support_tags[kind]))
            parts.append(svg.label(right + 20, y + 1, svg.shorten(words.supports[kind], 24),
                                   11, "start", f' fill="{INK}"'))
    return parts, max(left_height, y - top + 10)
