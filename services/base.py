"""What every application service shares: its factory, the tenant scope and command results."""

from __future__ import annotations

from collections.abc import Callable
from copy import copy, deepcopy
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Self, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import InfrastructureFactory, IntegrityError
from eventsourcing.utils import Environment

from domain.errors import DomainError, InvalidState, NotFound
from services.tenancy import current_tenant

Clock = Callable[[], datetime]
FactoryBuilder = Callable[[Environment], InfrastructureFactory[Any]]
A = TypeVar("A", bound=Aggregate)


def utc_now() -> datetime:
    return datetime.now(UTC)


class VersionConflict(InvalidState):
    """The record changed since the caller read it (optimistic concurrency)."""

    code = "version-conflict"


@dataclass(frozen=True)
class CommandResult:
    """What a command returns: the record, its new version, and the last notification id."""

    id: UUID
    version: int
    notification_id: int
    application: str


@dataclass(frozen=True)
class Answer:
    """What a command will answer, handed by `commit` to its save (`save(..., answer=...)`):
    the save records it beside the request's idempotency key, with its notification id."""

    id: UUID
    version: int
    application: str


@dataclass(frozen=True)
class Saving:
    """What one command's save writes in the statement that stores its events: the door's
    ticket (`access`, infra/access: its access-log row, ADR 22) and the request's
    idempotency key that remembers the command's answer (`claim`, ADR 28). Services pass it
    to the event store untouched (`save(..., access=..., claim=...)`)."""

    access: object | None = None
    claim: object | None = None


UNLOGGED = Saving()  # a command outside any request (the demo seed, a test)


def date_pending_events(aggregate: Aggregate, at: datetime) -> None:
    """Dates the aggregate's unsaved events `at`, the application's clock at commit, instead
    of the library's wall clock at each change: one commit is one instant, and a caller that
    gives the application a clock (a test, the demo's year of history) dates what it saves."""
    events = aggregate.pending_events
    if not events:
        return
    events[:] = [replace(event, timestamp=at) for event in events]  # type: ignore[type-var]
    if events[0].originator_version == aggregate.INITIAL_VERSION:
        aggregate._created_on = at  # no public setter; the library's own attribute
    aggregate.modified_on = at


class StreamMovedOn(IntegrityError):
    """The events' primary key (originator, version) refused a save: another save took the
    version first, and nothing of this one was saved. Raised by the recorder."""


AGGREGATE_CACHE_SIZE = 500  # aggregates kept per application and process (ADR 13)


def tenant_of(aggregate: Aggregate) -> object:
    """Every aggregate names its tenant; an organization is its own tenant."""
    return getattr(aggregate, "tenant_id", aggregate.id)


def cache_key(aggregate_id: UUID) -> Any:
    """An aggregate's place in the cache: its stream's key in the events table, tenant first
    (two tenants may hold streams of one id, ADR 31)."""
    return (current_tenant(), aggregate_id)


class TenantRepository(Repository[UUID]):
    """The library's repository with its cache used without its fast-forward lock, and shared
    by all tenants of the process.

    The cache holds what commands saved. A load copies the cached aggregate and applies to
    the copy the events saved since (an aggregate not in the cache is replayed, and not
    kept: copying it would cost more than it saves when it is not used again); the cached
    object is never changed in place, so loads of the same aggregate (the
    organization, loaded by many commands) run side by side instead of queueing on a lock
    held across a database round trip. Aggregates are cached by tenant and id, as streams
    are keyed in the events table; an aggregate of another tenant than the one in scope is
    not found, as in the database."""

    def get(self, aggregate_id: UUID, *, version: int | None = None,
            **options: Any) -> Any:
        if version is not None or options or self.cache is None:
            # A past version, or the library's own options (snapshots): replayed, never taken
            # from the cache (its own cached path would change the cached object in place).
            projector = options.get("projector_func", project_aggregate)
            aggregate = self._reconstruct_aggregate(aggregate_id, version, projector)
        else:
            aggregate = self._fresh_copy(aggregate_id)
        if tenant_of(aggregate) != current_tenant():
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def _cached(self, aggregate_id: UUID) -> Any | None:
        """The aggregate as this process last saved (or caught up) it in the tenant in
        scope, or None."""
        if self.cache is None:
            return None
        try:
            return self.cache.get(cache_key(aggregate_id))
        except KeyError:
            return None

    def cached_copy(self, aggregate_id: UUID) -> Any | None:
        """A copy of the cached aggregate as it was saved here, without reading what other
        processes saved since (None if it is not cached, or is another tenant's)."""
        cached = self._cached(aggregate_id)
        if cached is None or tenant_of(cached) != current_tenant():
            return None
        return deepcopy(cached)

    def _fresh_copy(self, aggregate_id: UUID) -> Any:
        cached = self._cached(aggregate_id)
        if cached is None:  # not copied, nor kept: only what a command saves is kept
            return self._reconstruct_aggregate(aggregate_id, None, project_aggregate)  # type: ignore[arg-type]
        newer = list(self.event_store.get(originator_id=aggregate_id, gt=cached.version))
        if not newer:
            return deepcopy(cached)
        aggregate = project_aggregate(deepcopy(cached), newer)
        assert self.cache is not None  # it held `cached`
        self.cache.put(cache_key(aggregate_id), deepcopy(aggregate))  # saved by another process
        return aggregate


