"""Bodies of the consent, access-log and team-statistics API (msgspec). Tabs, levels and
grantee kinds are plain strings here: the domain refuses unknown ones with 422."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from domain.consent.vocabulary import LEGAL_BASIS_MAX, REASON_MAX
from infra.http.texts import Word, text_rule

Tabs = Annotated[list[Word], msgspec.Meta(max_length=8)]


class GrantCreate(msgspec.Struct):
    grantee_kind: Word
    grantee_id: UUID
    tabs: Tabs
    level: Word
    until: datetime | None = None


class InPersonGrantCreate(msgspec.Struct):
    """Consent the person gave in person, recorded by a practitioner: who, when, on what basis."""

    grantee_kind: Word
    grantee_id: UUID
    tabs: Tabs
    level: Word
    legal_basis: Annotated[str, text_rule(LEGAL_BASIS_MAX)]
    given_at: datetime
    until: datetime | None = None


class AccessRequestCreate(msgspec.Struct):
    tabs: Tabs
    level: Word
    reason: Annotated[str, text_rule(REASON_MAX)]


class RequestAcceptance(msgspec.Struct):
    until: datetime | None = None


class GrantView(msgspec.Struct):
    grant_id: UUID
    grantee_kind: str
    grantee_id: UUID
    tabs: list[str]
    level: str
    until: datetime | None
    legal_basis: str | None
    recorded_in_person: bool
    given_at: datetime
    granted_by: UUID
    granted_at: datetime
    revoked_at: datetime | None
    revoked_by: UUID | None
    active: bool


class AccessRequestView(msgspec.Struct):
    request_id: UUID
    practitioner_id: UUID
    tabs: list[str]
    level: str
    reason: str
    requested_at: datetime
    status: str
    answered_at: datetime | None
    grant_id: UUID | None
    until: datetime | None


class ConsentView(msgspec.Struct):
    grants: list[GrantView]
    requests: list[AccessRequestView]
    grants_next_cursor: str | None = None  # pass as `grants_cursor` for more grants
    requests_next_cursor: str | None = None  # pass as `requests_cursor` for more requests


class AccessLogEntry(msgspec.Struct):
    id: int
    at: datetime
    actor_id: UUID
    actor_name: str | None
    role: str
    person_id: UUID
    tab: str
    action: str
    method: str
    path: str
    outcome: str
    reason: str


class AccessLogPage(msgspec.Struct):
    """Newest first; pass `next_before` as `before` to get the next page (null: no more)."""

    entries: list[AccessLogEntry]
    next_before: int | None


class FigureView(msgspec.Struct):
    value: float | None
    suppressed: bool


class SphereFigureView(msgspec.Struct):
    sphere: str
    average: FigureView


class TeamStatisticsView(msgspec.Struct):
    """Aggregates only; a figure over fewer than `minimum_group` persons is null, suppressed."""

    team_id: UUID
    minimum_group: int
    persons: FigureView
    completed_assessments_90_days: FigureView
    spheres: list[SphereFigureView]
