"""The words of consent: the tabs a grant covers, its levels and who may receive it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.errors import InvalidValue

TABS = ("quality_of_life", "social_network", "strengths", "plan")
LEVELS = ("read", "co_edit")
GRANTEE_KINDS = ("practitioner", "team", "close_person")
LEGAL_BASIS_MAX = 500
REASON_MAX = 1000


def check_tabs(tabs: Iterable[object]) -> list[str]:
    """At least one known tab; duplicates dropped; returned in the catalogue's order."""
    chosen = list(tabs)
    unknown = [t for t in chosen if t not in TABS]
    if unknown:
        raise InvalidValue(f"unknown tab {unknown[0]!r}: tabs are {', '.join(TABS)}")
    if not chosen:
        raise InvalidValue("a grant covers at least one tab")
    return [t for t in TABS if t in chosen]


def check_level(level: object) -> str:
    if level not in LEVELS:
        raise InvalidValue(f"level must be one of {', '.join(LEVELS)} (got {level!r})")
    return str(level)


def check_grantee_kind(kind: object) -> str:
    if kind not in GRANTEE_KINDS:
        raise InvalidValue(f"grantee_kind must be one of {', '.join(GRANTEE_KINDS)} (got {kind!r})")
    return str(kind)


def check_instant(instant: datetime, what: str) -> None:
    if instant.tzinfo is None:
        raise InvalidValue(f"{what} needs a time zone offset, e.g. 2026-03-01T12:00:00Z")


def check_until(until: datetime | None, now: datetime) -> None:
    """A grant may end at a future instant; an end already past would grant nothing."""
    if until is None:
        return
    check_instant(until, "until")
    if until <= now:
        raise InvalidValue("until must be in the future")
