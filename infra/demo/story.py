"""What a demo person lives through in a year, tab by tab, as plain data (days count from the
start of the organization's demo year)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PERSON, PRACTITIONER = "person", "practitioner"  # who writes an item: the person or their practitioner


@dataclass(frozen=True)
class Grant:
    """Consent the person gives a practitioner (on the day they join, or on `day`), maybe
    revoked later."""

    practitioner: str  # login
    tabs: tuple[str, ...]
    level: str  # read or co_edit
    day: int | None = None
    revoked: int | None = None


@dataclass(frozen=True)
class Reading:
    """One quality-of-life assessment: all 55 themes rated (values from the story's trends)."""

    day: int
    stars: tuple[str, ...]
    comments: Mapping[str, str] = field(default_factory=dict)
    perception: tuple[str, str] | None = None  # the practitioner's view: (theme, their comment)
    with_practitioner: bool = False  # opened by the practitioner at a meeting
    completed: bool = True


@dataclass(frozen=True)
class Change:
    """A revision of a relationship (None leaves a field as it is)."""

    day: int
    quality: int | None = None
    closeness: str | None = None
    supports: tuple[str, ...] | None = None
    frequency: str | None = None
    comment: str | None = None
    by: str = PERSON


@dataclass(frozen=True)
class Member:
    """A relationship of the ecomap: added, changed, perhaps ended."""

    key: str
    day: int
    name: str
    kind: str
    quality: int
    closeness: str
    frequency: str
    label: str | None = None
    supports: tuple[str, ...] = ()
    comment: str | None = None
    changes: tuple[Change, ...] = ()
    ended: int | None = None
    by: str = PERSON


@dataclass(frozen=True)
class StrengthNote:
    """A strength in the person's words, linked to a sphere, a theme or a network member."""

    key: str
    day: int
    kind: str
    text: str
    sphere: str | None = None
    theme: str | None = None
    member: str | None = None  # a Member's key
    rewordings: tuple[tuple[int, str], ...] = ()
    retired: int | None = None
    by: str = PERSON


@dataclass(frozen=True)
class Act:
    """An action of a goal: who does what by when; `done` is the day it was done, if it was."""

    day: int
    text: str
    who: str
    due: int | None = None
    who_name: str | None = None
    done: int | None = None
    by: str = PERSON


@dataclass(frozen=True)
class GoalStory:
    day: int
    text: str
    themes: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()  # StrengthNote keys
    target: int | None = None
    actions: tuple[Act, ...] = ()
    progress: tuple[tuple[int, int], ...] = ()  # (day, 0-100)
    status: tuple[tuple[int, str], ...] = ()  # (day, new status)
    rewordings: tuple[tuple[int, str], ...] = ()
    by: str = PERSON


@dataclass(frozen=True)
class PersonStory:
    login: str
    name: str
    joined: int
    grants: tuple[Grant, ...]
    spheres: Mapping[str, tuple[int, int]]  # sphere: its average at the first and last reading
    readings: tuple[Reading, ...]
    themes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # one value per reading
    perception_gap: tuple[int, int] = (-10, -5)  # practitioner minus person, first to last
    network: tuple[Member, ...] = ()
    strengths: tuple[StrengthNote, ...] = ()
    goals: tuple[GoalStory, ...] = ()

    @property
    def practitioner(self) -> str:
        """The practitioner who works with the person: the one of the first grant."""
        return self.grants[0].practitioner


@dataclass(frozen=True)
class OrgStory:
    slug: str
    name: str
    region: str
    zone: str  # the organization's time zone: meetings happen in office hours
    practitioners: tuple[tuple[str, str], ...]  # (login, display name)
    persons: tuple[PersonStory, ...]
