"""The colours and strokes that say whose view a series is: the person's in blues, solid, the
newest darkest; the practitioner's in browns, dashed, with square marks. Every colour has a
contrast of at least 3:1 on white (WCAG 1.4.11), and colour never carries meaning alone."""

from __future__ import annotations

from dataclasses import dataclass

PERSON_BLUES = ("#5b8cc8", "#2a5d9f", "#0b2e59")  # oldest to newest
PRACTITIONER_BROWNS = ("#c46a1a", "#8a4100", "#5e2c00")
GRID = "#c8c8c8"
INK = "#222222"
MUTED = "#555555"


@dataclass(frozen=True)
class Stroke:
    colour: str
    dash: str | None  # a stroke-dasharray, None for solid
    mark: str  # "circle" or "square"
    perspective: str  # "person" or "practitioner"


def person_strokes(count: int) -> list[Stroke]:
    """Strokes for `count` readings, oldest first; the newest is always the darkest."""
    return [Stroke(c, None, "circle", "person") for c in PERSON_BLUES[len(PERSON_BLUES) - count:]]


def practitioner_strokes(count: int) -> list[Stroke]:
    browns = PRACTITIONER_BROWNS[len(PRACTITIONER_BROWNS) - count:]
    return [Stroke(c, "6 4", "square", "practitioner") for c in browns]


def mark(stroke: Stroke, x: str, y: str, size: float = 3.5) -> str:
    """A point of a series: a circle for the person, a square for the practitioner."""
    if stroke.mark == "circle":
        return f'<circle cx="{x}" cy="{y}" r="{size}" fill="{stroke.colour}"/>'
    side = size * 1.8
    return (f'<rect x="{float(x) - side / 2:.1f}" y="{float(y) - side / 2:.1f}" width="{side:.1f}"'
            f' height="{side:.1f}" fill="white" stroke="{stroke.colour}" stroke-width="1.5"/>')


def dash_attribute(stroke: Stroke) -> str:
    return f' stroke-dasharray="{stroke.dash}"' if stroke.dash else ""
