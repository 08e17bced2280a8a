"""Runs a command for a handler: idempotency, the service call in a thread, read-your-writes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response

from infra.eventstore.answer_in_save import KeyTaken
from infra.http.access_guard import ticket_of
from infra.http.idempotency import IdempotencyKey
from infra.http.problems import Problem
from infra.http.schemas import CommandView
from infra.http.state import AppState, in_thread
from services.actor import Actor
from services.base import BarometreApplication, CommandResult, Saving

READ_YOUR_WRITES = "read-your-writes"
S = TypeVar("S", bound=BarometreApplication)


def wants_read_your_writes(request: Request[Any, Any, Any]) -> bool:
    return READ_YOUR_WRITES in request.headers.get("prefer", "").lower()


def expected_version(request: Request[Any, Any, Any]) -> int | None:
    """If-Match: "<version>" makes the command fail with 409 if the record has moved on."""
    raw = request.headers.get("if-match")
    if raw is None:
        return None
    try:
        return int(raw.strip().strip('W/').strip('"'))
    except ValueError:
        raise Problem(400, "bad-request", "If-Match must be the record's version, e.g. \"3\"") from None


async def wait_for_views(state: AppState, actor: Actor, result: CommandResult) -> bool:
    """Waits until every projection of the application has applied the notification; gives
    up at once if a projection parked the record's stream (ADR 26), at the timeout otherwise."""
    expected = state.projections_by_application.get(result.application, 0)
    deadline = time.monotonic() + state.settings.read_your_writes_timeout
    async with state.read_pool.acquire() as conn:
        while True:
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(actor.tenant_id))
                done, parked = await conn.fetchrow(
                    "SELECT (SELECT count(*) FROM projection_tracking WHERE tenant_id = app_tenant()"
                    "  AND application = $1 AND notification_id >= $2),"
                    " EXISTS (SELECT FROM dead_letters WHERE tenant_id = app_tenant()"
                    "  AND application = $1 AND originator_id = $3 AND skipped_at IS NULL"
                    "  AND notification_id <= $2)",
                    result.application, result.notification_id, result.id)
            if parked:
                return False
            if done >= expected:
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.005)


async def check_strictly(request: Request[Any, Any, Any], data: msgspec.Struct) -> None:
    """Litestar converts leniently ("70" becomes 70); a rating must be a JSON integer."""
    try:
        msgspec.json.decode(await request.body(), type=type(data), strict=True)
    except msgspec.DecodeError as exc:  # a ValidationError, or JSON msgspec cannot read
        raise Problem(400, "bad-request", f"invalid request body: {exc}") from None


async def run_command(request: Request[Any, Any, Any], actor: Actor, service: S,
                      command: Callable[[S], CommandResult],
                      data: msgspec.Struct | None = None) -> Response[CommandView]:
    """Runs `command(service)` in a worker thread and answers with its result, with the route's
    declared status: 201 where it creates, 200 otherwise. The command gets the service bound
    to this request (`service.under(...)`), so its save writes beside its events the request's
    ticket (its access-log row, on a person's record) and its idempotency key. With an Idempotency-Key (ADR 28): a
    key already committed answers its first answer and runs nothing; otherwise the key rides
    the command's save, and a command that saved nothing remembers its answer on its own. A
    command that fails because another request committed the key first (its save was
    refused, or its rules now refuse it) answers that request's answer."""
    state: AppState = request.app.state.barometre
    status = request.route_handler.status_code
    if data is not None:
        await check_strictly(request, data)
    key = await IdempotencyKey.of_request(request, actor, status)
    if key is not None and (first := await key.first_answer(state.read_pool)) is not None:
        return await _answer(request, state, actor, first.status, first.result, replayed=True)
    saving = Saving(access=ticket_of(request), claim=key)
    try:
        result = await in_thread(command, service.under(saving))
    except Exception as failure:
        if key is not None and (first := await key.first_answer(state.read_pool)) is not None:
            return await _answer(request, state, actor, first.status, first.result, replayed=True)
        if isinstance(failure, KeyTaken):  # committed, then expired at once: retry later
            raise Problem(409, "idempotency",
                          "a request with this Idempotency-Key is still running") from None
        raise
    if key is not None and not key.written and (  # saved nothing: its answer alone
            first := await key.remember_alone(state.read_pool, result)) is not None:
        return await _answer(request, state, actor, first.status, first.result, replayed=True)
    return await _answer(request, state, actor, status, result, replayed=False)


async def _answer(request: Request[Any, Any, Any], state: AppState, actor: Actor, status: int,
                  result: CommandResult, replayed: bool) -> Response[CommandView]:
    headers = {"ETag": f'"{result.version}"'}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    if wants_read_your_writes(request) and await wait_for_views(state, actor, result):
        headers["Preference-Applied"] = READ_YOUR_WRITES
    return Response(CommandView(result.id, result.version, result.notification_id),
                    status_code=status, headers=headers)
