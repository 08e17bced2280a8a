"""The radar of the sphere averages: one series per reading, the practitioner's apart."""

from __future__ import annotations

import pytest

from infra.web.pictures.radar import Reading, radar_svg, radar_table
from tests.web.pictures.parsing import SVG, parse, texts, with_class
from tests.web.pictures.words import RADAR, SPHERES, percent

FULL = {"needs": 40, "health": 55, "self_esteem": 30, "social_life": 50, "life_project": 20}
READINGS = [Reading("mars", FULL), Reading("septembre", {k: v + 20 for k, v in FULL.items()}),
            Reading("janvier", {k: v + 40 for k, v in FULL.items()})]
PERCEPTION = Reading("Perception de Julie", {k: 100 - v for k, v in FULL.items()})


def series(markup: str, perspective: str) -> list[object]:
    return [g for g in with_class(parse(markup), "series") if g.get("data-perspective") == perspective]


def test_each_reading_is_a_series_and_the_perception_a_separate_dashed_one() -> None:
    markup = radar_svg(SPHERES, READINGS, [PERCEPTION], RADAR, percent)
    person, practitioner = series(markup, "person"), series(markup, "practitioner")
    assert len(person) == 3 and len(practitioner) == 1
    (perceived,) = practitioner
    shape = perceived.find(SVG + "polygon")  # type: ignore[attr-defined]
    assert shape.get("stroke-dasharray") and shape.get("fill-opacity") == "0"
    assert all(g.find(SVG + "polygon").get("stroke-dasharray") is None  # type: ignore[attr-defined]
               for g in person)
    colours = {g.find(SVG + "polygon").get("stroke") for g in person}  # type: ignore[attr-defined]
    assert shape.get("stroke") not in colours and len(colours) == 3


def test_the_person_is_drawn_over_the_practitioner_never_beneath() -> None:
    root = parse(radar_svg(SPHERES, READINGS[:1], [PERCEPTION], RADAR, percent))
    order = [g.get("data-perspective") for g in with_class(root, "series")]
    assert order == ["practitioner", "person"]


def test_the_chart_is_an_image_with_a_title_and_a_description() -> None:
    root = parse(radar_svg(SPHERES, READINGS, [], RADAR, percent, key="p1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "radar-title-p1 radar-desc-p1"
    assert root.find(SVG + "title").text == RADAR.title  # type: ignore[union-attr]
    assert root.find(SVG + "desc").text == RADAR.description  # type: ignore[union-attr]


def test_labels_and_legend_carry_the_callers_words_and_numbers() -> None:
    words = texts(parse(radar_svg(SPHERES, READINGS, [PERCEPTION], RADAR, percent)))
    assert {"Besoins", "Santé", "mars", "janvier", "Perception de Julie"} <= set(words)
    assert "100\u202f%" in words


def test_the_newest_reading_is_the_darkest() -> None:
    person = series(radar_svg(SPHERES, READINGS, [], RADAR, percent), "person")
    strokes = [g.find(SVG + "polygon").get("stroke") for g in person]  # type: ignore[attr-defined]
    assert strokes[-1] == "#0b2e59"


def test_hostile_labels_are_escaped() -> None:
    hostile = Reading('<script>alert("x")</script>\'', FULL)
    markup = radar_svg([("needs", "<b>Besoins</b>"), *SPHERES[1:]], [hostile], [], RADAR,
                       percent)
    assert "<script>" not in markup and "<b>" not in markup
    assert '<script>alert("x")</script>\'' in texts(parse(markup))


def test_extreme_values_sit_at_the_centre_and_on_the_outer_ring() -> None:
    root = parse(radar_svg(SPHERES, [Reading("bas", dict.fromkeys(FULL, 0)),
                                     Reading("haut", dict.fromkeys(FULL, 100))], [],
                           RADAR, percent))
    low, high = with_class(root, "series")
    assert {(c.get("cx"), c.get("cy")) for c in low.iter(SVG + "circle")} == {("200", "150")}
    assert ("200", "45") in {(c.get("cx"), c.get("cy")) for c in high.iter(SVG + "circle")}


def test_a_sphere_without_rating_leaves_a_gap_not_a_zero() -> None:
    partial = Reading("en cours", {"needs": 80, "health": 60, "social_life": 70})
    root = parse(radar_svg(SPHERES, [partial], [], RADAR, percent))
    (group,) = with_class(root, "series")
    assert group.find(SVG + "polygon") is None
    assert group.find(SVG + "path").get("d").count("M") == 1  # type: ignore[union-attr]
    assert len(list(group.iter(SVG + "circle"))) == 3
    table = radar_table(SPHERES, [partial], [], RADAR, percent)
    assert table.rows[2] == ("Estime de soi", "—")


def test_the_table_has_a_row_per_sphere_and_a_column_per_series() -> None:
    table = radar_table(SPHERES, READINGS, [PERCEPTION], RADAR, percent)
    assert table.columns == ("Sphère", "mars", "septembre", "janvier", "Perception de Julie")
    assert table.rows[0] == ("Besoins", "40\u202f%", "60\u202f%", "80\u202f%", "60\u202f%")
    assert [row[0] for row in table.rows] == [label for _, label in SPHERES]


def test_no_reading_draws_an_empty_grid() -> None:
    root = parse(radar_svg(SPHERES, [], [], RADAR, percent))
    assert with_class(root, "series") == []


def test_the_same_data_gives_the_same_markup() -> None:
    assert (radar_svg(SPHERES, READINGS, [PERCEPTION], RADAR, percent)
            == radar_svg(SPHERES, READINGS, [PERCEPTION], RADAR, percent))


@pytest.mark.parametrize(("readings", "perceptions", "message"), [
    ([READINGS[0]] * 4, [], "at most 3"),
    ([], [PERCEPTION] * 4, "at most 3"),
    ([Reading("x", {"needs": 101})], [], "within 0-100"),
    ([Reading("x", {"needs": -1})], [], "within 0-100"),
    ([Reading("x", {"needs": float("nan")})], [], "within 0-100"),
    ([Reading("x", {"sleep": 50})], [], "unknown spheres"),
])
def test_a_chart_that_cannot_be_drawn_honestly_is_refused(readings: list[Reading],
                                                          perceptions: list[Reading],
                                                          message: str) -> None:
    with pytest.raises(ValueError, match=message):
        radar_svg(SPHERES, readings, perceptions, RADAR, percent)
