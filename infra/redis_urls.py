"""Redis URLs for redis-py and for Celery (which spells unix sockets its own way)."""

from __future__ import annotations


def celery_broker_url(redis_url: str, db: int | None = None) -> str:
    if redis_url.startswith("unix://"):
        url = "redis+socket://" + redis_url[len("unix://"):]
        return f"{url}?virtual_host={db}" if db is not None else url
    return redis_url
