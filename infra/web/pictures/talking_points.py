"""Something to talk about: the themes of one reading where the person's rating and the
practitioner's perception lie far apart (ADR 40 says why 30 points)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDE_DIFFERENCE = 30  # points on the 0-100 scale, inclusive


@dataclass(frozen=True)
class Difference:
    theme: str
    person: int
    practitioner: int

    @property
    def gap(self) -> int:
        return abs(self.person - self.practitioner)


def _check(ratings: Mapping[str, int], whose: str) -> None:
    for theme, value in ratings.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError(f"the {whose} rating of {theme!r} must be an integer 0-100,"
                             f" got {value!r}")


def something_to_talk_about(person: Mapping[str, int], practitioner: Mapping[str, int],
                            theme_order: Sequence[str] = (),
                            threshold: int = WIDE_DIFFERENCE) -> list[Difference]:
    """The themes rated by both whose ratings differ by `threshold` points or more, the widest
    first, then in `theme_order` (the catalog's), then by key. Neither view is "right": the
    list names a conversation, so which way the difference goes does not change the order."""
    if not 1 <= threshold <= 100:
        raise ValueError(f"the threshold is 1-100 points, got {threshold}")
    _check(person, "person's")
    _check(practitioner, "practitioner's")
    rank = {theme: n for n, theme in enumerate(theme_order)}
    found = [Difference(theme, person[theme], practitioner[theme])
             for theme in person.keys() & practitioner.keys()
             if abs(person[theme] - practitioner[theme]) >= threshold]
    return sorted(found, key=lambda d: (-d.gap, rank.get(d.theme, len(rank)), d.theme))
