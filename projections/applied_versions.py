"""The version of each stream a view has applied, recorded with the view's rows (ADR 32).

A view the consent guard decides from (accounts, teams, consent) records, in the same batch
transaction as its rows, the latest version it has applied of every stream of one aggregate
type, whether or not it has a handler for that event. Comparing that version with the
stream's latest in the events table tells whether the view lags the events for that stream,
whatever the reason (a stopped projector, an event parked while the others went on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from psycopg import Cursor, sql

from projections.framework import Bulk, Context, Projection


@dataclass(frozen=True)
class AppliedVersionsTable:
    """Where a view records its applied versions, and the upsert that records them."""

    table: str
    stream_column: str  # the column that names the stream
    upsert: Bulk


def applied_versions(table: str, key: str, extra: tuple[tuple[str, str], ...] = (),
                     stream_column: str | None = None) -> AppliedVersionsTable:
    """`table`'s rows (tenant_id, key, *extra, version), one per stream; the stream is named
    by `key` unless `stream_column` says otherwise."""
    return AppliedVersionsTable(table, stream_column or key, Bulk(
        f"INSERT INTO {table} ({{columns}}) SELECT * FROM {{rows}}"
        f" ON CONFLICT (tenant_id, {key}) DO UPDATE SET version = excluded.version",
        (("tenant_id", "uuid"), (key, "uuid"), *extra, ("version", "bigint"))))


class RecordsAppliedVersions(Projection):
    """A projection that records, per stream of `versioned` events, the version applied."""

    versioned: ClassVar[type]  # the aggregate's base event class (e.g. Account.Event)
    versions: ClassVar[AppliedVersionsTable]  # made by applied_versions

    def count_skipped(self, cur: Cursor[Any], tenant_id: UUID, stream_id: UUID,
                      version: int) -> None:
        """An event the operator skipped (ADR 26) counts as applied: the view holds all it
        ever will of it, so the stream must not look behind its events for ever (ADR 32)."""
        cur.execute(sql.SQL("UPDATE {} SET version = greatest(version, %s)"
                            " WHERE tenant_id = %s AND {} = %s").format(
            sql.Identifier(self.versions.table), sql.Identifier(self.versions.stream_column)),
            [version, tenant_id, stream_id])

    def version_row(self, ctx: Context, event: Any) -> tuple[Any, ...]:
        """(tenant, stream id, version): a stream known by its own id."""
        return (ctx.tenant_id, event.originator_id, event.originator_version)

    def apply(self, ctx: Context, event: object) -> None:
        super().apply(ctx, event)
        if isinstance(event, self.versioned):
            row = self.version_row(ctx, event)
            self.defer_latest(self.versions.upsert, (row[0], row[1]), row)
