"""Where nodes sit: on their circle, inside the picture, never on top of one another."""

from __future__ import annotations

import math
from itertools import combinations

import pytest

from infra.web.pictures.ecomap_layout import CENTRE, RING_RADII, SIZE, STAGGER, layout
from tests.web.pictures.relationships import FEW, many


def test_each_node_sits_on_its_circle() -> None:
    for entry, place in layout(FEW):
        distance = math.hypot(place.x - CENTRE[0], place.y - CENTRE[1])
        assert abs(distance - RING_RADII[entry.closeness]) <= STAGGER + 0.01


@pytest.mark.parametrize("network", [FEW, many(60), many(60, "inner"), many(60, "outer"),
                                     many(1), many(2, "inner")])
def test_nodes_never_overlap_and_stay_inside_the_picture(network: list) -> None:  # type: ignore[type-arg]
    placed = layout(network)
    assert len(placed) == len(network)
    for _, p in placed:
        assert p.radius <= p.x <= SIZE - p.radius and p.radius <= p.y <= SIZE - p.radius
    for (_, a), (_, b) in combinations(placed, 2):
        assert math.hypot(a.x - b.x, a.y - b.y) >= a.radius + b.radius


def test_a_crowded_circle_drops_names_and_a_roomy_one_keeps_them() -> None:
    assert all(p.labelled for _, p in layout(FEW))
    assert not any(p.labelled for _, p in layout(many(60, "inner")))


def test_positions_do_not_depend_on_the_order_given() -> None:
    forward = {e.relationship_id: p for e, p in layout(many(40))}
    backward = {e.relationship_id: p for e, p in layout(list(reversed(many(40))))}
    assert forward == backward


def test_a_circle_is_ordered_by_type_then_name() -> None:
    middle = [e.name for e, _ in layout(FEW) if e.closeness == "middle"]
    assert middle == ["Frère Paul", "M. Gagnon", "Julie Tremblay"]
