"""The access-log row of a request to a person's record, written with the request's own
first statement where there is one.

The consent guard decides every request to a person's record. A denial is logged by the
guard at once. An allowed read (GET, HEAD) hands its row and its pooled connection to the
request instead (`PendingRead`): the `db` dependency opens the handler's transaction with
`open_checked_record_read(...)`, which checks that the consent inputs the guard decided from
are still current (ADR 14), writes the row, sets the tenant and makes the transaction
read-only in one round trip. An allowed write hands its row to the command's saves
(`PendingWrite`, ADR 22): the first save writes it in its own statement, after the same
check. `access_row_middleware` makes both unconditional: if the row is still unwritten when
the response starts, or when the request fails before the handler read or saved anything, it
writes it then (checked: a write whose inputs changed gets the fresh decision's answer), so
no response leaves before its row; and it gives a read's connection back to the pool however
the request ends (ADR 0011)."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

import asyncpg
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import DomainError
from infra.eventstore.access_row_in_save import StaleAccess, hand_nothing_to_saves
from infra.http.access_inputs import NO_CHECK, Check, is_stale
from infra.http.problems import (
    MEDIA_TYPE,
    language_of,
    problem_body,
    refused_problem,
    unexpected_problem,
)
from projections.batch import Query

log = logging.getLogger("barometre.http")

PENDING_READ = "barometre_pending_read"  # scope key: the PendingRead of an allowed read
RECORD = "SELECT record_checked_access($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
OPEN_READ_CALL = "open_checked_record_read($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
OPEN_READ = "SELECT " + OPEN_READ_CALL


@dataclass(frozen=True)
class AccessRow:
    tenant_id: UUID
    actor_id: UUID
    role: str
    person_id: UUID
    tab: str
    action: str
    method: str
    path: str
    outcome: str
    reason: str

    def args(self) -> tuple[Any, ...]:
        return (self.tenant_id, self.actor_id, self.role, self.person_id, self.tab, self.action,
                self.method, self.path, self.outcome, self.reason)


async def _log(conn: asyncpg.Connection, statement: str, row: AccessRow,
               check: Check | None) -> None:
    try:
        await conn.execute(statement, *(check.args() if check else NO_CHECK), *row.args())
    except asyncpg.PostgresError as exc:
        if is_stale(exc):
            raise StaleAccess(str(exc)) from exc
        raise


async def write_row(conn: asyncpg.Connection, row: AccessRow, check: Check | None = None) -> None:
    """One statement outside any transaction: its own commit (asynchronous, ADR 0011).
    With a check, raises StaleAccess (and writes nothing) if the inputs changed."""
    await _log(conn, RECORD, row, check)


@dataclass
class PendingRead:
    """An allowed read whose row is not written yet, and the connection the guard used."""

    row: AccessRow
    pool: asyncpg.Pool
    conn: asyncpg.Connection | None
    check: Check | None = None  # the kept inputs the guard decided from, to verify
    redecide: Callable[[asyncpg.Connection], Awaitable[None]] | None = None
    written: bool = False

    def take_connection(self) -> asyncpg.Connection | None:
        """The guard's connection, for the handler's transaction (once; None afterwards)."""
        conn, self.conn = self.conn, None
        return conn

    async def open_read(self, conn: asyncpg.Connection) -> None:
        """First statement of the handler's transaction: the check, the row, the tenant,
        read-only. StaleAccess if the kept inputs changed: call `redecide` (outside the
        failed transaction), which decides again from fresh inputs, then open again."""
        await _log(conn, OPEN_READ, self.row, self.check)
        self.opened()  # verified when the read began: the row stands

    def opening(self) -> Query:
        """`open_read` as an expression and its arguments, to lead the read's own statement
        (`reads.fetch_record`, ADR 15)."""
        return Query(OPEN_READ_CALL, (*(self.check.args() if self.check else NO_CHECK),
                                      *self.row.args()))

    def opened(self) -> None:
        """The statement that led with `opening()` succeeded: the row stands."""
        self.written, self.check = True, None

    async def write_alone(self) -> None:
        """The row on its own, when no handler transaction wrote it (nothing was read)."""
        if self.written:
            return
        conn = self.take_connection()
        if conn is None:
            async with self.pool.acquire() as pooled:
                await self._write_checked(pooled)
        else:
            try:
                await self._write_checked(conn)
            finally:
                await self.pool.release(conn)
        self.written = True

    async def _write_checked(self, conn: asyncpg.Connection) -> None:
        """Logs the decision the fresh inputs give if the kept ones proved stale (the answer
        has left or is decided already: a refusal now only changes the row)."""
        try:
            await write_row(conn, self.row, self.check)
        except StaleAccess:
            if self.redecide is None:
                raise
            with contextlib.suppress(DomainError):
                await self.redecide(conn)
            await write_row(conn, self.row)

    async def release(self) -> None:
        conn = self.take_connection()
        if conn is not None:
            await self.pool.release(conn)


PENDING_WRITE = "barometre_pending_write"  # scope key: the PendingWrite of an allowed write


@dataclass
class PendingWrite:
    """An allowed write whose row is not written yet (ADR 22). The command's first save
    writes it, in the save's own statement, after checking the kept inputs (the recorder
    takes it through infra.eventstore.access_row_in_save); a write that saved nothing gets
    it written, checked, before its answer (`write_alone`)."""

    row: AccessRow
    pool: asyncpg.Pool
    check: Check | None = None  # the kept inputs the guard decided from, to verify
    redecide: Callable[[asyncpg.Connection], Awaitable[None]] | None = None
    written: bool = False

    def save_args(self, tenant_id: UUID) -> tuple[Any, ...] | None:
        if self.written:
            return None
        if tenant_id != self.row.tenant_id:  # fail closed: no save goes out without its row
            raise RuntimeError("a save in another organization than the request's")
        return (*(self.check.args() if self.check else NO_CHECK), *self.row.args())

    def saved(self) -> None:
        self.written, self.check = True, None

    async def decide_again(self, conn: asyncpg.Connection | None = None,
                           checked: bool = True) -> None:
        """The inputs the decision came from proved stale (a save, or the row alone, was
        refused, and nothing was written): decide from fresh ones. Refused: the refusal's
        row is written and the refusal (403 or 404) raised. Allowed: the new row waits for
        the next save, which checks the fresh inputs again (or not, if not `checked`)."""
        if self.redecide is None:
            raise StaleAccess("the consent inputs changed and nothing can decide again")
        if conn is None:
            async with self.pool.acquire() as pooled:
                await self.decide_again(cast(asyncpg.Connection, pooled), checked)
            return
        try:
            await self.redecide(conn)
        except DomainError:
            await write_row(conn, self.row)
            self.saved()
            raise
        if not checked:
            self.check = None

    async def write_alone(self) -> None:
        """The row of a write that saved nothing (a refused command, bad input), before its
        answer. If the kept inputs proved stale, the fresh decision's row, and if that is a
        refusal it is raised: the answer becomes the refusal (nothing was saved)."""
        if self.written:
            return
        async with self.pool.acquire() as pooled:
            conn = cast(asyncpg.Connection, pooled)
            try:
                await write_row(conn, self.row, self.check)
            except StaleAccess:
                await self.decide_again(conn)
                await write_row(conn, self.row)
        self.saved()


def access_row_middleware(app: ASGIApp) -> ASGIApp:
    """Around every route (outside Litestar's exception handling, so error answers pass here
    too): no answer starts before the pending row of an allowed read is written; if it cannot
    be written, a 500 problem goes out instead and nothing of the handler's answer does."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        # A request's task may start with a copy of the previous request's context (uvicorn
        # starts a pipelined request inside the previous one's last send): no row is handed
        # nor key to this request's saves until its own guard and command hand them.
        hand_nothing_to_saves()
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        replaced = False

        async def send_after_row(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                try:
                    await _flush(scope)
                except DomainError as refusal:  # a write's fresh decision refuses it
                    replaced = True
                    await _send_problem(scope, send, *refused_problem(refusal))
                    return
                except Exception as failure:  # 503 if the database is unavailable (ADR 29)
                    log.exception("access-log row not written; answer withheld: %s", scope["path"])
                    replaced = True
                    await _send_problem(scope, send, *unexpected_problem(failure))
                    return
            await send(message)

        try:
            await app(scope, receive, send_after_row)
        finally:
            pending = _pending(scope)
            if pending is not None and not replaced:
                # a request that ended without answering still leaves its row
                with contextlib.suppress(Exception):
                    await pending.write_alone()
            if isinstance(pending, PendingRead):
                await pending.release()

    return middleware


def _pending(scope: Scope) -> PendingRead | PendingWrite | None:
    for key in (PENDING_READ, PENDING_WRITE):
        pending = scope.get(key)  # type: ignore[misc]
        if isinstance(pending, PendingRead | PendingWrite):
            return pending
    return None


async def _flush(scope: Scope) -> None:
    if (pending := _pending(scope)) is not None:
        await pending.write_alone()


async def _send_problem(scope: Scope, send: Send, status: int, code: str, detail: str,
                        headers: dict[str, str] | None = None) -> None:
    accept = dict(scope.get("headers", [])).get(b"accept-language", b"fr").decode("latin-1")
    body = json.dumps(problem_body(status, code, detail, scope["path"], language_of(accept)),
                      ensure_ascii=False).encode()
    extra = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", MEDIA_TYPE.encode()),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})
