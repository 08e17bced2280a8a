"""The repository of every application: the current state of an aggregate of the tenant in
scope, with what this process saved kept so that it is not replayed again."""

from __future__ import annotations

from copy import deepcopy
from typing import Any
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    LRUCache,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore

from services.tenancy import current_tenant

AGGREGATE_CACHE_SIZE = 500  # aggregates kept per application and process (ADR 34 §1.2)


def tenant_of(aggregate: Aggregate) -> object:
    """Every aggregate names its tenant; an organization is its own tenant."""
    return getattr(aggregate, "tenant_id", aggregate.id)


class TenantRepository(Repository[UUID]):
    """Loads always answer the current state; the library's own cache is off, this one is
    in front of it.

    The aggregates this process saved are kept (`keep`), keyed by tenant and id as streams
    are keyed in the events table (ADR 31). A load of a kept aggregate copies it and applies
    to the copy the events any process saved since its version (one stream read, usually
    empty); any other load is the library's replay (snapshot, then events), not kept. The
    kept object is never changed in place, so loads of one aggregate run side by side without
    a lock. An aggregate of another tenant than the one in scope is not found, kept or not."""

    def __init__(self, event_store: EventStore[UUID], snapshot_store: EventStore[UUID] | None,
                 kept: int = AGGREGATE_CACHE_SIZE) -> None:
        super().__init__(event_store, snapshot_store=snapshot_store)
        self.saved: LRUCache[tuple[object, UUID], Aggregate] = LRUCache(maxsize=kept)

    def get(self, aggregate_id: UUID, *, version: int | None = None, **options: Any) -> Any:
        if version is None and not options:
            aggregate = self._current(aggregate_id)
        else:  # a past version, or the library's options (snapshots): always replayed
            aggregate = super().get(aggregate_id, version=version, **options)
        if tenant_of(aggregate) != current_tenant():
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def keep(self, aggregate: Aggregate) -> None:
        """`aggregate` as this process just saved it: the next load starts from it."""
        self.saved.put((current_tenant(), aggregate.id), aggregate)

    def _current(self, aggregate_id: UUID) -> Any:
        key = (current_tenant(), aggregate_id)
        try:
            kept = self.saved.get(key)
        except KeyError:  # replayed, not kept: only what a command saves is kept
            return super().get(aggregate_id)
        newer = list(self.event_store.get(originator_id=aggregate_id, gt=kept.version))
        if not newer:
            return deepcopy(kept)
        aggregate = project_aggregate(deepcopy(kept), newer)
        self.saved.put(key, deepcopy(aggregate))  # saved by another process since
        return aggregate
