"""The pictures' inputs from rows shaped like the quality-of-life queries' records."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from infra.web.pictures.from_rows import (
    history_points,
    practitioner_perspectives,
    ratings_by_perspective,
    reading,
)
from infra.web.pictures.theme_history import Point

AVERAGES = [
    {"sphere": "needs", "perspective": "person", "average": Decimal("62.50"), "rated_count": 4},
    {"sphere": "needs", "perspective": "practitioner:b", "average": 40.0, "rated_count": 4},
    {"sphere": "health", "perspective": "person", "average": 70.0, "rated_count": 2},
    {"sphere": "health", "perspective": "practitioner:a", "average": 10.0, "rated_count": 1},
]


def test_a_reading_takes_one_perspectives_averages() -> None:
    assert reading(AVERAGES, "mars").averages == {"needs": 62.5, "health": 70.0}
    assert reading(AVERAGES, "Julie", "practitioner:b").averages == {"needs": 40.0}
    assert practitioner_perspectives(AVERAGES) == ["practitioner:a", "practitioner:b"]


def test_ratings_are_grouped_by_perspective() -> None:
    rows = [{"perspective": "person", "theme": "housing", "value": 70},
            {"perspective": "practitioner:a", "theme": "housing", "value": 30}]
    assert ratings_by_perspective(rows) == {"person": {"housing": 70},
                                            "practitioner:a": {"housing": 30}}


def test_history_points_skip_comments_and_mark_starred_readings() -> None:
    t = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [{"perspective": "person", "value": 50, "assessment_id": "a1", "at": t},
            {"perspective": "person", "value": None, "assessment_id": "a1", "at": t},
            {"perspective": "practitioner:x", "value": 20, "assessment_id": "a1", "at": t},
            {"perspective": "person", "value": 60, "assessment_id": "a2", "at": t}]
    assert history_points(rows, {"a2"}) == [Point(t, 50, False), Point(t, 60, True)]
    assert history_points(rows, set(), "practitioner:x") == [Point(t, 20, False)]
