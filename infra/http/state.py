"""What request handlers share: the write side, the read pool, Redis and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
import asyncpg
from redis.asyncio import Redis

from infra.http.access_inputs import InputsCache
from infra.http.inputs_prefetch import SessionOwners
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
    access_inputs: InputsCache  # the consent guard's kept inputs (ADR 14)
    session_owners: SessionOwners  # whose each seen session is, to read inputs early (ADR 15)


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """eventsourcing is synchronous: services run in worker threads, never on the event loop."""
    return await anyio.to_thread.run_sync(fn, *args)
