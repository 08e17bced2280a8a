"""The ecomap's marks: an icon per relationship type, a line style per quality (ordered by
the domain: 1 conflictual ... 5 very supportive), and the break mark of a conflictual tie.
No red: a difficult relationship is drawn in brown, dotted and broken, never as an alarm."""

from __future__ import annotations

from dataclasses import dataclass

from infra.web.pictures import svg

# 16 x 16 drawings, stroked in the node's ink; each is a <symbol> used by id.
ICONS = {
    "family": "M2 8.5 8 3l6 5.5M4 7.5V14h8V7.5M7 14v-3.5h2V14",
    "partner": "M8 13.5C3 10 1.5 7.5 2.7 5.2 3.9 3 6.6 3.2 8 5.3 9.4 3.2 12.1 3 13.3 5.2"
               " 14.5 7.5 13 10 8 13.5Z",
    "friend": "M8 2.5a5.5 5.5 0 1 0 0.01 0ZM5.6 9.3Q8 11.8 10.4 9.3M6 6.5v.5M10 6.5v.5",
    "neighbour": "M1.5 9 5 5.5 8.5 9M2.5 8v5.5h5V8M8.5 9 11.5 6l3 3M9.5 8.5v5h4v-5",
    "colleague": "M2 6h12v7.5H2ZM5.5 6V4h5v2M2 9.5h12",
    "professional": "M6.3 2.5h3.4v3.8h3.8v3.4H9.7v3.8H6.3V9.7H2.5V6.3h3.8Z",
    "community_resource": "M2 6 8 2.5 14 6ZM3.5 7.5v5M6.5 7.5v5M9.5 7.5v5M12.5 7.5v5M2 13.5h12",
    "pet": "M8 8.5c2.3 0 4 2.3 4 3.8 0 1.3-1.6 1.4-4 1.4s-4-.1-4-1.4c0-1.5 1.7-3.8 4-3.8Z"
           "M3.3 7.3a1.3 1.6 0 1 0 .01 0ZM6 3.3a1.3 1.6 0 1 0 .01 0ZM10 3.3a1.3 1.6 0 1 0 .01 0Z"
           "M12.7 7.3a1.3 1.6 0 1 0 .01 0Z",
    "other": "M4 8a1 1 0 1 0 .01 0ZM8 8a1 1 0 1 0 .01 0ZM12 8a1 1 0 1 0 .01 0Z",
}


@dataclass(frozen=True)
class TieStyle:
    colour: str
    width: float
    dash: str | None
    broken: bool  # a break mark across the line


TIE_STYLES = {
    5: TieStyle("#1b7837", 5.0, None, False),      # very supportive: thick solid
    4: TieStyle("#1b7837", 2.5, None, False),      # supportive: solid
    3: TieStyle("#767676", 1.2, None, False),      # neutral: thin
    2: TieStyle("#8c510a", 2.0, "7 5", False),     # strained: dashed
    1: TieStyle("#8c510a", 2.0, "1.5 4.5", True),  # conflictual: dotted, with a break mark
}


def icon_defs(types: list[str]) -> str:
    symbols = "".join(
        f'<symbol id="icon-{kind}" viewBox="0 0 16 16"><path d="{ICONS[kind]}" fill="none"'
        ' stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"'
        ' stroke-linecap="round"/></symbol>' for kind in types)
    return f"<defs>{symbols}</defs>"


def icon(kind: str, x: float, y: float, size: float, colour: str) -> str:
    return (f'<use href="#icon-{kind}" x="{svg.num(x - size / 2)}" y="{svg.num(y - size / 2)}"'
            f' width="{svg.num(size)}" height="{svg.num(size)}" color="{colour}"/>')


def tie(quality: int, start: tuple[float, float], end: tuple[float, float]) -> str:
    """The line from the person to a relationship, styled by its quality."""
    style = TIE_STYLES[quality]
    (x1, y1), (x2, y2) = start, end
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    line = (f'<line x1="{svg.num(x1)}" y1="{svg.num(y1)}" x2="{svg.num(x2)}" y2="{svg.num(y2)}"'
            f' stroke="{style.colour}" stroke-width="{svg.num(style.width)}"'
            f' stroke-linecap="round"{dash}/>')
    if not style.broken:
        return f'<g class="tie" data-quality="{quality}">{line}</g>'
    return f'<g class="tie" data-quality="{quality}">{line}{break_mark(start, end, style)}</g>'


def break_mark(start: tuple[float, float], end: tuple[float, float], style: TieStyle) -> str:
    """Two short strokes across the line at its middle, like a '//' cut."""
    (x1, y1), (x2, y2) = start, end
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length  # along the line
    px, py = -uy, ux  # across it
    marks = []
    for shift in (-2.5, 2.5):
        mx, my = x1 + (x2 - x1) * 0.5 + ux * shift, y1 + (y2 - y1) * 0.5 + uy * shift
        a = (mx + px * 6 + ux * 2, my + py * 6 + uy * 2)
        b = (mx - px * 6 - ux * 2, my - py * 6 - uy * 2)
        marks.append(f'<line class="break" x1="{svg.num(a[0])}" y1="{svg.num(a[1])}"'
                     f' x2="{svg.num(b[0])}" y2="{svg.num(b[1])}" stroke="{style.colour}"'
                     ' stroke-width="2"/>')
    return "".join(marks)
