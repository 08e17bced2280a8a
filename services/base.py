"""What every application service shares: its factory, the tenant scope and command results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import InfrastructureFactory, IntegrityError, Recording
from eventsourcing.utils import Environment

from domain.errors import InvalidState, NotFound
from services.repository import TenantRepository

Clock = Callable[[], datetime]
FactoryBuilder = Callable[[Environment], InfrastructureFactory[Any]]
A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")

LOST_RACE_ATTEMPTS = 10  # each race lost is another command saved: more than race on one record


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


@dataclass(frozen=True)
class Decision(Generic[A]):
    """What a change decides on an aggregate, and the promise that makes deciding it again
    safe: `apply` checks the rules and calls the aggregate's methods, which only record
    pending events; it has no other effect (no I/O, nothing kept outside the aggregate; the
    clock and ids are taken again). `change` accepts only a Decision: it applies it to the
    current state, and again to the new state if the save loses a race (ADR 42)."""

    apply: Callable[[A], None]


@dataclass(frozen=True)
class Saved:
    """A save that went through: what it saved and what the command will answer."""

    aggregates: tuple[Aggregate, ...]
    recordings: Sequence[Recording[UUID]]
    answer: Answer


def decide_again_on_lost_race(decide_and_save: Callable[[], T],
                              attempts: int = LOST_RACE_ATTEMPTS) -> T:
    """Runs `decide_and_save` (load the current state, decide, save) again while its save is
    refused by an IntegrityError, at most `attempts` times in all. A save is one statement,
    so a refused one saved nothing; the usual refusal is the events' primary key: another
    save took the version first. Decided again on the new state, the change is appended
    after that one, or refused by a rule (a stale `If-Match` is a VersionConflict) (ADR 42)."""
    for _ in range(attempts - 1):
        try:
            return decide_and_save()
        except IntegrityError:
            continue
    return decide_and_save()


class BarometreApplication(Application[UUID]):
    """An eventsourcing Application whose persistence is given by the composition root.

    Loads answer the current state of an aggregate of the tenant in scope; what a command
    saved is kept by the process so that the next load only reads the events saved since
    (`TenantRepository`). Snapshots are taken after the save, never inside it (every
    `snapshot_every` versions), so that a refused save has saved nothing (ADR 42)."""

    snapshot_every: ClassVar[dict[type[Aggregate], int]] = {}
    kept: TenantRepository

    saving: Saving = UNLOGGED  # what this service's saves write beside their events

    def __init__(self, build_factory: FactoryBuilder, clock: Clock = utc_now) -> None:
        self._build_factory = build_factory
        self.clock = clock
        super().__init__(env={"IS_SNAPSHOTTING_ENABLED": "y"} if self.snapshot_every else None)

    def construct_repository(self) -> Repository[UUID]:
        self.kept = TenantRepository(self.events, self.snapshots)
        return self.kept

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
               decision: Decision[A]) -> CommandResult:
        """Decides the change on the current state of the aggregate and saves it; if another
        save took the version first, decides it again on the new state (ADR 42)."""
        def decide_and_save() -> Saved:
            aggregate = self.load(aggregate_id, kind, what)
            decision.apply(aggregate)
            return self._save(aggregate)
        return self._settle(decide_again_on_lost_race(decide_and_save))

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
        The command answers with `answer_id` (by default the root's id) and the root's version."""
        return self._settle(self._save(root, *others, answer_id=answer_id))

    def _save(self, root: Aggregate, *others: Aggregate,
              answer_id: UUID | None = None) -> Saved:
        """The save alone: one statement, so an IntegrityError means nothing was saved."""
        at = self.clock()  # its events are dated by the application's clock
        for aggregate in (root, *others):
            date_pending_events(aggregate, at)
        answer = Answer(answer_id or root.id, root.version, self.name)
        recordings = self.save(root, *others, answer=answer, access=self.saving.access,
                               claim=self.saving.claim)
        return Saved((root, *others), recordings, answer)

    def _settle(self, saved: Saved) -> CommandResult:
        """After a save: keeps the aggregates as saved, takes the snapshots due, answers."""
        for aggregate in saved.aggregates:
            self.kept.keep(aggregate)
        self._take_due_snapshots(saved)
        last = max((r.notification.id for r in saved.recordings), default=0)
        answer = saved.answer
        return CommandResult(id=answer.id, version=answer.version, notification_id=last,
                             application=answer.application)

    def _take_due_snapshots(self, saved: Saved) -> None:
        """A snapshot at every version that is a multiple of the aggregate's interval."""
        intervals = {a.id: self.snapshot_every.get(type(a)) for a in saved.aggregates}
        for recording in saved.recordings:
            event = recording.domain_event
            interval = intervals.get(event.originator_id)
            if interval and event.originator_version % interval == 0:
                self.take_snapshot(event.originator_id, version=event.originator_version)
