"""The consent guard: the one place where every HTTP request to a person's record is decided
and logged. It runs, app-wide, before the handler, its dependencies and body decoding, for
every route whose path has a `person_id` parameter, whatever its prefix.

The part of the record and the action are what the route declares (`opt=touches(...)`,
infra/http/touches.py; the app refuses to start if a record route declares none). Handlers of
multi-tab pages (summary, timeline) read the tabs the caller may see from
`request.scope[READABLE_TABS]` (a frozenset of tab names; see `readable_tabs`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast
from uuid import UUID

import asyncpg
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from domain.access.policy import WRITE, Decision, decide
from domain.errors import Forbidden, NotFound
from infra.eventstore.access_row_in_save import StaleAccess, hand_to_saves
from infra.http.access_inputs import AccessInputs, Check, Kept, read_inputs
from infra.http.access_row import (
    PENDING_READ,
    PENDING_WRITE,
    AccessRow,
    PendingRead,
    PendingWrite,
    write_row,
)
from infra.http.auth import current_actor
from infra.http.inputs_prefetch import Prefetch, start
from infra.http.state import AppState
from infra.http.touches import Touches, declared
from services.actor import Actor

READABLE_TABS = "barometre_readable_tabs"  # scope key: frozenset[str] of tabs the caller may read
PERSON_CHECKED = "barometre_person_checked"  # scope key: the person id the guard found and allowed
UNKNOWN = "unknown"
# A route the start-up check has not seen (registered later) declares nothing: denied.
UNDECLARED = Touches(UNKNOWN, WRITE)


def readable_tabs(connection: ASGIConnection[Any, Any, Any, Any]) -> frozenset[str]:
    """The tabs of the record in the path that the caller may read (empty if none)."""
    tabs = connection.scope.get(READABLE_TABS)
    return tabs if isinstance(tabs, frozenset) else frozenset()


# The views the inputs come from lag the events (ADR 32): deny until they catch up.
CONSENT_BEING_UPDATED = ("consent for this record is being updated; "
                         "try again in a few seconds")


def _decision(actor: Actor, person_id: UUID, page: str, action: str,
              inputs: AccessInputs) -> Decision:
    if not inputs.person_exists:
        return Decision(False, "person not found in this organization")
    if not inputs.current:
        return Decision(False, CONSENT_BEING_UPDATED)
    return decide(actor, person_id, page, action, inputs.grants, inputs.team_ids,
                  inputs.checked_at)


def _row(actor: Actor, person_id: UUID, page: str, action: str, method: str, path: str,
         decision: Decision) -> AccessRow:
    reason = decision.reason if page != UNKNOWN else f"{decision.reason} ({path})"
    return AccessRow(actor.tenant_id, actor.user_id, actor.role, person_id, page, action,
                     method, path, "allowed" if decision.allowed else "denied", reason)


def _decided(state: AppState, actor: Actor, person_id: UUID, page: str, action: str,
             kept: Kept) -> Decision:
    """The decision from kept inputs: taken before for this role, page and action, or now
    (and kept with them). No await between reading `kept` and keeping the decision."""
    decision = kept.decision(actor.role, page, action)
    if decision is None:
        decision = _decision(actor, person_id, page, action, kept.inputs())
        state.access_inputs.remember((actor.tenant_id, actor.user_id, person_id), kept,
                                     actor.role, page, action, decision)
    return decision


async def _fresh(state: AppState, conn: asyncpg.Connection, actor: Actor, person_id: UUID,
                 page: str, action: str) -> tuple[bool, Decision, Check | None]:
    """(whether the person exists, the decision, what a write's save checks) from inputs
    read now, kept with them."""
    return _from_inputs(state, actor, person_id, page, action,
                        await read_inputs(conn, actor.tenant_id, person_id, actor.user_id))


def _from_inputs(state: AppState, actor: Actor, person_id: UUID, page: str, action: str,
                 inputs: AccessInputs) -> tuple[bool, Decision, Check | None]:
    """A write's save is checked against the very inputs it was decided from, even fresh
    ones: its body may take a while to arrive (ADR 22)."""
    key = (actor.tenant_id, actor.user_id, person_id)
    kept = state.access_inputs.put(key, inputs)
    decision = _decision(actor, person_id, page, action, inputs)
    if kept is not None:
        state.access_inputs.remember(key, kept, actor.role, page, action, decision)
    return inputs.person_exists, decision, inputs.check() if action == WRITE else None


def _refused(person_exists: bool, decision: Decision) -> Exception | None:
    if not person_exists:
        return NotFound("person not found")
    return None if decision.allowed else Forbidden(decision.reason)


async def _decide(connection: ASGIConnection[Any, Any, Any, Any], state: AppState, actor: Actor,
                  person_id: UUID, page: str, action: str, method: str, path: str,
                  prefetch: Prefetch | None
                  ) -> tuple[bool, Decision, PendingRead | PendingWrite | None]:
    """(whether the person exists, the decision, and for an allowed read or write its pending
    access-log row); a refusal is logged here, before the handler. Inputs read during the
    session lookup (ADR 15) are used if there are, else kept inputs, verified by the
    statement that logs the request (ADR 14), else fresh ones. An allowed write on kept
    inputs needs no connection here: its first save logs it (ADR 22)."""
    conn, early = await prefetch.inputs_for(actor) if prefetch else (None, None)
    handed_over = False
    try:
        kept = None if early else state.access_inputs.kept((actor.tenant_id, actor.user_id,
                                                            person_id))
        check = kept.check() if kept else None
        if kept:
            exists, decision = kept.person_exists, _decided(state, actor, person_id, page,
                                                            action, kept)
        elif early:
            exists, decision, check = _from_inputs(state, actor, person_id, page, action, early)
        else:
            conn = conn or cast(asyncpg.Connection, await state.read_pool.acquire())
            exists, decision, check = await _fresh(state, conn, actor, person_id, page, action)
        while True:
            row = _row(actor, person_id, page, action, method, path, decision)
            if decision.allowed and action == WRITE:  # its first save writes the row
                write = PendingWrite(row, state.read_pool, check)
                write.redecide = _redecide(connection, state, actor, person_id, page, action,
                                           method, path, write)
                return exists, decision, write
            conn = conn or cast(asyncpg.Connection, await state.read_pool.acquire())
            if decision.allowed:  # a read: its first statement writes the row
                read = PendingRead(row, state.read_pool, conn, check)
                read.redecide = _redecide(connection, state, actor, person_id, page, action,
                                          method, path, read)
                handed_over = True
                return exists, decision, read
            try:
                await write_row(conn, row, check)
            except StaleAccess:
                exists, decision, _ = await _fresh(state, conn, actor, person_id, page, action)
                check = None  # a refusal's row, from inputs read just now
                continue
            return exists, decision, None
    finally:
        if conn is not None and not handed_over:
            await state.read_pool.release(conn)


def _redecide(connection: ASGIConnection[Any, Any, Any, Any], state: AppState, actor: Actor,
              person_id: UUID, page: str, action: str, method: str, path: str,
              pending: PendingRead | PendingWrite
              ) -> Callable[[asyncpg.Connection], Awaitable[None]]:
    """For an allowed request whose kept inputs proved stale: decide again from fresh ones.
    The row becomes the new decision's (for an allowed one, written when the read opens or
    the write saves; for a refusal, by the caller), and a refusal (403 or 404) is raised."""
    async def again(conn: asyncpg.Connection) -> None:
        exists, decision, check = await _fresh(state, conn, actor, person_id, page, action)
        pending.row = _row(actor, person_id, page, action, method, path, decision)
        pending.check = check  # a write's next save is checked again; a read's is not
        connection.scope[READABLE_TABS] = decision.readable_tabs  # type: ignore[literal-required]
        if (refusal := _refused(exists, decision)) is not None:
            raise refusal
    return again


async def consent_guard(connection: ASGIConnection[Any, Any, Any, Any],
                        route_handler: BaseRouteHandler) -> None:
    """Allows the request, or raises 404 (no such person here) or 403; logs it either way."""
    raw = connection.path_params.get("person_id")
    if raw is None:
        return
    state: AppState = connection.app.state.barometre
    try:
        person_id: UUID | None = raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        person_id = None
    prefetch = start(connection, state.session_owners, state.access_inputs, state.read_pool,
                     person_id) if person_id else None
    try:
        actor = await current_actor(connection)  # type: ignore[arg-type]
        if person_id is None:
            raise NotFound("person not found")
    except BaseException:
        if prefetch:
            await prefetch.discard(state.read_pool)
        raise
    touched = declared(route_handler) or UNDECLARED
    exists, decision, pending = await _decide(
        connection, state, actor, person_id, touched.page, touched.action,
        str(connection.scope.get("method", "GET")), connection.url.path, prefetch)
    if isinstance(pending, PendingRead):
        connection.scope[PENDING_READ] = pending  # type: ignore[literal-required]
    elif pending is not None:
        connection.scope[PENDING_WRITE] = pending  # type: ignore[literal-required]
        hand_to_saves(pending)  # the request's context, copied into its service threads
    if (refusal := _refused(exists, decision)) is not None:
        raise refusal
    connection.scope[READABLE_TABS] = decision.readable_tabs  # type: ignore[literal-required]
    connection.scope[PERSON_CHECKED] = person_id  # type: ignore[literal-required]
