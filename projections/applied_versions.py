"""The version of each stream a view has applied, recorded with the view's rows (ADR 32).

A view the consent guard decides from (accounts, teams, consent) records, in the same batch
transaction as its rows, the latest version it has applied of every stream of one aggregate
type, whether or not it has a handler for that event. Comparing that version with the
stream's latest in the events table tells whether the view lags the events for that stream,
whatever the reason (a stopped projector, an event parked while the others went on)."""

from __future__ import annotations

from typing import Any, ClassVar

from projections.framework import Bulk, Context, Projection


def applied_versions(table: str, key: str, extra: tuple[tuple[str, str], ...] = ()) -> Bulk:
    """The upsert of `table`'s rows (tenant_id, key, *extra, version), one per stream."""
    return Bulk(
        f"INSERT INTO {table} ({{columns}}) SELECT * FROM {{rows}}"
        f" ON CONFLICT (tenant_id, {key}) DO UPDATE SET version = excluded.version",
        (("tenant_id", "uuid"), (key, "uuid"), *extra, ("version", "bigint")))


class RecordsAppliedVersions(Projection):
    """A projection that records, per stream of `versioned` events, the version applied."""

    versioned: ClassVar[type]  # the aggregate's base event class (e.g. Account.Event)
    versions: ClassVar[Bulk]  # made by applied_versions

    def version_row(self, ctx: Context, event: Any) -> tuple[Any, ...]:
        """(tenant, stream id, version): a stream known by its own id."""
        return (ctx.tenant_id, event.originator_id, event.originator_version)

    def apply(self, ctx: Context, event: object) -> None:
        super().apply(ctx, event)
        if isinstance(event, self.versioned):
            row = self.version_row(ctx, event)
            self.defer_latest(self.versions, (row[0], row[1]), row)
