"""Rebuilding a projection through a real Celery worker gives back what the projector built."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import redis
from celery.app.utils import find_app

import infra.celery_app
from infra.platform import all_projections
from infra.projector_process import projection_named
from infra.tasks import REBUILD_PROJECTION

PROJECTION_NAMES = [p.name for p in all_projections()]


@pytest.mark.parametrize("name", PROJECTION_NAMES)
def test_a_projection_rebuilt_by_the_worker_equals_the_incrementally_built_one(
        name, populated_org, catch_up, read_tables, count_events, celery_app, celery_worker):
    projection = projection_named(name)
    catch_up()
    before = read_tables(projection.tables)
    assert any(row[0] == populated_org.tenant_id for rows in before.values() for row in rows)

    result = celery_app.tasks[REBUILD_PROJECTION].delay(name).get(timeout=60)

    assert result == {"projection": name, "events": count_events(projection.application)}
    assert read_tables(projection.tables) == before


def _states(pubsub: Any, deadline: float) -> list[dict[str, Any]]:
    """Every state the task published, until its final one."""
    states: list[dict[str, Any]] = []
    while not states or states[-1]["status"] not in ("SUCCESS", "FAILURE"):
        assert time.monotonic() < deadline, f"no final state; got {states}"
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
        if message:
            states.append(json.loads(message["data"]))
    return states


def test_a_rebuild_reports_its_progress_until_every_event_is_done(
        populated_org, catch_up, servers, celery_app, celery_worker):
    catch_up()
    task_id = str(uuid.uuid4())
    client = redis.Redis.from_url(servers.redis_url)
    pubsub = client.pubsub()
    # The result backend publishes each state on the task's key: subscribe before sending.
    pubsub.subscribe(celery_app.backend.get_key_for_task(task_id))
    try:
        result = celery_app.tasks[REBUILD_PROJECTION].apply_async(
            ("qol_theme_history",), task_id=task_id).get(timeout=60)
        states = _states(pubsub, time.monotonic() + 30)
    finally:
        pubsub.close()
        client.close()

    events = result["events"]
    progress = [s["result"] for s in states if s["status"] == "PROGRESS"]
    assert events > 6  # batches of 3: at least three progress reports after the first
    assert progress[0] == {"done": 0, "total": events}
    assert progress[-1] == {"done": events, "total": events}
    assert [p["done"] for p in progress] == sorted(p["done"] for p in progress)
    assert len(progress) >= 1 + events // 3
    assert states[-1]["status"] == "SUCCESS"


def test_an_unknown_projection_fails_with_a_message_naming_the_known_ones(
        celery_app, celery_worker):
    pending = celery_app.tasks[REBUILD_PROJECTION].delay("no_such_view")

    with pytest.raises(ValueError, match=r"unknown projection\) 'no_such_view'") as failure:
        pending.get(timeout=30)
    assert all(name in str(failure.value) for name in PROJECTION_NAMES)
    assert pending.state == "FAILURE"


def test_the_celery_command_finds_the_app_which_is_built_only_when_asked_for(cli_env):
    assert "app" not in vars(infra.celery_app)  # importing the module built nothing

    app = find_app("infra.celery_app")

    assert app is infra.celery_app.default_app()
    assert REBUILD_PROJECTION in app.tasks
    assert "barometre_test_" in app.conf.barometre_projector_conninfo
