"""What every application service shares: its factory, the tenant scope and command results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from domain.errors import InvalidState, NotFound

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


class BarometreApplication(Application[UUID]):
    """An eventsourcing Application whose persistence is given by the composition root."""

    def __init__(self, build_factory: FactoryBuilder, clock: Clock = utc_now) -> None:
        self._build_factory = build_factory
        self.clock = clock
        super().__init__(env={"IS_SNAPSHOTTING_ENABLED": "y"} if self.snapshotting_intervals else None)

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

    @staticmethod
    def check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionConflict(
                f"the record is at version {aggregate.version}, not {expected_version}: "
                "reload it and apply your change again"
            )

    def commit(self, root: Aggregate, *others: Aggregate) -> CommandResult:
        """Saves the aggregates in one transaction; a concurrent save raises IntegrityError."""
        recordings = self.save(root, *others)
        last = max((r.notification.id for r in recordings), default=0)
        return CommandResult(id=root.id, version=root.version, notification_id=last,
                             application=self.name)
