"""The history of one theme: a small line chart of every rating over time, the person's and
the practitioner's perception as two series, the ratings of a starred theme marked by a star."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from infra.web.pictures import svg
from infra.web.pictures.palette import (
    GRID,
    INK,
    MUTED,
    Stroke,
    dash_attribute,
    mark,
    person_strokes,
    practitioner_strokes,
)
from infra.web.pictures.table import Table

DateFormat = Callable[[datetime], str]
WIDTH, HEIGHT = 320.0, 160.0
LEFT, RIGHT, TOP, BOTTOM = 44.0, 310.0, 16.0, 96.0  # the plot area, 0 at BOTTOM, 100 at TOP


@dataclass(frozen=True)
class Point:
    at: datetime
    value: int  # 0 to 100
    starred: bool = False  # the theme was a priority ("star") of that reading


@dataclass(frozen=True)
class HistoryWords:
    title: str
    description: str
    person: str  # the person's series ("Marie")
    practitioner: str  # the practitioner's series ("Perception de Julie")
    when_heading: str
    whose_heading: str
    value_heading: str
    star_heading: str
    starred: str  # the table cell of a starred rating ("oui", "★")
    not_starred: str


def check_points(*series: Sequence[Point]) -> None:
    for points in series:
        for point in points:
            if not 0 <= point.value <= 100:
                raise ValueError(f"a rating is within 0-100, got {point.value}")


def _scale(person: Sequence[Point], practitioner: Sequence[Point]) -> Callable[[Point],
                                                                               tuple[float, float]]:
    instants = [p.at.timestamp() for p in (*person, *practitioner)]
    first, last = (min(instants), max(instants)) if instants else (0.0, 0.0)

    def place(point: Point) -> tuple[float, float]:
        share = 0.5 if last == first else (point.at.timestamp() - first) / (last - first)
        return LEFT + share * (RIGHT - LEFT), BOTTOM - point.value / 100 * (BOTTOM - TOP)
    return place


def _star(x: float, y: float) -> str:
    tips = [svg.polar(x, y - 11, 5 if n % 2 == 0 else 2.2, n * 3.14159265 / 5)
            for n in range(10)]
    return f'<polygon class="star" points="{svg.points(tips)}" fill="{INK}"/>'


def _series(points: Sequence[Point], stroke: Stroke,
            place: Callable[[Point], tuple[float, float]]) -> str:
    ordered = sorted(points, key=lambda p: p.at)
    where = [place(p) for p in ordered]
    line = (f'<polyline points="{svg.points(where)}" fill="none" stroke="{stroke.colour}"'
            f' stroke-width="2"{dash_attribute(stroke)}/>') if len(where) > 1 else ""
    marks = "".join(mark(stroke, svg.num(x), svg.num(y), 3) for x, y in where)
    stars = "".join(_star(x, y) for (x, y), p in zip(where, ordered, strict=True) if p.starred)
    return (f'<g class="series" data-perspective="{stroke.perspective}">'
            f"{line}{marks}{stars}</g>")


def _frame(person: Sequence[Point], practitioner: Sequence[Point], fmt: svg.NumberFormat,
           date_fmt: DateFormat) -> list[str]:
    parts = []
    for value in (0, 50, 100):
        y = BOTTOM - value / 100 * (BOTTOM - TOP)
        parts.append(f'<line x1="{svg.num(LEFT)}" y1="{svg.num(y)}" x2="{svg.num(RIGHT)}"'
                     f' y2="{svg.num(y)}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(svg.label(LEFT - 4, y + 3.5, fmt(value), 10, "end", f' fill="{MUTED}"'))
    instants = sorted(p.at for p in (*person, *practitioner))
    if instants:
        parts.append(svg.label(LEFT, BOTTOM + 16, date_fmt(instants[0]), 10, "start",
                               f' fill="{MUTED}"'))
        if instants[-1] != instants[0]:
            parts.append(svg.label(RIGHT, BOTTOM + 16, date_fmt(instants[-1]), 10, "end",
                                   f' fill="{MUTED}"'))
    return parts


def _legend(words: HistoryWords, person: Stroke, practitioner: Stroke) -> list[str]:
    parts = []
    for n, (name, stroke) in enumerate(((words.person, person),
                                        (words.practitioner, practitioner))):
        x, y = 8.0, 130.0 + 18 * n
        parts.append(f'<line x1="{svg.num(x)}" y1="{svg.num(y)}" x2="{svg.num(x + 22)}"'
                     f' y2="{svg.num(y)}" stroke="{stroke.colour}" stroke-width="2"'
                     f"{dash_attribute(stroke)}/>")
        parts.append(mark(stroke, svg.num(x + 11), svg.num(y), 3))
        parts.append(svg.label(x + 28, y + 4, svg.shorten(name, 42), 11, "start",
                               f' fill="{INK}"'))
    return parts


def history_svg(person: Sequence[Point], practitioner: Sequence[Point], words: HistoryWords,
                fmt: svg.NumberFormat, date_fmt: DateFormat, key: str = "") -> str:
    check_points(person, practitioner)
    mine, theirs = person_strokes(1)[0], practitioner_strokes(1)[0]
    place = _scale(person, practitioner)
    title_id = svg.picture_id("history-title", key)
    desc_id = svg.picture_id("history-desc", key)
    return "".join([
        svg.svg_open(WIDTH, HEIGHT, title_id, desc_id, css_class="picture theme-history"),
        svg.title_and_desc(title_id, words.title, desc_id, words.description),
        '<g aria-hidden="true">', *_frame(person, practitioner, fmt, date_fmt),
        _series(practitioner, theirs, place),  # beneath the person's, never over it
        _series(person, mine, place), *_legend(words, mine, theirs), "</g></svg>"])


def history_table(person: Sequence[Point], practitioner: Sequence[Point], words: HistoryWords,
                  fmt: svg.NumberFormat, date_fmt: DateFormat) -> Table:
    """Every rating, oldest first (the person's first at the same instant)."""
    check_points(person, practitioner)
    tagged = sorted([(p.at, 0, words.person, p) for p in person]
                    + [(p.at, 1, words.practitioner, p) for p in practitioner],
                    key=lambda t: (t[0], t[1]))
    rows = tuple((date_fmt(at), whose, fmt(p.value),
                  words.starred if p.starred else words.not_starred)
                 for at, _, whose, p in tagged)
    return Table(words.title, (words.when_heading, words.whose_heading, words.value_heading,
                               words.star_heading), rows)
