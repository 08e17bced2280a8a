"""Values of the plan that are checked on their own: statuses, doers, dates and progress."""

from __future__ import annotations

import re
from datetime import date, datetime

from domain.errors import InvalidState, InvalidValue

ACTIVE, PAUSED, ACHIEVED, ABANDONED = "active", "paused", "achieved", "abandoned"
STATUSES = (ACTIVE, PAUSED, ACHIEVED, ABANDONED)
# The legal moves; achieved and abandoned goals can only be reopened (back to active).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ACTIVE: (PAUSED, ACHIEVED, ABANDONED),
    PAUSED: (ACTIVE, ABANDONED),
    ACHIEVED: (ACTIVE,),
    ABANDONED: (ACTIVE,),
}
OPEN_STATUSES = (ACTIVE, PAUSED)  # a goal whose wording, links and actions may change

DOERS = ("person", "practitioner", "close_person", "other")
MAX_NAME_LENGTH = 200
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise InvalidValue(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    return status


def check_transition(current: str, new: str) -> None:
    if check_status(new) not in TRANSITIONS[current]:
        allowed = ", ".join(TRANSITIONS[current])
        raise InvalidState(f"a goal cannot go from {current} to {new}; from {current}: {allowed}")


def check_progress(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidValue(f"progress is an integer from 0 to 100 (got {value!r})")
    return value


def check_doer(who: str) -> str:
    if who not in DOERS:
        raise InvalidValue(f"unknown doer {who!r}; one of {', '.join(DOERS)}")
    return who


def check_date(value: object, what: str) -> str | None:
    """A calendar date (or None), kept in events as ISO text `YYYY-MM-DD`."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise InvalidValue(f"{what} must be a date written YYYY-MM-DD (got {value!r})")
