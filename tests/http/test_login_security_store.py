"""The login limiter and the session store on the real Redis, with small limits and a fake clock."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from redis.asyncio import Redis

from infra.http.problems import Problem
from infra.http.rate_limit import LoginLimiter, account_key, address_key
from infra.http.sessions import SessionStore
from services.accounts import InvalidCredentials
from services.actor import Actor


@pytest.fixture
async def redis(servers) -> AsyncIterator[Redis]:  # type: ignore[no-untyped-def]
    client = Redis.from_url(servers.redis_url)
    yield client
    await client.aclose()


def fresh(kind: str) -> str:
    return f"{kind}:test-{secrets.token_hex(6)}"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_the_attempt_after_the_limit_waits_until_the_window_has_passed(redis) -> None:
    limiter = LoginLimiter(redis, max_per_account=3, max_per_address=100, window_seconds=1)
    account, address = fresh("account"), fresh("ip")
    assert [await limiter.attempt(account, address) for _ in range(3)] == [0, 0, 0]
    assert await limiter.attempt(account, address) == 1
    await asyncio.sleep(1.2)
    assert await limiter.attempt(account, address) == 0


async def test_the_wait_is_what_remains_of_the_window(redis) -> None:
    limiter = LoginLimiter(redis, max_per_account=1, max_per_address=100, window_seconds=900)
    account, address = fresh("account"), fresh("ip")
    assert await limiter.attempt(account, address) == 0
    assert 898 <= await limiter.attempt(account, address) <= 900


async def test_an_address_is_limited_over_all_the_accounts_it_tries(redis) -> None:
    limiter = LoginLimiter(redis, max_per_account=100, max_per_address=4, window_seconds=60)
    address = fresh("ip")
    assert [await limiter.attempt(fresh("account"), address) for _ in range(4)] == [0] * 4
    assert await limiter.attempt(fresh("account"), address) > 0
    assert await limiter.attempt(fresh("account"), fresh("ip")) == 0


async def test_a_success_clears_the_account_and_gives_its_place_back_to_the_address(redis) -> None:
    limiter = LoginLimiter(redis, max_per_account=2, max_per_address=2, window_seconds=60)
    account, address = fresh("account"), fresh("ip")

    async def ok() -> str:
        return "in"
    assert await limiter.attempt(account, address) == 0  # one failure
    for _ in range(5):
        assert await limiter.guard(account, address, ok) == "in"
    assert await redis.get("barometre:login-failures:" + account) is None
    assert int(await redis.get("barometre:login-failures:" + address)) == 1  # only the failure


async def test_guard_keeps_a_wrong_secret_counted_and_forgives_an_outage(redis) -> None:
    limiter = LoginLimiter(redis, max_per_account=1, max_per_address=100, window_seconds=60)
    account, address = fresh("account"), fresh("ip")

    async def outage() -> None:
        raise ConnectionError("database down")

    async def wrong() -> None:
        raise InvalidCredentials("no")
    for _ in range(3):
        with pytest.raises(ConnectionError):
            await limiter.guard(account, address, outage)
    with pytest.raises(InvalidCredentials):
        await limiter.guard(account, address, wrong)
    with pytest.raises(Problem) as refused:
        await limiter.guard(account, address, wrong)
    assert refused.value.status_code == 429 and refused.value.code == "too-many-attempts"
    assert refused.value.headers is not None and 0 < int(refused.value.headers["Retry-After"]) <= 60


def test_an_account_key_ignores_case_and_spaces_and_hides_the_login() -> None:
    assert account_key(" Org-A ", "Julie ") == account_key("org-a", "julie")
    assert account_key("org-a", "julie") != account_key("org-b", "julie")
    assert "julie" not in account_key("org-a", "julie")


def test_an_ipv6_client_is_counted_by_its_64_bit_prefix() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("192.0.2.7") == "ip:192.0.2.7"


def actor() -> Actor:
    return Actor(uuid4(), uuid4(), "practitioner", "P", "fr-CA")


async def test_a_session_ends_at_its_absolute_lifetime_even_when_used(redis) -> None:
    clock = Clock()
    store = SessionStore(redis, ttl_seconds=60, absolute_seconds=120, clock=clock)
    opened = await store.open(actor())
    for _ in range(2):
        clock.now += 50
        assert await store.get(opened.token) is not None
    assert 0 < await redis.ttl("barometre:session:" + _digest(opened.token)) <= 20  # capped to what is left
    clock.now += 21
    assert await store.get(opened.token) is None
    assert await redis.exists("barometre:session:" + _digest(opened.token)) == 0


async def test_a_session_unused_for_its_idle_ttl_ends_and_use_refreshes_it(redis) -> None:
    store = SessionStore(redis, ttl_seconds=1, absolute_seconds=3600)
    used, idle = await store.open(actor()), await store.open(actor())
    for _ in range(3):
        await asyncio.sleep(0.5)
        assert await store.get(used.token) is not None
    assert await store.get(idle.token) is None


async def test_each_session_has_its_own_csrf_token(redis) -> None:
    store = SessionStore(redis, ttl_seconds=60)
    someone = actor()
    first, second = await store.open(someone), await store.open(someone)
    assert first.csrf_token != second.csrf_token
    session = await store.get(first.token)
    assert session is not None and session.csrf_token == first.csrf_token and session.actor == someone


async def test_close_all_ends_every_session_of_the_user_but_the_one_kept(redis) -> None:
    store = SessionStore(redis, ttl_seconds=60)
    someone, other = actor(), actor()
    mine = [await store.open(someone) for _ in range(3)]
    theirs = await store.open(other)
    assert await store.close_all(someone.user_id, keep=mine[0].token) == 2
    assert [await store.get(s.token) is not None for s in mine] == [True, False, False]
    assert await store.get(theirs.token) is not None
    assert await store.close_all(someone.user_id) == 1  # the kept one is still revocable
    assert await store.get(mine[0].token) is None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
