"""Recorders that set the transaction's tenant before touching events, so RLS applies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
)
from psycopg import Cursor
from psycopg.rows import DictRow

from services.tenancy import current_tenant

SET_TENANT = "SELECT set_config('app.tenant_id', %s, true)"


def _rows_to_events(rows: list[DictRow]) -> list[StoredEvent]:
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
    """select_events inside a transaction that first sets the tenant."""

    datastore: Any
    select_events_statement: Any

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        from psycopg.sql import SQL

        statement = self.select_events_statement
        params: list[Any] = [originator_id]
        if gt is not None:
            params.append(gt)
            statement += SQL(" AND originator_version > %s")
        if lte is not None:
            params.append(lte)
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version DESC" if desc else " ORDER BY originator_version ASC")
        if limit is not None:
            params.append(limit)
            statement += SQL(" LIMIT %s")
        tenant = str(current_tenant())
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute(SET_TENANT, [tenant], prepare=True)
            curs.execute(statement, params, prepare=True)
            return _rows_to_events(curs.fetchall())


class TenantApplicationRecorder(_TenantReads, PostgresApplicationRecorder):
    """Application recorder: tenant set in the insert transaction; writers serialised
    by an advisory lock instead of a table lock, so the web role needs no UPDATE right."""

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.lock_table_statements = [
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
        ]

    def _lock_table(self, curs: Cursor[DictRow]) -> None:
        curs.execute(self.lock_table_statements[0], [self.events_table_name], prepare=True)  # type: ignore[arg-type]

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        curs.execute(SET_TENANT, [str(current_tenant())], prepare=True)
        super()._insert_events(curs, stored_events, **kwargs)


class TenantSnapshotRecorder(_TenantReads, PostgresAggregateRecorder):
    """Snapshot recorder: the insert runs in a transaction with the tenant set."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if stored_events:
            tenant = str(current_tenant())
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                curs.execute(SET_TENANT, [tenant], prepare=True)
                self._insert_stored_events(curs, stored_events, **kwargs)
        return None
