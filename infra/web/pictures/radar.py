"""The radar of the five sphere averages: up to three of the person's readings, and the
practitioner's perception of each as its own dashed series drawn beneath, never merged."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from infra.web.pictures import svg
from infra.web.pictures.palette import (
    GRID,
    INK,
    Stroke,
    dash_attribute,
    mark,
    person_strokes,
    practitioner_strokes,
)
from infra.web.pictures.table import Table

MAX_READINGS = 3
WIDTH, CX, CY, RADIUS = 400.0, 200.0, 150.0, 105.0
GRID_STEPS = (25, 50, 75, 100)
LEGEND_TOP, LEGEND_ROW = 300.0, 20.0


@dataclass(frozen=True)
class Reading:
    """One series: its label (a date, a name: the caller's words) and its sphere averages
    from 0 to 100; a sphere without any rating is simply absent."""

    label: str
    averages: Mapping[str, float]


@dataclass(frozen=True)
class RadarWords:
    title: str
    description: str
    sphere_heading: str  # heads the table's first column
    missing: str  # a sphere without a rating, in the table


def check_series(spheres: Sequence[tuple[str, str]], readings: Sequence[Reading],
                 perceptions: Sequence[Reading]) -> None:
    """ValueError for a chart that cannot be drawn honestly."""
    if not 3 <= len(spheres) <= 8:
        raise ValueError(f"a radar needs 3 to 8 axes, got {len(spheres)}")
    if len(readings) > MAX_READINGS or len(perceptions) > MAX_READINGS:
        raise ValueError(f"at most {MAX_READINGS} readings and {MAX_READINGS} perceptions")
    keys = {key for key, _ in spheres}
    for reading in (*readings, *perceptions):
        unknown = set(reading.averages) - keys
        if unknown:
            raise ValueError(f"unknown spheres {sorted(unknown)} in {reading.label!r}")
        for sphere, value in reading.averages.items():
            if not (0 <= value <= 100) or math.isnan(value):
                raise ValueError(f"the average of {sphere} must be within 0-100, got {value}")


def _angle(index: int, count: int) -> float:
    return 2 * math.pi * index / count


def _grid(count: int, fmt: svg.NumberFormat) -> list[str]:
    parts = []
    for step in GRID_STEPS:
        ring = [svg.polar(CX, CY, RADIUS * step / 100, _angle(i, count)) for i in range(count)]
        parts.append(f'<polygon points="{svg.points(ring)}" fill="none" stroke="{GRID}"'
                     ' stroke-width="1"/>')
        parts.append(svg.label(CX + 3, CY - RADIUS * step / 100 + 10, fmt(step), 9, "start",
                               ' fill="#555555" stroke="white" stroke-width="3"'
                               ' paint-order="stroke"'))
    for i in range(count):
        x, y = svg.polar(CX, CY, RADIUS, _angle(i, count))
        parts.append(f'<line x1="{svg.num(CX)}" y1="{svg.num(CY)}" x2="{svg.num(x)}"'
                     f' y2="{svg.num(y)}" stroke="{GRID}" stroke-width="1"/>')
    return parts


def _wrap(words: str, width: int = 13) -> list[str]:
    """The sphere's label on at most two lines."""
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines if len(lines) <= 2 else [lines[0], svg.shorten(" ".join(lines[1:]), width)]


def _axis_labels(spheres: Sequence[tuple[str, str]]) -> list[str]:
    parts = []
    for i, (_, name) in enumerate(spheres):
        angle = _angle(i, len(spheres))
        x, y = svg.polar(CX, CY, RADIUS + 12, angle)
        sin, cos = math.sin(angle), math.cos(angle)
        anchor = "middle" if abs(sin) < 0.2 else ("start" if sin > 0 else "end")
        lines = _wrap(name)
        top = y - 13 * (len(lines) - 1) - 2 if cos > 0.2 else (y + 10 if cos < -0.2 else y)
        for n, line in enumerate(lines):
            parts.append(svg.label(x, top + 13 * n, line, 12, anchor, f' fill="{INK}"'))
    return parts


def _series(reading: Reading, stroke: Stroke, spheres: Sequence[tuple[str, str]],
            index: int) -> str:
    count = len(spheres)
    vertices = [None if key not in reading.averages else
                svg.polar(CX, CY, RADIUS * reading.averages[key] / 100, _angle(i, count))
                for i, (key, _) in enumerate(spheres)]
    style = (f' fill="none" stroke="{stroke.colour}" stroke-width="2.5"'
             f' stroke-linejoin="round"{dash_attribute(stroke)}')
    if all(v is not None for v in vertices):
        fill = "0.08" if stroke.perspective == "person" else "0"
        shape = (f'<polygon points="{svg.points([v for v in vertices if v])}"'
                 + style.replace('fill="none"', f'fill="{stroke.colour}" fill-opacity="{fill}"')
                 + "/>")
    else:  # a gap where a sphere was not rated: no line pretends it was
        segments = []
        for i, start in enumerate(vertices):
            end = vertices[(i + 1) % count]
            if start and end:
                segments.append(f"M{svg.num(start[0])} {svg.num(start[1])}"
                                f"L{svg.num(end[0])} {svg.num(end[1])}")
        shape = f'<path d="{"".join(segments)}"{style}/>' if segments else ""
    marks = "".join(mark(stroke, svg.num(v[0]), svg.num(v[1])) for v in vertices if v)
    return (f'<g class="series" data-perspective="{stroke.perspective}"'
            f' data-series="{index}">{shape}{marks}</g>')


def _legend(entries: list[tuple[Reading, Stroke]]) -> list[str]:
    parts = []
    for n, (reading, stroke) in enumerate(entries):
        y = LEGEND_TOP + LEGEND_ROW * n
        parts.append(f'<line x1="16" y1="{svg.num(y)}" x2="44" y2="{svg.num(y)}"'
                     f' stroke="{stroke.colour}" stroke-width="2.5"{dash_attribute(stroke)}/>')
        parts.append(mark(stroke, "30", svg.num(y)))
        parts.append(svg.label(52, y + 4, svg.shorten(reading.label, 52), 12, "start",
                               f' fill="{INK}"'))
    return parts


def radar_svg(spheres: Sequence[tuple[str, str]], readings: Sequence[Reading],
              perceptions: Sequence[Reading], words: RadarWords, fmt: svg.NumberFormat,
              key: str = "") -> str:
    """The chart as an SVG element. `spheres` are (key, label) in catalog order; `readings`
    the person's, oldest first; `perceptions` the practitioner's, oldest first."""
    check_series(spheres, readings, perceptions)
    person = list(zip(readings, person_strokes(len(readings)), strict=True))
    practitioner = list(zip(perceptions, practitioner_strokes(len(perceptions)), strict=True))
    height = LEGEND_TOP + LEGEND_ROW * max(len(person) + len(practitioner), 1)
    title_id, desc_id = svg.picture_id("radar-title", key), svg.picture_id("radar-desc", key)
    body = [svg.svg_open(WIDTH, height, title_id, desc_id, css_class="picture radar"),
            svg.title_and_desc(title_id, words.title, desc_id, words.description),
            '<g aria-hidden="true">', *_grid(len(spheres), fmt), *_axis_labels(spheres)]
    # The practitioner's view first, so the person's is drawn over it, never beneath.
    body += [_series(r, s, spheres, n) for n, (r, s) in enumerate(practitioner)]
    body += [_series(r, s, spheres, n) for n, (r, s) in enumerate(person)]
    body += [*_legend(person + practitioner), "</g></svg>"]
    return "".join(body)


def radar_table(spheres: Sequence[tuple[str, str]], readings: Sequence[Reading],
                perceptions: Sequence[Reading], words: RadarWords,
                fmt: svg.NumberFormat) -> Table:
    """The same numbers as a table: one row per sphere, one column per series."""
    check_series(spheres, readings, perceptions)
    series = [*readings, *perceptions]
    rows = tuple((name, *(fmt(r.averages[key]) if key in r.averages else words.missing
                          for r in series)) for key, name in spheres)
    return Table(words.title, (words.sphere_heading, *(r.label for r in series)), rows)
