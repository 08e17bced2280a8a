"""Recorders that set the transaction's tenant before touching events, so RLS applies.

Application events are written and read through SQL functions of their own table (migration
014, ADR 16), one round trip each: the tenant is set, writers are serialised by an advisory
lock held only inside PostgreSQL, and the library's LISTEN/NOTIFY channel is notified. Events
travel as one binary array per column. Each table has its own functions so that their
statements are static, planned once per connection instead of on every call."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder

from infra.access import Ticket
from infra.access.inputs import STALE_SQLSTATE, StaleAccess
from infra.eventstore.answer_in_save import (
    KEY_TAKEN_SQLSTATE,
    ClaimForSave,
    KeyTaken,
    keyed_statement,
)
from services.base import Answer
from services.tenancy import current_tenant

SET_TENANT = "SELECT set_config('app.tenant_id', %s, true)"


_TABLE = re.compile(r"[a-z][a-z0-9_]*")  # the library's <application>_events / _snapshots


def _checked(table: str) -> str:
    if not _TABLE.fullmatch(table):
        raise ValueError(f"not an event store table: {table!r}")
    return table


@cache
def select_statement(table: str) -> str:
    """The read of one stream of `table` (events or snapshots): tenant, stream, bounds."""
    return f"SELECT * FROM barometre_select_from_{_checked(table)}(%s, %s, %s, %s, %s, %s)"


@cache
def insert_statement(table: str) -> str:
    """The write of one save's events into `table`, one binary array per column."""
    return (f"SELECT notification_id FROM barometre_insert_into_{_checked(table)}(%s,"
            " %b::uuid[], %b::bigint[], %b::text[], %b::bytea[])")


@cache
def array_insert_statement(table: str) -> str:
    """The same write, answering one row: its notification ids as one array."""
    return ("SELECT ARRAY(SELECT notification_id FROM"
            f" barometre_insert_into_{_checked(table)}(%s, %b::uuid[], %b::bigint[], %b::text[],"
            " %b::bytea[])) AS notification_ids")


@cache
def logged_insert_statement(table: str) -> str:
    """The same write, and in the same statement the access-log row of the request (ADR 22):
    its check and insert (log_checked_access, migration 016). One statement, so the row and
    the events are committed together or not at all, whichever PostgreSQL evaluates first."""
    return ("SELECT log_checked_access(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) AS logged,"
            " ARRAY(SELECT notification_id FROM"
            f" barometre_insert_into_{_checked(table)}(%s, %b::uuid[], %b::bigint[], %b::text[],"
            " %b::bytea[])) AS notification_ids")


def _rows_to_events(rows: list[Any]) -> list[StoredEvent]:
    return [
        StoredEvent(
            originator_id=row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        for row in rows
    ]


class _TenantReads:
    """select_events in one statement that first sets the tenant."""

    datastore: Any
    events_table_name: str

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        params = [current_tenant(), originator_id, gt, lte, desc, limit]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(select_statement(self.events_table_name), params, prepare=True)
            return _rows_to_events(curs.fetchall())


class TenantApplicationRecorder(_TenantReads, PostgresApplicationRecorder):
    """Application recorder: one statement per save (tenant, lock, NOTIFY, insert), which
    also writes the request's access-log row (`access`, the door's ticket, ADR 22) and its
    idempotency key with the command's answer (`claim`, ADR 28), given by the command
    (`save(..., access=..., claim=...)`) and not written yet.

    A save whose ticket proves stale (its inputs changed since it was decided) saves nothing;
    the ticket is decided again (`Ticket.renew_now`): a refusal is raised, an allowance saves
    the same events under its new row. The command is not run again: its events do not
    depend on consent."""

    def insert_events(self, stored_events: Sequence[StoredEvent], *, answer: Answer | None = None,
                      access: Ticket | None = None, claim: ClaimForSave | None = None,
                      **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        columns = [[e.originator_id for e in stored_events],
                   [e.originator_version for e in stored_events],
                   [e.topic for e in stored_events], [e.state for e in stored_events]]
        while True:
            try:
                return self._insert_with(current_tenant(), columns, answer, access, claim)
            except StaleAccess:
                if access is None:
                    raise
                with self.datastore.get_connection() as conn:
                    access.renew_now(conn)  # raises a refusal; otherwise save again

    def _insert_with(self, tenant: UUID, columns: list[list[Any]], answer: Answer | None,
                     access: Ticket | None, claim: ClaimForSave | None) -> list[int]:
        logged = access.save_args(tenant) if access else None  # None: written already
        keyed = claim.save_args(tenant, answer) if claim and answer else None  # the same
        if logged is None and keyed is None:
            return self._insert(insert_statement(self.events_table_name), [tenant, *columns],
                                one_row=False)
        statement, params = array_insert_statement(self.events_table_name), [tenant, *columns]
        if logged is not None:
            statement, params = logged_insert_statement(self.events_table_name), [*logged, *params]
        if keyed is not None:
            statement, params = keyed_statement(statement), [*params, *keyed]
        notification_ids = self._insert(statement, params, one_row=True)
        if access is not None and logged is not None:
            access.saved()
        if claim is not None and keyed is not None:
            claim.saved()
        return notification_ids

    def _insert(self, statement: str, params: list[Any], one_row: bool) -> list[int]:
        """Runs a save's statement; `one_row`: it answers one row of `notification_ids`. One
        statement in autocommit: refused, it saved nothing (if by the events' primary key,
        another save took the version: the library raises its IntegrityError, ADR 42)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            try:
                curs.execute(statement, params, prepare=True)
                if not one_row:
                    return [r["notification_id"] for r in curs.fetchall()]
                saved = curs.fetchone()
            except psycopg.Error as refused:
                if refused.sqlstate == STALE_SQLSTATE:  # nothing saved, the row neither
                    raise StaleAccess(str(refused)) from refused
                if refused.sqlstate == KEY_TAKEN_SQLSTATE:  # nothing saved, the key neither
                    raise KeyTaken(str(refused)) from refused
                raise
        assert saved is not None
        return list(saved["notification_ids"])


class TenantSnapshotRecorder(_TenantReads, PostgresAggregateRecorder):
    """Snapshot recorder: the insert runs in a transaction with the tenant set."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if stored_events:
            tenant = str(current_tenant())
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                curs.execute(SET_TENANT, [tenant], prepare=True)
                self._insert_stored_events(curs, stored_events, **kwargs)
        return None
