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

from infra.eventstore.access_row_in_save import STALE_SQLSTATE, StaleAccess, row_for_save
from services.base import StreamMovedOn
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
    also writes the request's access-log row if one was handed to the saves (ADR 22)."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        columns = [[e.originator_id for e in stored_events],
                   [e.originator_version for e in stored_events],
                   [e.topic for e in stored_events], [e.state for e in stored_events]]
        tenant = current_tenant()
        row = row_for_save()
        logged = row.save_args(tenant) if row else None  # None: written already
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            try:
                if logged is None:
                    curs.execute(insert_statement(self.events_table_name), [tenant, *columns],
                                 prepare=True)
                    return [r["notification_id"] for r in curs.fetchall()]
                curs.execute(logged_insert_statement(self.events_table_name),
                             [*logged, tenant, *columns], prepare=True)
                saved = curs.fetchone()
            except psycopg.errors.UniqueViolation as refused:
                if refused.diag.constraint_name == f"{self.events_table_name}_pkey":
                    raise StreamMovedOn(str(refused)) from refused  # one statement: none saved
                raise
            except psycopg.Error as refused:
                if refused.sqlstate == STALE_SQLSTATE:  # nothing saved, the row neither
                    raise StaleAccess(str(refused)) from refused
                raise
        assert row is not None and saved is not None
        row.saved()
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
