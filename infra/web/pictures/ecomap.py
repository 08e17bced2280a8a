"""The ecomap: the person at the centre, three circles, one node per relationship with an
icon by type, a line styled by quality, support tags, a legend, and its text alternative."""

from __future__ import annotations

from collections.abc import Sequence

from domain.network.vocabulary import RELATIONSHIP_TYPES, SUPPORT_KINDS
from infra.web.pictures import svg
from infra.web.pictures.ecomap_layout import (
    CENTRE,
    CENTRE_RADIUS,
    GAP_ANGLE,
    RING_RADII,
    SIZE,
    Place,
    centre_edge,
    edge_point,
    layout,
)
from infra.web.pictures.ecomap_legend import TAG_WIDTH, legend, support_tag
from infra.web.pictures.ecomap_marks import TIE_STYLES, icon, icon_defs, tie
from infra.web.pictures.ecomap_words import EcomapWords, MapRelationship
from infra.web.pictures.palette import GRID, INK, MUTED, PERSON_BLUES
from infra.web.pictures.table import Table


def _circles(words: EcomapWords) -> list[str]:
    parts = []
    for circle, radius in RING_RADII.items():
        parts.append(f'<circle cx="{svg.num(CENTRE[0])}" cy="{svg.num(CENTRE[1])}"'
                     f' r="{svg.num(radius)}" fill="none" stroke="{GRID}" stroke-width="1"/>')
        x, y = svg.polar(*CENTRE, radius, GAP_ANGLE)
        parts.append(svg.label(x, y + 3, svg.shorten(words.circles[circle], 18), 9,
                               extra=f' fill="{MUTED}" stroke="white" stroke-width="3"'
                                     ' paint-order="stroke"'))
    return parts


def _centre(words: EcomapWords) -> str:
    x, y = CENTRE
    return (f'<g class="centre"><circle cx="{svg.num(x)}" cy="{svg.num(y)}"'
            f' r="{svg.num(CENTRE_RADIUS)}" fill="{PERSON_BLUES[-1]}"/>'
            + svg.label(x, y + 4, svg.shorten(words.centre, 9), 11,
                        extra=' fill="white" font-weight="bold"') + "</g>")


def describe(entry: MapRelationship, words: EcomapWords) -> tuple[str, str, str, str, str]:
    """One line of the text alternative: name, type, circle, quality, kinds of support."""
    kind = words.types[entry.relationship_type]
    return (entry.name, f"{kind} ({entry.label})" if entry.label else kind,
            words.circles[entry.closeness], words.qualities[entry.quality],
            ", ".join(words.supports[s] for s in entry.supports) or words.no_support)


def _inside(x: float, width: float) -> float:
    """The centre of a text about `width` wide near `x`, moved so it stays inside the map."""
    return min(max(x, width / 2 + 2), SIZE - width / 2 - 2)


def _node(entry: MapRelationship, place: Place, words: EcomapWords) -> str:
    style = TIE_STYLES[entry.quality]
    parts = [(f'<circle cx="{svg.num(place.x)}" cy="{svg.num(place.y)}"'
              f' r="{svg.num(place.radius)}" fill="white" stroke="{style.colour}"'
              ' stroke-width="2"/>')]
    if place.radius >= 7:
        parts.append(icon(entry.relationship_type, place.x, place.y, place.radius * 1.25, INK))
    if place.labelled:
        name = svg.shorten(entry.name, 12)
        parts.append(svg.label(_inside(place.x, len(name) * 5.8), place.y + place.radius + 11,
                               name, 10, extra=f' fill="{INK}"'))
        tags_width = TAG_WIDTH * len(entry.supports) + 2 * (len(entry.supports) - 1)
        left = _inside(place.x, tags_width) - tags_width / 2
        for n, kind in enumerate(entry.supports):
            parts.append(support_tag(left + n * (TAG_WIDTH + 2), place.y + place.radius + 23,
                                     words.support_tags[kind]))
    tooltip = f"<title>{svg.text(' · '.join(describe(entry, words)))}</title>"
    node = (f'<g class="node" data-type="{entry.relationship_type}"'
            f' data-closeness="{entry.closeness}" data-quality="{entry.quality}">'
            f'{tooltip}{"".join(parts)}</g>')
    if entry.href is None:  # the table says it all; a link names itself below
        return node.replace('<g class="node"', '<g aria-hidden="true" class="node"', 1)
    label = ", ".join(describe(entry, words))
    return (f'<a class="node-link" href="{svg.attribute(svg.safe_href(entry.href))}"'
            f' aria-label="{svg.attribute(label)}">{node}</a>')


def ecomap_svg(relationships: Sequence[MapRelationship], words: EcomapWords,
               key: str = "") -> str:
    """The map as an SVG element. With links (an `href` on a node) it is a group of links a
    keyboard and a screen reader can reach; without, a single image."""
    placed = layout(relationships)
    types = [t for t in RELATIONSHIP_TYPES if any(r.relationship_type == t for r in relationships)]
    supports = [s for s in SUPPORT_KINDS if any(s in r.supports for r in relationships)]
    legend_parts, legend_height = legend(SIZE + 4, words, types, supports)
    linked = any(r.href is not None for r in relationships)
    title_id = svg.picture_id("ecomap-title", key)
    desc_id = svg.picture_id("ecomap-desc", key)
    body = [svg.svg_open(SIZE, SIZE + 4 + legend_height, title_id, desc_id,
                         "group" if linked else "img", "picture ecomap"),
            svg.title_and_desc(title_id, words.title, desc_id, words.description),
            icon_defs(types), '<g aria-hidden="true">', *_circles(words)]
    body += [tie(entry.quality, centre_edge(place), edge_point(place))
             for entry, place in placed]
    body += [_centre(words), *legend_parts, "</g>"]
    body += [_node(entry, place, words) for entry, place in placed]
    return "".join([*body, "</svg>"])


def ecomap_table(relationships: Sequence[MapRelationship], words: EcomapWords) -> Table:
    """The text alternative: every relationship, in the map's order (inner circle first)."""
    rows = tuple(describe(entry, words)
                 for entry, _ in layout(relationships))
    return Table(words.title, words.columns, rows)
