"""A platform of real processes on private servers, and the checks every fault test makes.

Shared by the fault suite (short runs) and scripts/fault_drill.py (long runs, more kills)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg

from infra.celery_app import make_celery
from infra.tasks import REBUILD_PROJECTION
from tests.reliability.faults.command_load import CommandLoad, Observation, Writer, open_writers
from tests.reliability.faults.invariants import (
    exactly_once_problems,
    stored_commands,
    views_differing_from_rebuild,
    wait_until_projected,
)
from tests.reliability.faults.private_servers import PrivateServers
from tests.reliability.faults.processes import PlatformProcesses

# Answers a client may get during a fault: success, 503 with Retry-After, or "your earlier
# request with this key is still running". A connection error only while the web is down.
TRANSPORT_ERRORS_OF_A_DEAD_WEB = frozenset({"ConnectError", "RemoteProtocolError", "ReadError",
                                            "WriteError"})


def acceptable(observation: Observation, web_killed: bool = False) -> bool:
    status = observation.status
    if status is None:  # no answer: a hang (timeout) is never acceptable
        return web_killed and observation.outcome in TRANSPORT_ERRORS_OF_A_DEAD_WEB
    return (200 <= status < 300 or (status == 503 and observation.retry_after is not None)
            or (status == 409 and "idempotency" in observation.problem_type))


def unacceptable_answers(load: CommandLoad, web_killed: bool = False) -> dict[str, int]:
    """How many answers of each kind broke the rule, e.g. {"write 500": 12, "read ReadTimeout": 2}."""
    return dict(Counter(f"{o.kind} {o.outcome} {o.problem_type.rsplit('/', 1)[-1]}".strip()
                        for o in load.observations
                        if not acceptable(o, web_killed)))


def broken(**checks: Any) -> dict[str, Any]:
    """The checks that found something: `assert broken(...) == {}` shows every failure at once."""
    return {name: found for name, found in checks.items() if found}


@dataclass
class Platform:
    private: PrivateServers
    processes: PlatformProcesses
    results: list[Any] = field(default_factory=list)

    def writers(self, count: int = 3) -> tuple[UUID, list[Writer]]:
        """Persons ready to write: their accounts already in the views the web reads."""
        tenant_id, writers = open_writers(self.private.servers, count)
        with psycopg.connect(self.private.servers.projector_db().conninfo(), autocommit=True) as conn:
            wait_until_projected(conn, tenant_id)
        return tenant_id, writers

    def load(self, writers: list[Writer]) -> CommandLoad:
        return CommandLoad(self.processes.base_url, writers)

    def heal(self) -> None:
        """Brings back whatever an earlier test left down, so each test starts whole."""
        if not self.private.postgres.is_up():
            self.private.postgres.start()
        if not self.private.redis.is_up():
            self.private.redis.start()
        self.processes.restart_if_dead()
        self.processes.wait_for_web()

    def pids(self) -> dict[str, int]:
        return {kind: self.processes.pid(kind) for kind in self.processes.children}

    def send_rebuild(self, projection: str) -> Any:
        app = make_celery(self.private.servers, queue=self.processes.queue)
        result = app.tasks[REBUILD_PROJECTION].delay(projection)
        self.results.append(result)
        return result

    def forget_results(self) -> None:
        """Drops the results' Redis subscriptions while Redis is still there to answer."""
        for result in self.results:
            with suppress(Exception):  # best effort: Redis may be the fault under test
                result.backend.remove_pending_result(result)
        self.results.clear()

    def stored_problems(self, tenant_id: UUID, writers: list[Writer],
                        load: CommandLoad) -> list[str]:
        """Partial commands, commands stored twice, acknowledged commands missing."""
        conninfo = self.private.servers.projector_db().conninfo()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            stored, partial = stored_commands(conn, tenant_id, writers)
        return partial + exactly_once_problems(load.commands, stored)

    def views_differing_from_rebuild(self, tenant_id: UUID) -> list[str]:
        return views_differing_from_rebuild(self.private.servers, tenant_id)


@contextmanager
def running_platform(logs: Any) -> Iterator[Platform]:
    servers = PrivateServers()
    processes = PlatformProcesses(servers.servers, logs)
    try:
        processes.start_all()
        platform = Platform(servers, processes)
        yield platform
        platform.forget_results()
    finally:
        processes.stop_all()
        servers.close()


@contextmanager
def loaded(load: CommandLoad) -> Iterator[CommandLoad]:
    """The load running for the duration of the block, its commands resolved after it."""
    load.start()
    try:
        yield load
    finally:
        load.stop()


def wait_for_acks(load: CommandLoad, more: int, timeout: float = 30) -> None:
    """Until `more` commands beyond those already acknowledged are acknowledged."""
    target = len(load.acknowledged()) + more
    deadline = time.monotonic() + timeout
    while len(load.acknowledged()) < target:
        if time.monotonic() > deadline:
            raise AssertionError(f"{more} more commands were not acknowledged within {timeout} s;"
                                 f" commands in flight last got: "
                                 f"{sorted({c.last_outcome[:90] for c in load.unresolved()})}")
        time.sleep(0.05)
