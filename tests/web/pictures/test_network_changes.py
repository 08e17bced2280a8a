"""What changed between two dates: added, ended, better, worse."""

from __future__ import annotations

import dataclasses

import pytest

from infra.web.pictures.network_changes import changes_between
from tests.web.pictures.relationships import rel

AMELIE, BRUNO, DENISE = rel(1, "Amélie", quality=3), rel(2, "Bruno", quality=4), rel(
    3, "Denise", "neighbour", 2)


def test_the_four_lists_compare_the_two_maps() -> None:
    before = [AMELIE, BRUNO, DENISE]
    after = [dataclasses.replace(AMELIE, quality=5),
             dataclasses.replace(BRUNO, quality=2, name="Bruno G."),
             rel(4, "Chloé", quality=3), rel(5, "anne", quality=5)]
    changes = changes_between(before, after)
    assert [r.name for r in changes.added] == ["anne", "Chloé"]
    assert [r.name for r in changes.ended] == ["Denise"]
    assert [(c.before.quality, c.after.quality, c.steps) for c in changes.improved] == [(3, 5, 2)]
    assert [(c.after.name, c.steps) for c in changes.worsened] == [("Bruno G.", -2)]


def test_other_changes_are_not_listed() -> None:
    moved = dataclasses.replace(AMELIE, closeness="inner", name="Amélie R.",
                                supports=("social",))
    changes = changes_between([AMELIE], [moved])
    assert not changes and changes.improved == changes.worsened == ()


def test_the_same_map_twice_and_two_empty_maps_have_no_change() -> None:
    assert not changes_between([AMELIE, BRUNO], [BRUNO, AMELIE])
    assert not changes_between([], [])


def test_from_nothing_everything_is_added_and_to_nothing_everything_ended() -> None:
    assert changes_between([], [AMELIE, BRUNO]).added == (AMELIE, BRUNO)
    assert changes_between([AMELIE, BRUNO], []).ended == (AMELIE, BRUNO)


def test_a_map_listing_a_relationship_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        changes_between([AMELIE, AMELIE], [])
