"""Real PostgreSQL, Redis, projector, worker and web processes killed while clients send keyed
commands: every acknowledged command is stored exactly once and whole, the views equal a
rebuild, the platform recovers without a restart, and clients see only 503s meanwhile."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from projections.quality_of_life.views import ThemeHistory
from tests.reliability.faults.drill import (
    Platform,
    broken,
    loaded,
    running_platform,
    unacceptable_answers,
    wait_for_acks,
)

OUTAGE_SECONDS = 2.0


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    logs = tmp_path_factory.mktemp("fault-logs")
    with running_platform(logs) as started:
        yield started


@pytest.fixture
def healthy(platform: Platform) -> Platform:
    platform.heal()
    return platform


def test_projector_and_worker_killed_under_load_lose_nothing_and_views_equal_a_rebuild(
        healthy: Platform) -> None:
    tenant_id, writers = healthy.writers()
    with loaded(healthy.load(writers)) as load:
        wait_for_acks(load, 10)
        healthy.processes.kill("projector")
        healthy.processes.start("projector")
        rebuild = healthy.send_rebuild(ThemeHistory.name)
        deadline = time.monotonic() + 30
        while rebuild.state == "PENDING" and time.monotonic() < deadline:
            time.sleep(0.02)
        healthy.processes.kill("worker")  # mid-rebuild when the task had started
        healthy.processes.start("worker")
        wait_for_acks(load, 10)
        healthy.processes.kill("projector")
        healthy.processes.start("projector")
        wait_for_acks(load, 10)

    # The restarted worker takes new work; the killed rebuild left nothing a rebuild changes.
    after = healthy.send_rebuild(ThemeHistory.name).get(timeout=60)
    assert after["projection"] == ThemeHistory.name
    assert broken(answers=unacceptable_answers(load),
                  unresolved=[c.last_outcome for c in load.unresolved()],
                  stored=healthy.stored_problems(tenant_id, writers, load),
                  views=healthy.views_differing_from_rebuild(tenant_id)) == {}


def test_web_killed_under_load_every_command_is_acknowledged_once_after_retries(
        healthy: Platform) -> None:
    tenant_id, writers = healthy.writers()
    with loaded(healthy.load(writers)) as load:
        for _ in range(2):
            wait_for_acks(load, 10)
            healthy.processes.kill("web")
            healthy.processes.start("web")
        wait_for_acks(load, 10)

    assert broken(answers=unacceptable_answers(load, web_killed=True),
                  unresolved=[c.last_outcome for c in load.unresolved()],
                  stored=healthy.stored_problems(tenant_id, writers, load),
                  views=healthy.views_differing_from_rebuild(tenant_id)) == {}


def test_postgres_crash_under_load_answers_only_503_and_recovers_without_restart(
        healthy: Platform) -> None:
    tenant_id, writers = healthy.writers()
    pids = healthy.pids()
    with loaded(healthy.load(writers)) as load:
        wait_for_acks(load, 10)
        healthy.private.postgres.crash()
        time.sleep(OUTAGE_SECONDS)
        healthy.private.postgres.start()
        wait_for_acks(load, 20)

    assert broken(restarted=healthy.processes.restart_if_dead() or healthy.pids() != pids,
                  answers=unacceptable_answers(load),
                  unresolved=[c.last_outcome for c in load.unresolved()],
                  stored=healthy.stored_problems(tenant_id, writers, load),
                  views=healthy.views_differing_from_rebuild(tenant_id)) == {}


def test_redis_killed_under_load_answers_only_503_and_retried_keys_write_nothing_twice(
        healthy: Platform) -> None:
    tenant_id, writers = healthy.writers()
    pids = healthy.pids()
    with loaded(healthy.load(writers)) as load:
        wait_for_acks(load, 10)
        acknowledged_before = load.acknowledged()[-10:]
        healthy.private.redis.kill()
        time.sleep(OUTAGE_SECONDS)
        healthy.private.redis.start()
        wait_for_acks(load, 10)
        # A client that lost these answers sends them again, with the same keys.
        replays = load.replay(acknowledged_before)

    first_answers = [(c.index, c.answer) for c in acknowledged_before]
    # The worker reconnected to the restarted Redis by itself.
    after = healthy.send_rebuild(ThemeHistory.name).get(timeout=60)
    assert after["projection"] == ThemeHistory.name
    assert broken(restarted=healthy.processes.restart_if_dead() or healthy.pids() != pids,
                  answers=unacceptable_answers(load),
                  replays=[r for r, first in zip(replays, first_answers, strict=True) if r != first],
                  unresolved=[c.last_outcome for c in load.unresolved()],
                  stored=healthy.stored_problems(tenant_id, writers, load),
                  views=healthy.views_differing_from_rebuild(tenant_id)) == {}
