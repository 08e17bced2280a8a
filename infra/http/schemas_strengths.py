"""Request and response bodies of the strengths tab (msgspec)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from infra.http.texts import Key, Text

StrengthKind = Literal["quality", "skill", "interest", "achievement", "value",
                       "people", "place", "service", "resource"]


class StrengthCreate(msgspec.Struct):
    """A strength in the person's words; personal kinds are quality, skill, interest,
    achievement and value; those of the environment are people, place, service and resource.
    It may name a sphere or a theme of the catalog, and a member of the person's network."""

    kind: StrengthKind
    text: Text
    sphere: Key | None = None
    theme: Key | None = None
    member_id: UUID | None = None


class StrengthReword(msgspec.Struct):
    text: Text


class StrengthLinks(msgspec.Struct):
    """Every link at once: leave one out (or null) to remove it."""

    sphere: Key | None = None
    theme: Key | None = None
    member_id: UUID | None = None


class StrengthView(msgspec.Struct):
    strength_id: UUID
    person_id: UUID
    kind: str
    side: Literal["personal", "environment"]
    text: str
    sphere: str | None
    theme: str | None
    member_id: UUID | None
    noted_by: UUID
    noted_at: datetime
    version: int
    updated_by: UUID
    updated_at: datetime
    retired_by: UUID | None
    retired_at: datetime | None


class StrengthChange(msgspec.Struct):
    """One change; `noted` and `reworded` carry the wording of that version."""

    version: int
    change: Literal["noted", "reworded", "linked", "retired"]
    text: str | None
    sphere: str | None
    theme: str | None
    member_id: UUID | None
    author_id: UUID
    at: datetime


class StrengthDetail(msgspec.Struct):
    strength: StrengthView
    history: list[StrengthChange]  # the first page of /history
    history_next_cursor: str | None = None  # pass as `cursor` to /history for the rest
