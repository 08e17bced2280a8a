"""The Celery application: Redis as broker and result backend, built on demand from the servers."""

from __future__ import annotations

from functools import cache
from typing import Any

from celery import Celery

from infra.platform import Servers, locate_servers
from infra.redis_urls import celery_broker_url
from infra.settings import Settings
from infra.tasks import register_tasks

DEFAULT_QUEUE = "barometre"


def make_celery(servers: Servers, settings: Settings | None = None,
                queue: str = DEFAULT_QUEUE) -> Celery:
    """A Celery app on the servers' Redis; tasks find their database in app.conf."""
    app = Celery("barometre", set_as_current=False)
    redis = celery_broker_url(servers.redis_url)
    app.conf.update(
        broker_url=redis,
        result_backend=redis,
        task_default_queue=queue,
        task_acks_late=True,
        # With acks_late, a worker killed mid-task must hand the message back, not drop it.
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,
        broker_connection_retry_on_startup=True,
        barometre_projector_conninfo=servers.projector_db(settings).conninfo(),
        barometre_rebuild_batch_size=5000,
    )
    register_tasks(app)
    return app


@cache
def _default_servers() -> Servers:
    # Cached so embedded servers (kept alive by Servers.handles) live as long as the app.
    return locate_servers()


@cache
def default_app() -> Celery:
    return make_celery(_default_servers())


def __getattr__(name: str) -> Any:
    """`celery -A infra.celery_app` looks up `app`: build it then, never at import time."""
    if name in ("app", "celery"):
        return default_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
