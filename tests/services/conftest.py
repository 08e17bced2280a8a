"""Services with a clock the test controls (fakes only for the clock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from infra.eventstore.factory import factory_builder
from infra.platform import Servers, WriteSide
from services.accounts import Accounts


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def accounts(write_side, clock) -> Accounts:  # type: ignore[no-untyped-def]
    """Accounts on the shared datastore, reading time from the fake clock."""
    return Accounts(factory_builder(write_side.datastore), clock)


@pytest.fixture
def other_process(servers: Servers) -> Iterator[WriteSide]:
    """A second write side on the same database, with its own kept aggregates (another web
    worker)."""
    side = WriteSide(servers, pool_size=2)
    yield side
    side.close()
