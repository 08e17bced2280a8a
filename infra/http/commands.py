"""Runs a command for a handler: idempotency, the service call in a thread, read-your-writes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Request, Response

from infra.http.idempotency import Idempotency
from infra.http.problems import Problem
from infra.http.schemas import CommandView
from infra.http.state import AppState, in_thread
from services.actor import Actor
from services.base import CommandResult

READ_YOUR_WRITES = "read-your-writes"


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
    except msgspec.ValidationError as exc:
        raise Problem(400, "bad-request", f"invalid request body: {exc}") from None


async def run_command(request: Request[Any, Any, Any], actor: Actor,
                      command: Callable[[], CommandResult],
                      data: msgspec.Struct | None = None) -> Response[CommandView]:
    """Answers with the route's declared status: 201 where it creates, 200 otherwise."""
    state: AppState = request.app.state.barometre
    status = request.route_handler.status_code
    if data is not None:
        await check_strictly(request, data)
    idempotency = None
    if key := request.headers.get("idempotency-key"):
        body = await request.body()
        idempotency = Idempotency(state.redis, actor, key,
                                  Idempotency.fingerprint_of(request.method, request.url.path, body))
        if (stored := await idempotency.replay()) is not None:
            return Response(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    try:
        result = await in_thread(command)
    except Exception:
        if idempotency:
            await idempotency.release()
        raise
    view = CommandView(result.id, result.version, result.notification_id)
    headers = {"ETag": f'"{result.version}"'}
    if wants_read_your_writes(request) and await wait_for_views(state, actor, result):
        headers["Preference-Applied"] = READ_YOUR_WRITES
    if idempotency:
        await idempotency.remember(status, {"id": str(view.id), "version": view.version,
                                            "notification_id": view.notification_id})
    return Response(view, status_code=status, headers=headers)
