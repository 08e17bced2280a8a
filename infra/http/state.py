"""What request handlers share: the write side, the read pool, Redis and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
import asyncpg
from redis.asyncio import Redis

from infra.eventstore.access_row_in_save import StaleAccess, row_for_save
from infra.http.access_inputs import InputsCache
from infra.http.access_row import PendingWrite
from infra.http.inputs_prefetch import SessionOwners
from infra.http.sessions import NO_CACHE, SessionCache, SessionStore
from infra.platform import WriteSide
from infra.settings import Settings

T = TypeVar("T")
STALE_SAVES_CHECKED = 3  # saves of one call checked against fresh inputs after a stale one


@dataclass
class AppState:
    write: WriteSide
    read_pool: asyncpg.Pool
    redis: Redis
    settings: Settings
    projections_by_application: dict[str, int]
    access_inputs: InputsCache  # the consent guard's kept inputs (ADR 14)
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
    """eventsourcing is synchronous: services run in worker threads, never on the event loop.

    The thread runs in a copy of the request's context, so a write's save finds the
    request's access-log row there (ADR 22). If that save was refused because the consent
    inputs the guard decided from have changed (nothing was saved), the request is decided
    again from fresh inputs: a refusal is raised (its row written), an allowance runs the
    call again, checked against those fresh inputs (the last of STALE_SAVES_CHECKED times
    against nothing: consent that changes at every attempt must not refuse a write forever)."""
    for attempt in range(STALE_SAVES_CHECKED):
        try:
            return await anyio.to_thread.run_sync(fn, *args)
        except StaleAccess:
            pending = row_for_save()
            if not isinstance(pending, PendingWrite):
                raise
            await pending.decide_again(checked=attempt + 1 < STALE_SAVES_CHECKED)
    return await anyio.to_thread.run_sync(fn, *args)  # unchecked: it cannot be stale
