"""Request and response bodies of the accomplishment plan (msgspec)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from domain.plan.rules import MAX_NAME_LENGTH
from infra.http.texts import Key, Text, text_rule

Status = Literal["active", "paused", "achieved", "abandoned"]
Doer = Literal["person", "practitioner", "close_person", "other"]
ThemeKey = Key
DoerName = Annotated[str, text_rule(MAX_NAME_LENGTH)]


class GoalCreate(msgspec.Struct):
    """A goal in the person's words, optionally linked to themes and to their strengths."""

    text: Text
    themes: Annotated[list[ThemeKey], msgspec.Meta(max_length=55)] = msgspec.field(
        default_factory=list)
    strengths: Annotated[list[UUID], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=list)
    target_date: date | None = None


class TextChange(msgspec.Struct):
    text: Text


class TargetDateChange(msgspec.Struct):
    """null removes the target date."""

    target_date: date | None


class StatusChange(msgspec.Struct):
    """active -> paused, achieved or abandoned; paused -> active or abandoned;
    achieved or abandoned -> active (reopen)."""

    status: Status


class ProgressRating(msgspec.Struct):
    value: int  # 0 to 100


class ActionCreate(msgspec.Struct):
    text: Text
    who: Doer
    who_name: DoerName | None = None
    due_date: date | None = None


class ActionAssignment(msgspec.Struct):
    who: Doer
    who_name: DoerName | None = None


class DueDateChange(msgspec.Struct):
    """null removes the due date."""

    due_date: date | None


class GoalTheme(msgspec.Struct):
    theme: str
    starred: bool  # one of the current priorities of the quality-of-life tab
    linked_by: UUID
    linked_at: datetime


class GoalStrength(msgspec.Struct):
    strength_id: UUID
    text: str | None
    kind: str | None
    retired: bool
    linked_by: UUID
    linked_at: datetime


class ActionView(msgspec.Struct):
    action_id: UUID
    goal_id: UUID
    text: str
    who: str
    who_name: str | None
    due_date: date | None
    done: bool
    done_by: UUID | None
    done_at: datetime | None
    added_by: UUID
    added_at: datetime
    updated_by: UUID
    updated_at: datetime


class GoalView(msgspec.Struct):
    goal_id: UUID
    person_id: UUID
    text: str
    status: Status
    target_date: date | None
    created_by: UUID
    created_at: datetime
    progress: int | None
    progress_by: UUID | None
    progress_at: datetime | None
    version: int
    updated_by: UUID
    updated_at: datetime
    themes: list[GoalTheme]
    strengths: list[GoalStrength]
    actions: list[ActionView]
    # The lists above cut at their first 100 (for actions: the rest from /plan/actions?goal_id=).
    truncated: list[Literal["themes", "strengths", "actions"]] = msgspec.field(
        default_factory=list)


class GoalChange(msgspec.Struct):
    """One change of the goal or of one of its actions, with who made it and when."""

    version: int
    change: str
    text: str | None
    from_status: str | None
    to_status: str | None
    progress: int | None
    target_date: date | None
    due_date: date | None
    theme: str | None
    strength_id: UUID | None
    action_id: UUID | None
    who: str | None
    who_name: str | None
    author_id: UUID
    at: datetime