class BarometreApplication(Application[UUID]):
    """An eventsourcing Application whose persistence is given by the composition root.

    Aggregates are cached per process (the library's LRU cache; every load reads the events
    saved since the cached version, so a change saved by another process is always applied):
    a command works on a copy of the cached state plus those events, instead of replaying the
    whole stream. `commit` caches what it saved; the repository refuses an aggregate of
    another tenant, since the cache, unlike the database, is shared by all tenants (ADR 13)."""

    saving: Saving = UNLOGGED  # what this service's saves write beside their events

    def __init__(self, build_factory: FactoryBuilder, clock: Clock = utc_now) -> None:
        self._build_factory = build_factory
        self.clock = clock
        super().__init__(env={"IS_SNAPSHOTTING_ENABLED": "y"} if self.snapshotting_intervals else None)

    def construct_repository(self) -> Repository[UUID]:
        return TenantRepository(event_store=self.events, snapshot_store=self.snapshots,
                                cache_maxsize=AGGREGATE_CACHE_SIZE)

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return self._build_factory(env)

    def load(self, aggregate_id: UUID, kind: type[A], what: str) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"{what} not found") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"{what} not found")
        return aggregate

    def change(self, aggregate_id: UUID, kind: type[A], what: str,
               apply: Callable[[A], None]) -> CommandResult:
        """Loads the aggregate, applies the change (rules included) and commits it.

        The cached copy is tried first without reading the events other processes saved
        since (ADR 21): the save appends after the copy's version, so it succeeds only if
        the stream is still there, and the change was then decided on the current state. If
        the change fails on that copy, by a rule or because the stream moved on (its events'
        primary key refused the save, so nothing was saved), or if it would save nothing
        (nothing could then prove the copy current), it is decided again on a verified load."""
        copy = self.repository.cached_copy(aggregate_id)  # type: ignore[attr-defined]
        if isinstance(copy, kind):
            try:
                apply(copy)
            except DomainError:
                pass  # perhaps a stale copy's verdict: decide again below
            else:
                if copy.pending_events:
                    try:
                        return self.commit(copy)
                    except StreamMovedOn:
                        pass  # nothing of this save was saved: decide again below
        aggregate = self.load(aggregate_id, kind, what)
        apply(aggregate)
        return self.commit(aggregate)

    def under(self, saving: Saving) -> Self:
        """This service for one command, whose saves write `saving` beside their events (a
        shallow copy: the event store, repository and cache are the service's own)."""
        bound = copy(self)
        bound.saving = saving
        return bound

    @staticmethod
    def check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionConflict(
                f"the record is at version {aggregate.version}, not {expected_version}: "
                "reload it and apply your change again"
            )

    def commit(self, root: Aggregate, *others: Aggregate,
               answer_id: UUID | None = None) -> CommandResult:
        """Saves the aggregates in one transaction; a concurrent save raises IntegrityError.
        The command answers with `answer_id` (by default the root's id) and the root's version.
        Its events are dated by the application's clock (`date_pending_events`)."""
        at = self.clock()
        for aggregate in (root, *others):
            date_pending_events(aggregate, at)
        answer = Answer(answer_id or root.id, root.version, self.name)
        recordings = self.save(root, *others, answer=answer, access=self.saving.access,
                               claim=self.saving.claim)
        if (cache := self.repository.cache) is not None:
            for aggregate in (root, *others):  # as saved: the next load copies from here
                cache.put(cache_key(aggregate.id), aggregate)
        last = max((r.notification.id for r in recordings), default=0)
        return CommandResult(id=answer.id, version=answer.version, notification_id=last,
                             application=answer.application)
