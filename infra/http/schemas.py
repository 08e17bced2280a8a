"""Request and response bodies of the API (msgspec), separate for create, update and read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from infra.http.texts import Key, Name, Secret, Text, text_rule

ThemeKey = Key


class CommandView(msgspec.Struct):
    """What every command answers: the record, its new version and the notification id to
    wait for (send `Prefer: read-your-writes` to get the answer only once views have it)."""

    id: UUID
    version: int
    notification_id: int


class LoginRequest(msgspec.Struct):
    organization: Annotated[str, text_rule(40, 0)]
    login: Annotated[str, text_rule(120, 0)]
    password: Secret
    totp_code: Annotated[str, text_rule(12, 0)] | None = None  # if two-step login is on


class SessionView(msgspec.Struct):
    user_id: UUID
    tenant_id: UUID
    role: str
    display_name: str
    locale: str


class TokenCreate(msgspec.Struct):
    name: Annotated[str, text_rule(80)]
    ttl_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 90


class TokenIssuedView(msgspec.Struct):
    id: str
    token: str
    expires_at: datetime


class TokenView(msgspec.Struct):
    id: str
    name: str
    expires_at: datetime
    revoked: bool


class AccountCreate(msgspec.Struct):
    login: Annotated[str, text_rule(120, 3)]
    display_name: Name
    role: Literal["person", "practitioner", "close_person", "team_manager", "org_admin", "auditor"]
    password: Annotated[str, text_rule(256)]
    locale: Literal["fr-CA", "fr-FR", "en"] | None = None


class AccountView(msgspec.Struct):
    account_id: UUID
    login: str
    display_name: str
    role: str
    locale: str
    opened_at: datetime


class OrganizationView(msgspec.Struct):
    id: UUID
    code: str
    name: str
    region: str
    default_locale: str
    catalog_version: str


class ThemeView(msgspec.Struct):
    key: str
    label: str
    help: str


class SphereView(msgspec.Struct):
    key: str
    label: str
    themes: list[ThemeView]


class CatalogView(msgspec.Struct):
    version: str
    locale: str
    spheres: list[SphereView]


class Rating(msgspec.Struct):
    theme: ThemeKey
    value: int


class RatingsRequest(msgspec.Struct):
    ratings: Annotated[list[Rating], msgspec.Meta(min_length=1, max_length=55)]


class PerceptionsRequest(msgspec.Struct):
    ratings: Annotated[list[Rating], msgspec.Meta(min_length=1, max_length=55)]
    comment: Text | None = None


class CommentRequest(msgspec.Struct):
    theme: ThemeKey
    text: Text


class AssessmentSummary(msgspec.Struct):
    assessment_id: UUID
    person_id: UUID
    catalog_version: str
    opened_by: UUID
    opened_at: datetime
    version: int
    completed_at: datetime | None


class CurrentRating(msgspec.Struct):
    theme: str
    sphere: str
    perspective: str
    value: int
    assessment_id: UUID
    author_id: UUID
    rated_at: datetime


class ThemeHistoryEntry(msgspec.Struct):
    notification_id: int
    kind: Literal["rating", "perception", "comment"]
    perspective: str
    value: int | None
    comment: str | None
    assessment_id: UUID
    author_id: UUID
    at: datetime


class SphereAverage(msgspec.Struct):
    sphere: str
    perspective: str
    average: float
    rated_count: int


class Priority(msgspec.Struct):
    theme: str
    assessment_id: UUID
    starred_by: UUID
    starred_at: datetime


class AssessmentDetail(msgspec.Struct):
    summary: AssessmentSummary
    sphere_averages: list[SphereAverage]
    stars: list[Priority]


class TeamCreate(msgspec.Struct):
    name: Name


class TeamMemberAdd(msgspec.Struct):
    practitioner_id: UUID


class TeamManagerAssign(msgspec.Struct):
    manager_id: UUID


class TeamView(msgspec.Struct):
    team_id: UUID
    name: str
    manager_id: UUID | None
    created_at: datetime
    members: list[UUID]  # the first 100, oldest members first
    member_count: int


class LoginView(msgspec.Struct):
    """The session, and the CSRF token to send as X-CSRF-Token on every unsafe request."""

    user_id: UUID
    tenant_id: UUID
    role: str
    display_name: str
    locale: str
    csrf_token: str


class PasswordChange(msgspec.Struct):
    current_password: Secret
    new_password: Secret


class TotpEnrolmentView(msgspec.Struct):
    """Show the URI as a QR code; the secret is for typing it in by hand."""

    secret: str
    otpauth_uri: str


class TotpCode(msgspec.Struct):
    code: Annotated[str, text_rule(12)]


class SessionsRevokedView(msgspec.Struct):
    sessions_ended: int
