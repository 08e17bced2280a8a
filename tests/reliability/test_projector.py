"""The projector on real PostgreSQL: woken by NOTIFY, exactly once, resuming (dead letters:
test_dead_letters.py)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

import psycopg
import pytest

from domain.catalog import load_catalog
from infra.platform import all_projections, event_mapper
from infra.projector import ApplicationFollower, ProjectionFailed, ProjectionRunner
from projections.framework import Context, Projection
from projections.quality_of_life.views import ThemeHistory

T = TypeVar("T")
APPLICATION = "QualityOfLife"
THEMES = list(load_catalog().themes)


def eventually(check: Callable[[], T], timeout: float = 15.0, what: str = "condition") -> T:
    """Polls until check() is truthy, failing at the deadline (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s")
        time.sleep(0.02)
    return result


class Recording(Projection):
    """Test-only projection with no tables: remembers which notifications it applied."""

    name = "test_recording"
    application = APPLICATION
    tables = ()

    def __init__(self, fail_at: int | None = None) -> None:
        self.applied: list[int] = []
        self.fail_at = fail_at
        self.lock = threading.Lock()

    def apply(self, ctx: Context, event: object) -> None:
        if ctx.notification_id == self.fail_at:
            raise RuntimeError(f"cannot apply {type(event).__name__}")
        with self.lock:
            self.applied.append(ctx.notification_id)


@pytest.fixture
def recording(projector_conn) -> Iterator[type[Recording]]:  # type: ignore[no-untyped-def]
    """A Recording subclass with its own name; its tracking and dead letters are removed after."""
    name = f"test_recording_{secrets.token_hex(4)}"
    yield type("Recording", (Recording,), {"name": name})
    projector_conn.execute("DELETE FROM projection_tracking WHERE projection = %s", [name])
    projector_conn.execute("DELETE FROM dead_letters WHERE projection = %s", [name])


@contextmanager
def following(servers: Any, conn: psycopg.Connection[Any], runners: list[ProjectionRunner],
              poll_interval: float, gather: float = 0.0) -> Iterator[ApplicationFollower]:
    stop = threading.Event()
    follower = ApplicationFollower(servers.projector_db().conninfo(), APPLICATION, runners, stop,
                                   poll_interval=poll_interval, gather=gather)
    follower.start()
    try:
        yield follower
    finally:
        stop.set()
        conn.execute("NOTIFY qualityoflife_events")  # wakes it from a long wait
        follower.join(timeout=15)
        assert not follower.is_alive()


def notification_ids(conn: psycopg.Connection[Any], after: int = 0) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT notification_id FROM qualityoflife_events WHERE notification_id > %s"
        " ORDER BY notification_id", [after]).fetchall()]


def position(conn: psycopg.Connection[Any], projection: str) -> int:
    row = conn.execute("SELECT coalesce(max(notification_id), 0) FROM projection_tracking"
                       " WHERE projection = %s AND application = %s", [projection, APPLICATION]).fetchone()
    return int(row[0]) if row else 0


def history_count(conn: psycopg.Connection[Any], tenant_id: UUID) -> int:
    row = conn.execute("SELECT count(*) FROM qol_theme_history WHERE tenant_id = %s",
                       [tenant_id]).fetchone()
    return int(row[0]) if row else 0


@pytest.fixture
def assessment(org, write_side):  # type: ignore[no-untyped-def]
    """A person and their open assessment; returns a function that rates n more themes."""
    person = org.open("person")
    qol = write_side.quality_of_life
    assessment_id = qol.open_assessment(person, person.user_id).id
    done = [0]

    def rate(n: int) -> int:
        ratings = [(THEMES[(done[0] + i) % len(THEMES)], (done[0] + i) % 101) for i in range(n)]
        done[0] += n
        return qol.rate(person, assessment_id, ratings).notification_id
    return rate


def test_a_running_follower_is_woken_by_notify_and_applies_new_events_quickly(
        org, servers, projector_conn, assessment) -> None:
    runners = [ProjectionRunner(p, event_mapper()) for p in all_projections()]
    opened_up_to = assessment(1)
    # A poll interval far beyond the deadline: only NOTIFY can wake it in time.
    with following(servers, projector_conn, runners, poll_interval=120):
        eventually(lambda: position(projector_conn, ThemeHistory.name) >= opened_up_to,
                   what="the initial catch-up")
        assert history_count(projector_conn, org.tenant_id) == 1
        assessment(3)
        eventually(lambda: history_count(projector_conn, org.tenant_id) == 4, timeout=5,
                   what="the new ratings in the theme history")


