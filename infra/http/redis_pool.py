"""The web process's Redis client: a pool sized for any concurrency, with bounded waits (ADR 29).

redis-py's default pool refuses a 101st connection in use ("Too many connections"), which
200 concurrent requests reach. This pool keeps at most REDIS_CONNECTIONS and makes a request
beyond them wait for a free one, at most ACQUIRE_SECONDS. Connecting and each command are
bounded too, and a failed command is tried once more on a new connection (a pooled one the
server closed is already replaced before use by redis-py), so an unavailable Redis is a fast
ConnectionError or TimeoutError (answered 503), never a hang."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from infra.bounded_waits import ACQUIRE_SECONDS, CONNECT_SECONDS

REDIS_CONNECTIONS = 100  # per web process; Redis serves each command in microseconds
COMMAND_SECONDS = 1.0  # a session, rate-limit or key command; none of them blocks


def redis_client(url: str) -> Redis:
    pool = BlockingConnectionPool.from_url(
        url, max_connections=REDIS_CONNECTIONS, timeout=ACQUIRE_SECONDS,
        socket_connect_timeout=CONNECT_SECONDS, socket_timeout=COMMAND_SECONDS,
        retry=Retry(NoBackoff(), retries=1))
    return Redis(connection_pool=pool)
