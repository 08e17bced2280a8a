"""Something to talk about: themes where the two views lie 30 points or more apart."""

from __future__ import annotations

import pytest

from infra.web.pictures.talking_points import WIDE_DIFFERENCE, something_to_talk_about


def test_only_differences_of_thirty_points_or_more_are_listed() -> None:
    person = {"housing": 70, "food": 50, "sleep": 100, "money": 10}
    practitioner = {"housing": 40, "food": 21, "sleep": 0, "money": 39}
    found = something_to_talk_about(person, practitioner)
    assert WIDE_DIFFERENCE == 30
    assert [(d.theme, d.gap) for d in found] == [("sleep", 100), ("housing", 30)]


def test_the_widest_difference_comes_first_then_the_catalog_order() -> None:
    person = {"a": 0, "b": 0, "c": 90}
    practitioner = {"a": 40, "b": 40, "c": 10}
    order = ["c", "b", "a"]
    found = something_to_talk_about(person, practitioner, order)
    assert [d.theme for d in found] == ["c", "b", "a"]
    assert [d.theme for d in something_to_talk_about(person, practitioner)] == ["c", "a", "b"]


def test_which_way_the_difference_goes_does_not_matter() -> None:
    up = something_to_talk_about({"x": 80}, {"x": 20})
    down = something_to_talk_about({"x": 20}, {"x": 80})
    assert [d.gap for d in up] == [d.gap for d in down] == [60]
    assert (up[0].person, up[0].practitioner) == (80, 20)


def test_a_theme_rated_by_one_side_only_is_not_listed() -> None:
    assert something_to_talk_about({"x": 100}, {"y": 0}) == []
    assert something_to_talk_about({}, {}) == []


def test_the_threshold_can_be_chosen() -> None:
    assert [d.theme for d in something_to_talk_about({"x": 50}, {"x": 70}, threshold=20)] == ["x"]


@pytest.mark.parametrize(("person", "practitioner", "threshold", "message"), [
    ({"x": 101}, {"x": 0}, 30, "integer 0-100"),
    ({"x": 50}, {"x": -1}, 30, "integer 0-100"),
    ({"x": True}, {"x": 0}, 30, "integer 0-100"),
    ({"x": 50}, {"x": 0}, 0, "threshold"),
])
def test_values_off_the_scale_are_refused(person: dict[str, int], practitioner: dict[str, int],
                                          threshold: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        something_to_talk_about(person, practitioner, threshold=threshold)
