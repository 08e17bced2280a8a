"""What request handlers share: the write side, the read pool, Redis and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
import asyncpg
from redis.asyncio import Redis

from infra.access import Door
from infra.http.inputs_prefetch import SessionOwners
from infra.http.sessions import NO_CACHE, SessionCache, SessionStore
from infra.platform import WriteSide
from infra.settings import Settings

T = TypeVar("T")


@dataclass
class AppState:
    write: WriteSide
    read_pool: asyncpg.Pool
    redis: Redis
    settings: Settings
    projections_by_application: dict[str, int]
    door: Door  # the one door to a person's record, and the inputs it keeps (ADR 14)
    session_owners: SessionOwners  # whose each seen session is, to read inputs early (ADR 15)
    session_cache: SessionCache = NO_CACHE  # sessions looked up in the last second (ADR 23)

    def sessions(self) -> SessionStore:
        return SessionStore.of(self.redis, self.settings, self.session_cache)


def session_cache_for(settings: Settings) -> SessionCache:
    """One second of remembered sessions, for a single web process only: with several, a
    logout in one could not make the others forget the session (ADR 23)."""
    if settings.web_workers > 1:
        return NO_CACHE
    return SessionCache(settings.session_cache_ms / 1000)


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """eventsourcing is synchronous: services run in worker threads, never on the event loop."""
    return await anyio.to_thread.run_sync(fn, *args)
