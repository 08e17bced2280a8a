"""Where each relationship sits on the ecomap: on its circle, in a stable order (by type, then
name, then id), evenly spread, so the same network always gives the same picture.

A circle with more relationships than room for their names is drawn "dense": its nodes
alternate between two radii and shrink, and their names move to the text alternative."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from domain.network.vocabulary import CLOSENESS, RELATIONSHIP_TYPES
from infra.web.pictures import svg

SIZE = 400.0
CENTRE = (SIZE / 2, SIZE / 2)
CENTRE_RADIUS = 26.0
RING_RADII = {"inner": 72.0, "middle": 124.0, "outer": 176.0}
GAP_ANGLE = math.radians(225)  # bottom left: where the circles' names are written
GAP_WIDTH = math.radians(24)
NODE_RADIUS, MIN_NODE_RADIUS = 12.0, 4.0
LABELLED_SPACING = 56.0  # room along the circle for a name under a node
STAGGER = 12.0
SHIFTS = (0, -1, 1, -2, 2, -3, 3, -4, 4)  # tenths of a step; the first best wins


class Placeable(Protocol):
    @property
    def relationship_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def relationship_type(self) -> str: ...
    @property
    def closeness(self) -> str: ...


P = TypeVar("P", bound=Placeable)


@dataclass(frozen=True)
class Place:
    x: float
    y: float
    radius: float  # the node's
    labelled: bool  # room for its name and support tags under it


def order_key(entry: Placeable) -> tuple[int, str, str]:
    return (RELATIONSHIP_TYPES.index(entry.relationship_type), entry.name.casefold(),
            entry.relationship_id)


def _clearance(places: list[Place], inside: list[Place]) -> float:
    """How far the lines to `places` pass from the nodes of the circles inside them: the
    smallest gap between a line and a node it runs past (large is good)."""
    worst = math.inf
    for p in places:
        angle = math.atan2(p.x - CENTRE[0], CENTRE[1] - p.y)
        for q in inside:
            turn = abs((math.atan2(q.x - CENTRE[0], CENTRE[1] - q.y) - angle + math.pi)
                       % (2 * math.pi) - math.pi)
            if turn < math.pi / 2:
                distance = math.hypot(q.x - CENTRE[0], q.y - CENTRE[1]) * math.sin(turn)
                worst = min(worst, distance - q.radius)
    return worst


def _spread(count: int, radius: float, node: float, stagger: float, labelled: bool,
            shift: float) -> list[Place]:
    sweep = 2 * math.pi - GAP_WIDTH
    start = GAP_ANGLE + GAP_WIDTH / 2
    places = []
    for n in range(count):
        angle = start + sweep * (n + 0.5 + shift) / count
        x, y = svg.polar(*CENTRE, radius + (stagger if n % 2 else -stagger), angle)
        places.append(Place(x, y, node, labelled))
    return places


def _ring(count: int, radius: float, inside: list[Place]) -> list[Place]:
    """`count` nodes on the circle, turned (by less than half a step) so their lines pass
    as far as possible from the nodes of the inner circles."""
    sweep = 2 * math.pi - GAP_WIDTH
    spacing = radius * sweep / max(count, 1)  # arc length between neighbours
    labelled = spacing >= LABELLED_SPACING
    node, stagger = NODE_RADIUS, 0.0
    if not labelled:  # alternate two radii: neighbours on one radius are two steps apart
        step, low, high = sweep / count, radius - STAGGER, radius + STAGGER
        along = 2 * low * math.sin(step)  # two steps apart on the inner radius
        across = math.sqrt(low**2 + high**2 - 2 * low * high * math.cos(step))
        node = max(MIN_NODE_RADIUS, min(NODE_RADIUS, along / 2 - 1, across / 2 - 1))
        stagger = STAGGER
    candidates = [_spread(count, radius, node, stagger, labelled, k / 10) for k in SHIFTS]
    return max(candidates, key=lambda places: _clearance(places, inside))


def layout(entries: Sequence[P]) -> list[tuple[P, Place]]:
    """Every relationship with its place, inner circle first, each circle in stable order."""
    placed: list[tuple[P, Place]] = []
    for circle in CLOSENESS:
        ring = sorted((e for e in entries if e.closeness == circle), key=order_key)
        places = _ring(len(ring), RING_RADII[circle], [place for _, place in placed])
        placed += zip(ring, places, strict=True)
    return placed


def edge_point(place: Place) -> tuple[float, float]:
    """Where the line from the person meets the node's edge."""
    dx, dy = place.x - CENTRE[0], place.y - CENTRE[1]
    distance = math.hypot(dx, dy)
    return place.x - dx / distance * place.radius, place.y - dy / distance * place.radius


def centre_edge(place: Place) -> tuple[float, float]:
    dx, dy = place.x - CENTRE[0], place.y - CENTRE[1]
    distance = math.hypot(dx, dy)
    return (CENTRE[0] + dx / distance * CENTRE_RADIUS, CENTRE[1] + dy / distance * CENTRE_RADIUS)
