"""A theme's history: two series over time, stars marked, a table in time order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infra.web.pictures.theme_history import Point, history_svg, history_table
from tests.web.pictures.parsing import SVG, parse, texts, view_box, with_class
from tests.web.pictures.words import HISTORY, day, percent


def at(month: int) -> datetime:
    return datetime(2025, month, 3, tzinfo=UTC)


PERSON = [Point(at(1), 40), Point(at(4), 55, True), Point(at(8), 70, True), Point(at(12), 100)]
PRACTITIONER = [Point(at(4), 30), Point(at(12), 0)]


def test_the_person_and_the_practitioner_are_two_series_the_practitioners_dashed() -> None:
    root = parse(history_svg(PERSON, PRACTITIONER, HISTORY, percent, day))
    practitioner, person = with_class(root, "series")
    assert (practitioner.get("data-perspective"), person.get("data-perspective")) == (
        "practitioner", "person")
    assert practitioner.find(SVG + "polyline").get("stroke-dasharray")  # type: ignore[union-attr]
    assert person.find(SVG + "polyline").get("stroke-dasharray") is None  # type: ignore[union-attr]
    assert len(list(person.iter(SVG + "circle"))) == 4
    assert len(list(practitioner.iter(SVG + "rect"))) == 2


def test_stars_mark_the_ratings_of_a_starred_theme() -> None:
    root = parse(history_svg(PERSON, PRACTITIONER, HISTORY, percent, day))
    assert len(with_class(root, "star")) == 2


def test_points_stay_inside_the_picture_at_0_and_100() -> None:
    root = parse(history_svg(PERSON, PRACTITIONER, HISTORY, percent, day))
    _, _, width, height = view_box(root)
    for circle in root.iter(SVG + "circle"):
        assert 0 <= float(circle.get("cx", "")) <= width
        assert 0 <= float(circle.get("cy", "")) <= height


def test_the_first_and_last_dates_label_the_time_axis() -> None:
    words = texts(parse(history_svg(PERSON, PRACTITIONER, HISTORY, percent, day)))
    assert {"03/01/2025", "03/12/2025", "Marie", "Perception de Julie"} <= set(words)


def test_a_single_rating_and_no_rating_are_drawn_without_error() -> None:
    one = parse(history_svg([Point(at(5), 60)], [], HISTORY, percent, day))
    (_, person) = with_class(one, "series")
    assert person.find(SVG + "polyline") is None
    assert len(list(person.iter(SVG + "circle"))) == 1
    empty = parse(history_svg([], [], HISTORY, percent, day, key="empty"))
    assert empty.get("role") == "img"
    assert all(len(group) == 0 for group in with_class(empty, "series"))


def test_the_table_lists_every_rating_oldest_first_with_its_star() -> None:
    table = history_table(PERSON, PRACTITIONER, HISTORY, percent, day)
    assert table.columns == ("Date", "Qui", "Note", "Priorité")
    assert table.rows[:3] == (("03/01/2025", "Marie", "40\u202f%", ""),
                              ("03/04/2025", "Marie", "55\u202f%", "oui"),
                              ("03/04/2025", "Perception de Julie", "30\u202f%", ""))
    assert len(table.rows) == 6


def test_hostile_series_names_are_escaped() -> None:
    words = HISTORY.__class__(**{**HISTORY.__dict__, "person": "<script>x</script>"})
    markup = history_svg(PERSON, [], words, percent, day)
    assert "<script>" not in markup and "<script>x</script>" in texts(parse(markup))


def test_a_rating_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="0-100"):
        history_svg([Point(at(1), 101)], [], HISTORY, percent, day)


def test_the_same_data_gives_the_same_markup() -> None:
    assert (history_svg(PERSON, PRACTITIONER, HISTORY, percent, day)
            == history_svg(list(reversed(PERSON)), PRACTITIONER, HISTORY, percent, day))
