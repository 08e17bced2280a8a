"""A read of a person's record under a ticket, in ONE statement (ADR 15), for any caller:
a page or an API handler (infra/http/reads.py uses it), a job, an auditor's replay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg

from infra.access.inputs import StaleAccess, is_stale
from infra.access.ticket import Ticket
from projections.batch import Query, fetch_many


async def fetch_record(ticket: Ticket | None,
                       queries: Callable[[], dict[str, Query]]) -> dict[str, list[dict[str, Any]]]:
    """An allowed read of a record in ONE statement and no explicit transaction (ADR 15): its
    first column checks the ticket's inputs, writes the access-log row and sets the tenant
    (`open_checked_record_read`), the others are the queries (`fetch_many`). If the inputs
    were stale, the ticket is decided again (a refusal raises here) and `queries` is asked
    again, for the tabs now readable. Fails closed: no read without an unwritten ticket."""
    if ticket is None or ticket.written or ticket.pool is None:
        raise RuntimeError("a record read without the door's ticket")
    conn = ticket.take_connection() or await ticket.pool.acquire()
    try:
        try:
            rows = await _fetch_opening(conn, ticket, queries())
        except StaleAccess:
            if (refusal := await ticket.renew(conn)) is not None:
                await ticket.write_row(conn)  # the refusal's row, inputs read just now
                raise refusal from None
            rows = await _fetch_opening(conn, ticket, queries())
        ticket.opened()
        return rows
    finally:
        await ticket.release_to_pool(conn)


async def _fetch_opening(conn: asyncpg.Connection, ticket: Ticket,
                         queries: dict[str, Query]) -> dict[str, list[dict[str, Any]]]:
    try:
        return await fetch_many(conn, queries, ticket.opening())
    except asyncpg.PostgresError as exc:
        if is_stale(exc):
            raise StaleAccess(str(exc)) from exc
        raise
