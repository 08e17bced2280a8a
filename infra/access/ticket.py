"""A ticket: the door's decision for one actor, person, tab and action, and the access-log row
that records it, written by the first statement that reads or saves under the ticket.

An allowed read opens its transaction with the ticket (`open_read`, or `opening()` leading a
single-statement read): that statement checks that the inputs the ticket was decided from are
still current (ADR 14), writes the row, sets the tenant and makes the read read-only. An
allowed write hands the ticket to its command, which passes it to the save
(`save(..., access=ticket)`): the recorder writes the row in the statement that stores the
events, after the same check (ADR 22). Whatever wrote nothing writes the row alone before the
answer leaves (`write_alone`). A refusal's row is written by the door at once.

A statement that finds the inputs stale writes nothing and raises StaleAccess; the ticket is
then decided again from inputs read now, by one policy (`decided_again`): allowed, the same
read or save goes ahead under the new row; refused, the refusal's row is written and the
refusal raised. Nothing re-runs a command: its events do not depend on consent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import psycopg

from domain.access.actor import Actor
from domain.access.policy import WRITE, Decision, decide
from domain.errors import DomainError, Forbidden, NotFound
from infra.access.inputs import (
    NO_CHECK,
    STALE_SQLSTATE,
    AccessInputs,
    Check,
    StaleAccess,
    is_stale,
    read_inputs,
    read_inputs_now,
)
from projections.batch import Query

RECORD = "SELECT record_checked_access($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
RECORD_NOW = "SELECT record_checked_access(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
OPEN_READ_CALL = "open_checked_record_read($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
OPEN_READ = "SELECT " + OPEN_READ_CALL
STALE_SAVES_CHECKED = 3  # renewals of one ticket checked; then the save goes unchecked
# The views the inputs come from lag the events (ADR 32): deny until they catch up.
CONSENT_BEING_UPDATED = ("consent for this record is being updated; "
                         "try again in a few seconds")


@dataclass(frozen=True)
class Asked:
    """Who asks, for the access log: an HTTP method and path, or a job and what it does."""

    method: str
    path: str


def decision_on(inputs: AccessInputs, actor: Actor, person_id: UUID, tab: str,
                action: str) -> Decision:
    """The access policy (domain.access.policy) applied to inputs, which must name a person
    of the tenant and be as new as the events they come from."""
    if not inputs.person_exists:
        return Decision(False, "person not found in this organization")
    if not inputs.current:
        return Decision(False, CONSENT_BEING_UPDATED)
    return decide(actor, person_id, tab, action, inputs.grants, inputs.team_ids,
                  inputs.checked_at)


@dataclass
class Ticket:
    """What `Door.admit` answers. `check` is what the first statement verifies (None: the
    inputs were read for this ticket, nothing to verify); `written` once the row stands."""

    actor: Actor
    person_id: UUID
    tab: str
    action: str
    asked: Asked
    person_exists: bool
    decision: Decision
    check: Check | None
    pool: asyncpg.Pool | None = None  # where an unwritten row gets a connection
    conn: asyncpg.Connection | None = None  # an allowed read's connection, taken once
    keep: Callable[[AccessInputs], object] | None = None  # the door keeps renewed inputs
    inputs: Callable[[], AccessInputs] | None = None  # what it was decided from
    written: bool = False
    renewals: int = 0

    @property
    def allowed(self) -> bool:
        return self.person_exists and self.decision.allowed

    @property
    def readable_tabs(self) -> frozenset[str]:
        return self.decision.readable_tabs if self.allowed else frozenset()

    def may(self, action: str, tab: str) -> bool:
        """Whether the same inputs would let the actor `action` `tab` too: what a page shows
        (edit controls only where writing is allowed). Decides nothing: the write itself
        passes the door."""
        if not self.allowed or self.inputs is None:
            return False
        return decision_on(self.inputs(), self.actor, self.person_id, tab, action).allowed

    def refusal(self) -> DomainError | None:
        """What the caller raises when the ticket refuses: 404 (no such person) or 403."""
        if not self.person_exists:
            return NotFound("person not found")
        return None if self.decision.allowed else Forbidden(self.decision.reason)

    def row_args(self) -> tuple[Any, ...]:
        """The arguments of the logging functions (migrations 016, 024): check, then row."""
        a = self.actor
        reason = self.decision.reason
        return (*(self.check.args() if self.check else NO_CHECK), a.tenant_id, a.user_id, a.role,
                self.person_id, self.tab, self.action, self.asked.method, self.asked.path,
                "allowed" if self.allowed else "denied", reason)

    # The one policy for stale tickets ----------------------------------------------------
    def decided_again(self, inputs: AccessInputs) -> None:
        """The ticket decided from inputs read now, which a write's save checks again (a
        read's opening does not: nothing of it is written yet). After STALE_SAVES_CHECKED
        renewals a save goes unchecked: consent that changes at every attempt must not
        refuse a write for ever."""
        self.renewals += 1
        self.person_exists = inputs.person_exists
        self.decision = decision_on(inputs, self.actor, self.person_id, self.tab, self.action)
        checked = self.action == WRITE and self.renewals < STALE_SAVES_CHECKED
        self.check = inputs.check() if checked else None

    async def renew(self, conn: asyncpg.Connection) -> DomainError | None:
        """Decided again from inputs read now on `conn` (outside any transaction), kept by
        the door for the next ticket; answers the refusal if it now refuses (its row is then
        still to write)."""
        inputs = await read_inputs(conn, self.actor.tenant_id, self.person_id, self.actor.user_id)
        if self.keep is not None:
            self.keep(inputs)
        self.decided_again(inputs)
        self.inputs = lambda: inputs
        return self.refusal()

    def renew_now(self, conn: psycopg.Connection[Any]) -> None:
        """`renew` in a save (a service thread, the write side's connection). A refusal's row is
        written here, before the refusal is raised: the command saves nothing."""
        self.decided_again(read_inputs_now(conn, self.actor.tenant_id, self.person_id,
                                           self.actor.user_id))
        if (refusal := self.refusal()) is not None:
            self.check = None
            conn.execute(RECORD_NOW, self.row_args())
            self.written = True
            raise refusal

    # A read ------------------------------------------------------------------------------
    def take_connection(self) -> asyncpg.Connection | None:
        """The door's connection, for the read's transaction (once; None afterwards)."""
        conn, self.conn = self.conn, None
        return conn

    async def open_read(self, conn: asyncpg.Connection) -> None:
        """First statement of the read's transaction: the check, the row, the tenant,
        read-only. StaleAccess if the inputs changed: `renew` (outside the failed
        transaction), then open again."""
        await _log(conn, OPEN_READ, self.row_args())
        self.opened()

    def opening(self) -> Query:
        """`open_read` as an expression and its arguments, to lead the read's own statement
        (`reads.fetch_record`, ADR 15)."""
        return Query(OPEN_READ_CALL, self.row_args())

    def opened(self) -> None:
        """The statement that led with `opening()` succeeded: the row stands."""
        self.written, self.check = True, None

    # A write -----------------------------------------------------------------------------
    def save_args(self, tenant_id: UUID) -> tuple[Any, ...] | None:
        """The arguments of log_checked_access for the save that carries the row, or None if
        it is written already; fails closed on a save in another organization."""
        if tenant_id != self.actor.tenant_id:
            raise RuntimeError("a save in another organization than the ticket's")
        if not self.allowed or self.action != WRITE:
            raise RuntimeError("a save under a refused ticket, or a read's")
        return None if self.written else self.row_args()

    def saved(self) -> None:
        self.opened()

    # Whatever wrote nothing ------------------------------------------------------------------
    async def write_row(self, conn: asyncpg.Connection) -> None:
        """The row in a statement of its own (its own commit); StaleAccess if the inputs
        changed, and then nothing is written."""
        await _log(conn, RECORD, self.row_args())
        self.written = True

    async def write_alone(self) -> None:
        """The row on its own, when nothing read or saved under the ticket, before the answer
        leaves. If the inputs proved stale, the fresh decision's row; for a write, a refusal
        is then raised (the answer becomes the refusal: nothing was saved)."""
        if self.written:
            return
        conn = self.take_connection()
        if conn is not None:
            try:
                await self._write_checked(conn)
            finally:
                await self.release_to_pool(conn)
        else:
            assert self.pool is not None, "a ticket with its row unwritten has a pool"
            async with self.pool.acquire() as pooled:
                await self._write_checked(pooled)

    async def _write_checked(self, conn: asyncpg.Connection) -> None:
        try:
            await _log(conn, RECORD, self.row_args())
        except StaleAccess:
            refusal = await self.renew(conn)
            self.check = None  # inputs read just now
            await _log(conn, RECORD, self.row_args())
            self.written = True
            if refusal is not None and self.action == WRITE:
                raise refusal from None
            return  # a read's answer is decided already: only its row changed
        self.written = True

    async def release(self) -> None:
        conn = self.take_connection()
        if conn is not None:
            await self.release_to_pool(conn)

    async def release_to_pool(self, conn: asyncpg.Connection) -> None:
        assert self.pool is not None
        await self.pool.release(conn)


async def _log(conn: asyncpg.Connection, statement: str, args: tuple[Any, ...]) -> None:
    try:
        await conn.execute(statement, *args)
    except asyncpg.PostgresError as exc:
        if is_stale(exc):
            raise StaleAccess(str(exc)) from exc
        raise


def is_stale_now(exc: psycopg.Error) -> bool:
    """A save's statement found the ticket's inputs stale (nothing was saved)."""
    return exc.sqlstate == STALE_SQLSTATE
