"""A web process remembers a looked-up session for a second (ADR 23), on real Redis: what it
saves (no lookup within the second), and what it must not weaken: a logout or a closing of
all of a user's sessions through the process ends them at once, a session is never kept
past its idle TTL nor its absolute lifetime, and several web processes keep none."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import replace
from uuid import uuid4

import pytest
from redis.asyncio import Redis

from infra.http.sessions import NO_CACHE, SessionCache, SessionStore
from infra.http.state import session_cache_for
from infra.settings import get_settings
from services.actor import Actor


@pytest.fixture
async def redis(servers) -> AsyncIterator[Redis]:  # type: ignore[no-untyped-def]
    client = Redis.from_url(servers.redis_url)
    yield client
    await client.aclose()


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _key(token: str) -> str:
    return "barometre:session:" + hashlib.sha256(token.encode()).hexdigest()


def actor() -> Actor:
    return Actor(uuid4(), uuid4(), "practitioner", "P", "fr-CA")


def stores(redis: Redis, ttl: int = 60, absolute: int = 3600,
           seconds: float = 1.0) -> tuple[SessionStore, Clock, Clock]:
    wall, monotonic = Clock(), Clock()
    cache = SessionCache(seconds, clock=monotonic)
    return SessionStore(redis, ttl, absolute, clock=wall, cache=cache), wall, monotonic


async def test_a_session_looked_up_is_not_looked_up_again_within_the_second(redis) -> None:
    store, _, monotonic = stores(redis)
    opened = await store.open(actor())
    first = await store.get(opened.token)
    await redis.delete(_key(opened.token))  # gone from Redis, as if another process ended it
    monotonic.now += 0.9
    assert await store.get(opened.token) == first  # no lookup: remembered
    monotonic.now += 0.2
    assert await store.get(opened.token) is None  # looked up again after the second


async def test_a_logout_through_the_process_ends_a_remembered_session_at_once(redis) -> None:
    store, _, _ = stores(redis)
    opened = await store.open(actor())
    assert await store.get(opened.token) is not None
    await store.close(opened.token)
    assert await store.get(opened.token) is None


async def test_closing_a_users_sessions_forgets_theirs_only(redis) -> None:
    store, _, _ = stores(redis)
    someone, other = actor(), actor()
    mine, kept, theirs = (await store.open(someone), await store.open(someone),
                          await store.open(other))
    for opened in (mine, kept, theirs):
        assert await store.get(opened.token) is not None
    await store.close_all(someone.user_id, keep=kept.token)
    assert await store.get(mine.token) is None
    assert await store.get(kept.token) is not None
    assert len(store.cache) == 2  # theirs stayed remembered, kept was looked up again
    await redis.delete(_key(theirs.token))
    assert await store.get(theirs.token) is not None  # still remembered within its second


async def test_a_remembered_session_never_outlives_its_idle_ttl(redis) -> None:
    store, _, monotonic = stores(redis, ttl=1, seconds=5.0)
    opened = await store.open(actor())
    assert await store.get(opened.token) is not None
    await redis.delete(_key(opened.token))  # what Redis does when the idle TTL runs out
    monotonic.now += 1.0
    assert await store.get(opened.token) is None


async def test_a_remembered_session_ends_at_its_absolute_lifetime(redis) -> None:
    store, wall, _ = stores(redis, ttl=60, absolute=120)
    opened = await store.open(actor())
    wall.now += 119.5
    assert await store.get(opened.token) is not None  # remembered, Redis TTL capped to 0.5 s
    wall.now += 0.6
    assert await store.get(opened.token) is None


def test_several_web_processes_remember_no_session() -> None:
    settings = get_settings()
    assert session_cache_for(replace(settings, web_workers=1, session_cache_ms=1000)).seconds == 1
    assert session_cache_for(replace(settings, web_workers=2)) is NO_CACHE
    assert session_cache_for(replace(settings, web_workers=1, session_cache_ms=0)).seconds == 0


async def test_an_answer_read_while_a_session_was_being_closed_is_not_remembered(redis) -> None:
    """A lookup whose GETEX reached Redis before a concurrent logout's DEL got the live
    session: remembering it would let the cookie in for a second after the logout."""
    store, _, _ = stores(redis)
    opened = await store.open(actor())
    getex = redis.getex

    async def logout_while_redis_answers(*args: object, **kwargs: object) -> object:
        answer = await getex(*args, **kwargs)  # the live session, read before the delete
        await store.close(opened.token)
        return answer

    redis.getex = logout_while_redis_answers
    try:
        assert await store.get(opened.token) is not None  # this request was in flight
    finally:
        redis.getex = getex
    assert len(store.cache) == 0
    assert await store.get(opened.token) is None
