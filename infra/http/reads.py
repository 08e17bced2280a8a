"""Read-side dependencies: a tenant-scoped asyncpg connection, and the person in the path;
and the read of a record in one statement (`fetch_record`)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
from asyncpg.transaction import Transaction
from litestar import Request

from domain.access.policy import check_may_reach_person
from domain.errors import NotFound
from infra.eventstore.access_row_in_save import StaleAccess
from infra.http.access_guard import PERSON_CHECKED
from infra.http.access_inputs import is_stale
from infra.http.access_row import PENDING_READ, PendingRead
from infra.http.auth import current_actor
from infra.http.state import AppState
from projections.accounts.directory import find_person
from projections.batch import Query, fetch_many
from services.actor import Actor

SET_TENANT = "set_config('app.tenant_id', $1, true)"
TENANT = "SELECT " + SET_TENANT


async def tenant_db(request: Request[Any, Any, Any]) -> AsyncGenerator[asyncpg.Connection, None]:
    """A read-only transaction with the caller's tenant set, so RLS applies to every query.
    On an allowed read of a record, it is the guard's connection, and its first statement
    also writes the request's access-log row (`access_row`)."""
    pending = request.scope.get(PENDING_READ)
    if isinstance(pending, PendingRead) and not pending.written:
        conn, pool = pending.take_connection(), pending.pool
        try:
            if conn is None:
                conn = await pool.acquire()
            read = await _open_read(conn, pending)
            try:
                yield conn
            except BaseException:
                pending.written = False  # rolled back with the handler's transaction:
                await read.rollback()  # access_row_middleware writes it on its own
                raise  # before the error leaves
            await read.commit()
        finally:
            if conn is not None:
                await pool.release(conn)
        return
    async with _tenant_read(request, await current_actor(request)) as conn:
        yield conn


@asynccontextmanager
async def _tenant_read(request: Request[Any, Any, Any],
                       actor: Actor) -> AsyncIterator[asyncpg.Connection]:
    state: AppState = request.app.state.barometre
    async with state.read_pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute(TENANT, str(actor.tenant_id))
        yield conn


async def fetch_record(request: Request[Any, Any, Any],
                       queries: Callable[[], dict[str, Query]]) -> dict[str, list[dict[str, Any]]]:
    """An allowed read of a record in ONE statement and no explicit transaction (ADR 15): its
    first column checks the kept consent inputs, writes the access-log row and sets the
    tenant (`open_checked_record_read`), the others are the queries (`fetch_many`). If the
    inputs were stale, the guard decides again (a refusal raises here) and `queries` is asked
    again, for the tabs now readable. Fails closed: no read without the guard's row."""
    pending = request.scope.get(PENDING_READ)
    if not isinstance(pending, PendingRead) or pending.written:
        raise RuntimeError("a record read without the consent guard's pending access-log row")
    conn = pending.take_connection() or await pending.pool.acquire()
    try:
        try:
            rows = await _fetch_opening(conn, pending, queries())
        except StaleAccess:
            if pending.redecide is None:
                raise
            await pending.redecide(conn)
            rows = await _fetch_opening(conn, pending, queries())
        pending.opened()
        return rows
    finally:
        await pending.pool.release(conn)


async def _fetch_opening(conn: asyncpg.Connection, pending: PendingRead,
                         queries: dict[str, Query]) -> dict[str, list[dict[str, Any]]]:
    try:
        return await fetch_many(conn, queries, pending.opening())
    except asyncpg.PostgresError as exc:
        if is_stale(exc):
            raise StaleAccess(str(exc)) from exc
        raise


async def _begin(conn: asyncpg.Connection) -> Transaction:
    transaction = conn.transaction()
    await transaction.start()
    return transaction


async def _open_read(conn: asyncpg.Connection, pending: PendingRead) -> Transaction:
    """The handler's transaction, opened by the statement that writes the row. If the consent
    inputs the guard decided from were stale, the guard decides again from fresh ones (a
    refusal raises here) and the read opens with the new decision (ADR 14)."""
    transaction = await _begin(conn)
    try:
        await pending.open_read(conn)
        return transaction
    except StaleAccess:
        await transaction.rollback()
        if pending.redecide is None:
            raise
        await pending.redecide(conn)
    except BaseException:
        await transaction.rollback()
        raise
    transaction = await _begin(conn)
    try:
        await pending.open_read(conn)  # fresh inputs: nothing left to check
    except BaseException:
        await transaction.rollback()
        raise
    return transaction


async def reachable_person(request: Request[Any, Any, Any], person_id: UUID, actor: Actor,
                           db: asyncpg.Connection) -> UUID:
    """The person in the path, if the caller may reach their record (403), and they exist (404;
    already known when the consent guard found them for this request)."""
    check_may_reach_person(actor, person_id)
    if request.scope.get(PERSON_CHECKED) != person_id and await find_person(db, person_id) is None:
        raise NotFound("person not found")
    return person_id


async def checked_person(request: Request[Any, Any, Any], person_id: UUID, actor: Actor) -> UUID:
    """`reachable_person` for a handler that reads with `fetch_record` (no `db` connection):
    the consent guard found the person before any handler of a record runs."""
    check_may_reach_person(actor, person_id)
    if request.scope.get(PERSON_CHECKED) != person_id:
        raise NotFound("person not found")
    return person_id
