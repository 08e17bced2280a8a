"""The pictures' inputs from the rows of the quality-of-life queries (asyncpg records or
dicts): sphere averages into radar readings, ratings by perspective, a theme's history."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from infra.web.pictures.radar import Reading
from infra.web.pictures.theme_history import Point

PERSON = "person"  # the perspective of the person's own ratings (practitioners': "practitioner:<id>")


def reading(rows: Iterable[Mapping[str, Any]], label: str, perspective: str = PERSON) -> Reading:
    """One series of the radar from `sphere_averages` rows: the given perspective's averages."""
    return Reading(label, {r["sphere"]: float(r["average"]) for r in rows
                           if r["perspective"] == perspective})


def practitioner_perspectives(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The practitioners who gave a perception, in a stable order."""
    return sorted({r["perspective"] for r in rows if r["perspective"] != PERSON})


def ratings_by_perspective(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """From `assessment_ratings` rows: {perspective: {theme: value}}."""
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row["perspective"], {})[row["theme"]] = row["value"]
    return found


def history_points(rows: Iterable[Mapping[str, Any]], starred: Collection[Any],
                   perspective: str = PERSON) -> list[Point]:
    """From `theme_history` rows: the ratings of one perspective (comments carry no value),
    starred when their assessment holds the theme as a priority."""
    return [Point(r["at"], r["value"], r["assessment_id"] in starred) for r in rows
            if r["perspective"] == perspective and r["value"] is not None]
