"""Services with a clock the test controls (fakes only for the clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infra.eventstore.factory import factory_builder
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
