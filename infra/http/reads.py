"""Read-side dependencies: a tenant-scoped asyncpg connection (opened with the request's
ticket on a person's record), and the person in the path. A read in one statement is
infra/access/read.py's `fetch_record`."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
from asyncpg.transaction import Transaction
from litestar import Request

from domain.access.policy import check_may_reach_person
from domain.errors import NotFound
from infra.access import Ticket
from infra.access.inputs import StaleAccess
from infra.http.access_guard import ticket_of
from infra.http.auth import current_actor
from infra.http.state import AppState
from projections.accounts.directory import find_person
from services.actor import Actor

SET_TENANT = "set_config('app.tenant_id', $1, true)"
TENANT = "SELECT " + SET_TENANT


async def tenant_db(request: Request[Any, Any, Any]) -> AsyncGenerator[asyncpg.Connection, None]:
    """A read-only transaction with the caller's tenant set, so RLS applies to every query.
    On an allowed read of a record, it is opened with the request's ticket: on the door's
    connection, by the statement that also writes the access-log row."""
    ticket = ticket_of(request)
    if ticket is not None and not ticket.written:
        assert ticket.pool is not None
        conn, pool = ticket.take_connection(), ticket.pool
        try:
            if conn is None:
                conn = await pool.acquire()
            read = await _open_read(conn, ticket)
            try:
                yield conn
            except BaseException:
                ticket.written = False  # rolled back with the handler's transaction:
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


async def _begin(conn: asyncpg.Connection) -> Transaction:
    transaction = conn.transaction()
    await transaction.start()
    return transaction


async def _open_read(conn: asyncpg.Connection, ticket: Ticket) -> Transaction:
    """The handler's transaction, opened by the statement that writes the row. If the inputs
    the ticket was decided from were stale, it is decided again from fresh ones (a refusal
    raises here) and the read opens with the new decision (ADR 14)."""
    transaction = await _begin(conn)
    try:
        await ticket.open_read(conn)
        return transaction
    except StaleAccess:
        await transaction.rollback()
        if (refusal := await ticket.renew(conn)) is not None:
            await ticket.write_row(conn)  # the refusal's row, inputs read just now
            raise refusal from None
    except BaseException:
        await transaction.rollback()
        raise
    transaction = await _begin(conn)
    try:
        await ticket.open_read(conn)  # fresh inputs: nothing left to check
    except BaseException:
        await transaction.rollback()
        raise
    return transaction


async def reachable_person(request: Request[Any, Any, Any], person_id: UUID, actor: Actor,
                           db: asyncpg.Connection) -> UUID:
    """The person in the path, if the caller may reach their record (403), and they exist (404;
    already known when the consent guard found them for this request)."""
    check_may_reach_person(actor, person_id)
    if not _admitted(request, person_id) and await find_person(db, person_id) is None:
        raise NotFound("person not found")
    return person_id


def _admitted(request: Request[Any, Any, Any], person_id: UUID) -> bool:
    """The door found the person and let this request in."""
    ticket = ticket_of(request)
    return ticket is not None and ticket.person_id == person_id and ticket.allowed


async def checked_person(request: Request[Any, Any, Any], person_id: UUID, actor: Actor) -> UUID:
    """`reachable_person` for a handler that reads with `fetch_record` (no `db` connection):
    the consent guard found the person before any handler of a record runs."""
    check_may_reach_person(actor, person_id)
    if not _admitted(request, person_id):
        raise NotFound("person not found")
    return person_id
