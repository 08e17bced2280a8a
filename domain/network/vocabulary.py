"""The closed vocabularies of the ecomap, and the checks that keep values inside them."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import InvalidValue

RELATIONSHIP_TYPES = ("family", "partner", "friend", "neighbour", "colleague", "professional",
                      "community_resource", "pet", "other")
# Quality is ordered, so a diff can say "improved" or "worsened"; names are for people.
QUALITIES = {1: "conflictual", 2: "strained", 3: "neutral", 4: "supportive",
             5: "very_supportive"}
CLOSENESS = ("inner", "middle", "outer")
SUPPORT_KINDS = ("emotional", "practical", "informational", "social")
FREQUENCIES = ("daily", "weekly", "monthly", "few_times_a_year", "rarely", "never")
NAME_MAX = 120
LABEL_MAX = 120


def _one_of(value: object, allowed: tuple[str, ...], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidValue(f"unknown {what} {value!r}; expected one of: {', '.join(allowed)}")
    return value


def check_relationship_type(value: object) -> str:
    return _one_of(value, RELATIONSHIP_TYPES, "relationship type")


def check_closeness(value: object) -> str:
    return _one_of(value, CLOSENESS, "closeness")


def check_frequency(value: object) -> str:
    return _one_of(value, FREQUENCIES, "contact frequency")


def check_quality(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in QUALITIES:
        scale = ", ".join(f"{k} = {v}" for k, v in QUALITIES.items())
        raise InvalidValue(f"quality is an integer from 1 to 5 ({scale}); got {value!r}")
    return value


def check_supports(values: Iterable[object]) -> list[str]:
    """Kinds of support, without duplicates, in the vocabulary's order."""
    given = {_one_of(v, SUPPORT_KINDS, "kind of support") for v in values}
    return [kind for kind in SUPPORT_KINDS if kind in given]
