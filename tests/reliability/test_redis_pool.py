"""The web's Redis client serves more concurrent requests than it has connections: the ones
beyond wait for a free connection instead of failing with "Too many connections"."""

from __future__ import annotations

import asyncio
import secrets

from infra.http.redis_pool import REDIS_CONNECTIONS, redis_client
from infra.platform import Servers


async def test_three_times_more_concurrent_commands_than_connections_all_succeed(servers: Servers):
    redis = redis_client(servers.redis_url)
    key = f"barometre:test:pool:{secrets.token_hex(4)}"
    try:
        await redis.set(key, "1", ex=60)
        # BLPOP on a missing list holds its connection for the whole timeout, like a slow
        # command: every connection is busy at once, and the rest must wait their turn.
        busy = [redis.blpop([f"{key}:none:{i}"], timeout=0.3) for i in range(REDIS_CONNECTIONS)]
        reads = [redis.get(key) for _ in range(2 * REDIS_CONNECTIONS)]

        answers = await asyncio.gather(*busy, *reads)
    finally:
        await redis.delete(key)
        await redis.aclose()

    assert answers[REDIS_CONNECTIONS:] == [b"1"] * (2 * REDIS_CONNECTIONS)
    assert answers[:REDIS_CONNECTIONS] == [None] * REDIS_CONNECTIONS
