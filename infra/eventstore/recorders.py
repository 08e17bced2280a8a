"""Recorders that set the transaction's tenant before touching events, so RLS applies.

Application events are written and read through two SQL functions (migrations 010 and 012),
one round trip each: the tenant is set, writers are serialised by an advisory lock held only
inside PostgreSQL, and the library's LISTEN/NOTIFY channel is notified. Events travel as one
binary array per column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder

from services.tenancy import current_tenant

SET_TENANT = "SELECT set_config('app.tenant_id', %s, true)"
_SELECT = "SELECT * FROM barometre_select_events(%s, %s, %s, %s, %s, %s, %s)"
_INSERT = ("SELECT notification_id FROM barometre_insert_event_rows(%s, %s, %b::uuid[],"
           " %b::bigint[], %b::text[], %b::bytea[])")


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
        params = [self.events_table_name, current_tenant(), originator_id, gt, lte, desc, limit]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_SELECT, params, prepare=True)
            return _rows_to_events(curs.fetchall())


class TenantApplicationRecorder(_TenantReads, PostgresApplicationRecorder):
    """Application recorder: one statement per save (tenant, lock, NOTIFY, insert)."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        columns = [[e.originator_id for e in stored_events],
                   [e.originator_version for e in stored_events],
                   [e.topic for e in stored_events], [e.state for e in stored_events]]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_INSERT, [self.events_table_name, current_tenant(), *columns],
                         prepare=True)
            return [row["notification_id"] for row in curs.fetchall()]


class TenantSnapshotRecorder(_TenantReads, PostgresAggregateRecorder):
    """Snapshot recorder: the insert runs in a transaction with the tenant set."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if stored_events:
            tenant = str(current_tenant())
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                curs.execute(SET_TENANT, [tenant], prepare=True)
                self._insert_stored_events(curs, stored_events, **kwargs)
        return None
