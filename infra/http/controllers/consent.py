"""The person's consent: grants, revocations and access requests. Every command answers
once current consent has applied it, so the person's next page shows it; a revocation holds
on the next request even before that (the guard denies while the views lag, ADR 32)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide

from domain.access.policy import CONSENT_INTAKE, CONSENT_PAGE, READ, WRITE
from infra.http.commands import READ_YOUR_WRITES, expected_version, run_command, wait_for_views
from infra.http.paging import Cursor, Limit, after
from infra.http.problems import Problem
from infra.http.reads import reachable_person
from infra.http.schemas import CommandView
from infra.http.schemas_consent import (
    AccessRequestCreate,
    AccessRequestView,
    ConsentView,
    GrantCreate,
    GrantView,
    InPersonGrantCreate,
    RequestAcceptance,
)
from infra.http.state import AppState
from infra.http.touches import touches
from projections.accounts.teams import teams_of
from projections.consent import queries
from services.actor import Actor
from services.base import CommandResult
from services.consent import Consent

CONSENT = "/{person_id:uuid}/consent"


def _consent(request: Request[Any, Any, Any]) -> Consent:
    state: AppState = request.app.state.barometre
    return state.write.consent


def _utc(instant: datetime | None) -> datetime | None:
    """A date-time without an offset is taken as UTC."""
    return instant.replace(tzinfo=UTC) if instant and instant.tzinfo is None else instant


async def _command(request: Request[Any, Any, Any], actor: Actor,
                   command: Callable[[Consent, int | None], CommandResult],
                   data: Any = None, in_effect_once_stored: bool = False) -> Response[CommandView]:
    """run_command, then read-your-writes whatever the client asked: a grant is usable once
    the view has it. If the views do not catch up in time, a grant answers 503 (stored, not
    usable yet); a revocation, in effect once stored, answers as usual without
    Preference-Applied."""
    state: AppState = request.app.state.barometre
    version = expected_version(request)
    response = await run_command(request, actor, _consent(request), lambda consent: command(consent, version),
                                 data=data)
    if "Preference-Applied" in response.headers or "Idempotent-Replayed" in response.headers:
        return response
    view: CommandView = response.content
    result = CommandResult(view.id, view.version, view.notification_id, Consent.name)
    if not await wait_for_views(state, actor, result):
        if in_effect_once_stored:
            return response
        raise Problem(503, "http", "the consent change is recorded but not yet in effect; "
                                   "it will be within seconds", headers={"Retry-After": "2"})
    response.headers["Preference-Applied"] = READ_YOUR_WRITES
    return response


class ConsentController(Controller):
    path = "/persons"
    tags = ["consent"]  # noqa: RUF012
    dependencies = {"person": Provide(reachable_person)}  # noqa: RUF012

    @get(CONSENT, operation_id="getConsent", opt=touches(CONSENT_PAGE, READ))
    async def consent(self, actor: Actor, db: asyncpg.Connection, person: UUID,
                      limit: int = Limit, grants_cursor: str | None = Cursor,
                      requests_cursor: str | None = Cursor) -> ConsentView:
        """The person sees all their grants and requests; a practitioner, those concerning
        them (grants to them or to their teams, and their own requests). Each list is paged
        on its own, newest first: `grants_cursor` and `requests_cursor` continue them."""
        grants_after = after(queries.GRANTS, grants_cursor, "grants_cursor")
        requests_after = after(queries.REQUESTS, requests_cursor, "requests_cursor")
        if actor.role == "person":
            grantees, asker = None, None
        else:
            grantees, asker = [actor.user_id, *await teams_of(db, actor.user_id)], actor.user_id
        grants, next_grants = await queries.grants_of(db, person, grantees, grants_after, limit)
        asked, next_requests = await queries.requests_of(db, person, asker, requests_after, limit)
        return ConsentView([GrantView(**r) for r in grants],
                           [AccessRequestView(**r) for r in asked], next_grants, next_requests)

    @post(CONSENT + "/grants", operation_id="grantAccess", opt=touches(CONSENT_PAGE, WRITE))
    async def grant(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                    data: GrantCreate) -> Response[CommandView]:
        return await _command(request, actor, lambda c, v: c.grant(
            actor, person_id, data.grantee_kind, data.grantee_id, list(data.tabs), data.level,
            _utc(data.until), v), data=data)

    @post(CONSENT + "/grants/in-person", operation_id="recordConsentGivenInPerson",
          opt=touches(CONSENT_INTAKE, WRITE))
    async def in_person(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                        data: InPersonGrantCreate) -> Response[CommandView]:
        given_at = _utc(data.given_at) or data.given_at
        return await _command(request, actor, lambda c, v: c.record_given_in_person(
            actor, person_id, data.grantee_kind, data.grantee_id, list(data.tabs), data.level,
            data.legal_basis, given_at, _utc(data.until), v), data=data)

    @post(CONSENT + "/grants/{grant_id:uuid}/revoke", operation_id="revokeAccess", status_code=200,
          opt=touches(CONSENT_PAGE, WRITE))
    async def revoke(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     grant_id: UUID) -> Response[CommandView]:
        return await _command(request, actor, lambda c, v: c.revoke(actor, person_id, grant_id, v),
                              in_effect_once_stored=True)

    @post(CONSENT + "/requests", operation_id="requestAccess", opt=touches(CONSENT_INTAKE, WRITE))
    async def request_access(self, request: Request[Any, Any, Any], actor: Actor,
                             person_id: UUID, data: AccessRequestCreate) -> Response[CommandView]:
        return await _command(request, actor, lambda c, v: c.request_access(
            actor, person_id, list(data.tabs), data.level, data.reason, v), data=data)

    @post(CONSENT + "/requests/{request_id:uuid}/accept", operation_id="acceptAccessRequest",
          status_code=200, opt=touches(CONSENT_PAGE, WRITE))
    async def accept(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     request_id: UUID,
                     data: RequestAcceptance | None = None) -> Response[CommandView]:
        """Grants what was asked to who asked it; answers with the new grant's id."""
        until = _utc(data.until) if data else None
        return await _command(request, actor, lambda c, v: c.accept_request(
            actor, person_id, request_id, until, v), data=data)

    @post(CONSENT + "/requests/{request_id:uuid}/decline", operation_id="declineAccessRequest",
          status_code=200, opt=touches(CONSENT_PAGE, WRITE))
    async def decline(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                      request_id: UUID) -> Response[CommandView]:
        return await _command(request, actor, lambda c, v: c.decline_request(
            actor, person_id, request_id, v))
