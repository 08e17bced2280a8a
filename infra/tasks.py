"""Celery tasks: idempotent, acknowledged late, registered on an app by register_tasks."""

from __future__ import annotations

from typing import Any

import psycopg
from celery import Celery, Task

from infra.projector_process import projection_named
from infra.rebuild import RebuildFailed, rebuild_named

REBUILD_PROJECTION = "barometre.rebuild_projection"


class _Progress:
    """Publishes PROGRESS {done, total} as the rebuild advances."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.done = 0
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total
        self._publish()

    def add(self, count: int) -> None:
        self.done += count
        self._publish()

    def _publish(self) -> None:
        self.task.update_state(state="PROGRESS", meta={"done": self.done, "total": self.total})


def rebuild_projection(task: Task, name: str) -> dict[str, Any]:
    """Rebuilds one projection from position 0 into new tables swapped in at the end (ADR 27);
    running it twice gives the same tables, a failure changes nothing."""
    projection_named(name)  # an unknown name fails before touching the database
    conf = task.app.conf
    progress = _Progress(task)
    events = rebuild_named(conf.barometre_projector_conninfo, [name], progress.add,
                           progress.start, conf.barometre_rebuild_batch_size)
    return {"projection": name, "events": events[name]}


def register_tasks(app: Celery) -> None:
    # shared=False: otherwise Celery would add the task to every app of the process.
    app.task(rebuild_projection, shared=False, bind=True, name=REBUILD_PROJECTION,
             acks_late=True, throws=(ValueError, RebuildFailed),  # expected: no traceback
             # A lost connection is worth retrying: a rebuild restarts from zero anyway.
             autoretry_for=(psycopg.OperationalError,), retry_backoff=True, max_retries=5)