def test_concurrent_runners_and_repeated_catch_ups_apply_each_event_exactly_once(
        org, servers, projector_conn, catch_up, assessment, recording) -> None:
    assessment(60)
    assessment(60)
    expected = notification_ids(projector_conn)
    projections = [recording(), recording()]
    runners = [ProjectionRunner(p, event_mapper(), batch_size=7) for p in projections]
    history = [ProjectionRunner(ThemeHistory(), event_mapper(), batch_size=7) for _ in range(2)]
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def run(runner: ProjectionRunner, other: ProjectionRunner) -> None:
        try:
            with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
                start.wait(timeout=10)
                runner.catch_up(conn)
                other.catch_up(conn)
                runner.catch_up(conn)
        except Exception as error:  # noqa: BLE001  (re-raised by the main thread's assert)
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(runners, history, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    catch_up()
    catch_up()

    assert errors == []
    applied = sorted(projections[0].applied + projections[1].applied)
    assert applied == expected  # none twice, none skipped
    assert position(projector_conn, recording.name) == expected[-1]
    assert history_count(projector_conn, org.tenant_id) == 120


def test_a_new_follower_resumes_from_tracking_and_applies_only_new_events(
        servers, projector_conn, assessment, recording) -> None:
    first = recording()
    last = assessment(5)
    with following(servers, projector_conn, [ProjectionRunner(first, event_mapper())], 0.1):
        eventually(lambda: position(projector_conn, recording.name) >= last, what="first follower")
    assert sorted(first.applied) == notification_ids(projector_conn)
    stopped_at = position(projector_conn, recording.name)

    assessment(2)
    newest = assessment(4)
    second = recording()
    with following(servers, projector_conn, [ProjectionRunner(second, event_mapper())], 0.1):
        eventually(lambda: position(projector_conn, recording.name) >= newest, what="second follower")

    assert second.applied == notification_ids(projector_conn, after=stopped_at)
    assert len(second.applied) == 6 and min(second.applied) > max(first.applied)


def test_a_failing_batch_changes_nothing_and_names_the_event(projector_conn, assessment, recording) -> None:
    start = notification_ids(projector_conn)[-1]
    projector_conn.execute(
        "INSERT INTO projection_tracking (tenant_id, projection, application, notification_id)"
        " VALUES (gen_random_uuid(), %s, %s, %s)", [recording.name, APPLICATION, start])
    assessment(1)
    bad = assessment(1)
    assessment(1)
    projection = recording(fail_at=bad)
    runner = ProjectionRunner(projection, event_mapper(), batch_size=10)
    with pytest.raises(ProjectionFailed) as failed:
        runner.catch_up(projector_conn)
    assert (failed.value.projection, failed.value.notification_id) == (recording.name, bad)
    assert position(projector_conn, recording.name) == start  # the event before it, rolled back too
    assert not projector_conn.info.transaction_status  # the connection is usable (idle)


class CountingRunner(ProjectionRunner):
    """Counts its batches (one transaction each)."""

    transactions = 0

    def run_batch(self, conn: psycopg.Connection[Any]) -> int:
        self.transactions += 1
        return super().run_batch(conn)


def _start_after_the_log(conn: psycopg.Connection[Any], name: str) -> int:
    start = notification_ids(conn)[-1]
    conn.execute("INSERT INTO projection_tracking (tenant_id, projection, application,"
                 " notification_id) VALUES (gen_random_uuid(), %s, %s, %s)",
                 [name, APPLICATION, start])
    return start


def test_a_catch_up_ends_with_the_first_batch_that_is_not_full(
        projector_conn, assessment, recording) -> None:
    start = _start_after_the_log(projector_conn, recording.name)
    assessment(7)
    projection = recording()
    runner = CountingRunner(projection, event_mapper(), batch_size=3)
    assert runner.catch_up(projector_conn) == 7
    assert runner.transactions == 3  # 3 + 3 + 1: no fourth transaction to find nothing
    assert projection.applied == notification_ids(projector_conn, after=start)


class BatchCounting(Recording):
    batches = 0

    def begin_batch(self) -> None:
        self.batches += 1
        super().begin_batch()


def test_a_busy_follower_gathers_events_into_one_batch_and_a_quiet_one_applies_at_once(
        servers, projector_conn, assessment, recording) -> None:
    gather = 1.0
    projection = type("Counting", (BatchCounting,), {"name": recording.name})()
    _start_after_the_log(projector_conn, recording.name)
    with following(servers, projector_conn, [ProjectionRunner(projection, event_mapper())],
                   poll_interval=120, gather=gather):
        time.sleep(gather + 0.1)  # a quiet spell longer than the gathering time
        first = assessment(1)
        eventually(lambda: position(projector_conn, recording.name) >= first, timeout=gather - 0.2,
                   what="an event after a quiet spell, applied at once")
        before = projection.batches
        last = [assessment(1) for _ in range(4)][-1]  # four commits, four NOTIFYs
        eventually(lambda: position(projector_conn, recording.name) >= last, what="the four")
    assert projection.batches - before == 1
    assert len(projection.applied) == 5



def test_the_live_runner_skips_a_projection_whose_lock_is_held_and_runs_the_others(
        servers, projector_conn, assessment, recording) -> None:
    """A rebuild holds its projection's lock; the live runner leaves that projection alone
    (its tracking does not move) and applies the others, then catches it up once released."""
    from infra.projector import ApplicationRunner

    busy, free = recording(), type("Free", (recording,), {"name": recording.name + "_free"})()
    runner = ApplicationRunner([busy, free], event_mapper())
    last = assessment(3)
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as rebuild:
        rebuild.execute("SELECT pg_advisory_lock(hashtext(%s))", [runner.lock_key_of(busy)])
        runner.catch_up(projector_conn)
        assert position(projector_conn, free.name) >= last and free.applied
        assert position(projector_conn, busy.name) == 0 and busy.applied == []
        # Released before the session ends: a closed session's locks go only once its
        # backend has exited, which a busy server may not have done by the next statement.
        rebuild.execute("SELECT pg_advisory_unlock(hashtext(%s))", [runner.lock_key_of(busy)])
    runner.catch_up(projector_conn)  # the rebuild released its lock
    assert position(projector_conn, busy.name) == position(projector_conn, free.name)
    assert last in busy.applied
    projector_conn.execute("DELETE FROM projection_tracking WHERE projection = %s", [free.name])
