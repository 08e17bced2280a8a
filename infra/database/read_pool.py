"""The web's asyncpg pool (the read side), with bounded waits (ADR 29).

asyncpg waits for a free connection for ever by default and turns a server it cannot reach
into whatever the socket raised (a missing unix socket is a FileNotFoundError). This pool
waits at most ACQUIRE_SECONDS for a connection, CONNECT_SECONDS to open one, and raises
ServerUnavailable when the server cannot be reached. A pooled connection the server closed
(a restart) is noticed by asyncpg while idle and replaced on the next acquire."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from infra.bounded_waits import ACQUIRE_SECONDS, CONNECT_SECONDS, ServerUnavailable
from infra.database.params import DbParams


class BoundedReadPool(asyncpg.Pool):
    async def _acquire(self, timeout: float | None) -> Any:  # asyncpg's one way in (acquire)
        # An idle connection is handed over without a timer (the common case, kept cheap);
        # opening it again if the server closed it is bounded by the connect timeout.
        wait = None if timeout is None and not self._queue.empty() else timeout or ACQUIRE_SECONDS
        try:
            return await super()._acquire(wait)
        except (TimeoutError, OSError) as exc:
            raise ServerUnavailable(f"PostgreSQL unavailable: {exc!r}") from exc


async def open_read_pool(params: DbParams, size: int,
                         reset: Callable[[asyncpg.Connection], Awaitable[None]]) -> asyncpg.Pool:
    pool = BoundedReadPool(
        min_size=1, max_size=size, max_queries=50_000, max_inactive_connection_lifetime=300.0,
        setup=None, init=None, reset=reset, loop=None, connection_class=asyncpg.Connection,
        record_class=asyncpg.Record, timeout=CONNECT_SECONDS, **params.asyncpg_kwargs())
    await pool
    return pool
