"""Server-side sessions in Redis: the cookie holds only a random token.

A session ends after `ttl` seconds without use (the TTL is refreshed on every use) and in
any case `absolute` seconds after login; each carries its own CSRF token (ADR 0009).

A web process remembers the sessions it looked up for a second (`SessionCache`, ADR 23):
a page's burst of requests makes one lookup in Redis, not one each. Every session that ends
through this process (logout, closing all of a user's sessions) is forgotten at once; the
idle TTL and the absolute lifetime are kept exactly; with several web processes there is no
cache, since one process's logout could not reach another's."""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from redis.asyncio import Redis

from infra.settings import Settings
from services.actor import Actor

COOKIE = "barometre_session"
CSRF_COOKIE = "barometre_csrf"
CSRF_HEADER = "X-CSRF-Token"
_PREFIX = "barometre:session:"
_USER_SESSIONS = "barometre:user-sessions:"


def session_digest(token: str) -> str:
    """What the server keeps of a session's token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def _key(token: str) -> str:
    return _PREFIX + session_digest(token)


@dataclass(frozen=True)
class OpenedSession:
    token: str  # goes in the HttpOnly cookie
    csrf_token: str  # goes in the login answer and the readable CSRF cookie


@dataclass(frozen=True)
class Session:
    actor: Actor
    csrf_token: str


@dataclass(frozen=True)
class _Seen:
    until: float  # monotonic time after which Redis is asked again
    session: Session
    opened_at: float


class SessionCache:
    """The sessions one web process looked up in the last `seconds` (ADR 23), by the
    token's digest (never the token), least recently seen first out."""

    def __init__(self, seconds: float, size: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self._seen: OrderedDict[str, _Seen] = OrderedDict()
        self.forgets = 0  # how many times sessions were forgotten (see `put`)

    def get(self, key: str) -> _Seen | None:
        seen = self._seen.get(key)
        if seen is not None and self.clock() >= seen.until:
            del self._seen[key]
            return None
        return seen

    def put(self, key: str, session: Session, opened_at: float, ttl_left: float,
            looked_up: tuple[float, int]) -> None:
        """Kept for `seconds` from the lookup, and never past the moment Redis would let it
        expire. `looked_up` is `lookup()` taken before asking Redis: if a session was
        forgotten since (a logout may have been deleting it while Redis answered), the
        answer is not kept."""
        at, forgets = looked_up
        if self.seconds <= 0 or self.size <= 0 or forgets != self.forgets:
            return
        self._seen[key] = _Seen(at + min(self.seconds, ttl_left), session, opened_at)
        self._seen.move_to_end(key)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)

    def lookup(self) -> tuple[float, int]:
        return self.clock(), self.forgets

    def forget(self, key: str) -> None:
        self.forgets += 1
        self._seen.pop(key, None)

    def forget_user(self, user_id: UUID) -> None:
        self.forgets += 1
        for key in [k for k, seen in self._seen.items() if seen.session.actor.user_id == user_id]:
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


NO_CACHE = SessionCache(0)


class SessionStore:
    def __init__(self, redis: Redis, ttl_seconds: int, absolute_seconds: int = 12 * 3600,
                 clock: Callable[[], float] = time.time, cache: SessionCache = NO_CACHE) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.absolute = absolute_seconds
        self.clock = clock
        self.cache = cache

    @classmethod
    def of(cls, redis: Redis, settings: Settings, cache: SessionCache = NO_CACHE) -> SessionStore:
        return cls(redis, settings.session_ttl_seconds, settings.session_absolute_seconds,
                   cache=cache)

    async def open(self, actor: Actor) -> OpenedSession:
        opened = OpenedSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
        payload = json.dumps({"user_id": str(actor.user_id), "tenant_id": str(actor.tenant_id),
                              "role": actor.role, "display_name": actor.display_name,
                              "locale": actor.locale, "csrf": opened.csrf_token,
                              "opened_at": self.clock()})
        users = _USER_SESSIONS + str(actor.user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(_key(opened.token), payload, ex=min(self.ttl, self.absolute))
            pipe.sadd(users, _key(opened.token))
            pipe.expire(users, self.absolute)  # no session outlives this
            await pipe.execute()
        return opened

    async def get(self, token: str) -> Session | None:
        """The live session, its idle TTL refreshed; None once idle or past its lifetime."""
        key = _key(token)
        if (seen := self.cache.get(key)) is not None:  # looked up less than a second ago
            if self.absolute - (self.clock() - seen.opened_at) > 0:
                return seen.session
            self.cache.forget(key)
        looked_up = self.cache.lookup()
        raw = await self.redis.getex(key, ex=self.ttl)
        if raw is None:
            return None
        data = json.loads(raw)
        opened_at = float(data.get("opened_at", -math.inf))
        remaining = self.absolute - (self.clock() - opened_at)
        if remaining <= 0 or "csrf" not in data:
            await self.redis.delete(key)
            return None
        if remaining < self.ttl:
            await self.redis.expire(key, math.ceil(remaining))
        actor = Actor(UUID(data["user_id"]), UUID(data["tenant_id"]), data["role"],
                      data["display_name"], data["locale"])
        session = Session(actor, data["csrf"])
        self.cache.put(key, session, opened_at, min(self.ttl, remaining), looked_up)
        return session

    async def actor(self, token: str) -> Actor | None:
        session = await self.get(token)
        return session.actor if session else None

    async def close(self, token: str) -> None:
        self.cache.forget(_key(token))
        await self.redis.delete(_key(token))
        self.cache.forget(_key(token))  # and what a lookup during the delete may have kept

    async def close_all(self, user_id: UUID, keep: str | None = None) -> int:
        """Ends every session of a user but `keep` (password change, lost phone, offboarding);
        returns how many live sessions ended."""
        self.cache.forget_user(user_id)  # the one kept is looked up again: harmless
        users = _USER_SESSIONS + str(user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.smembers(users)
            pipe.delete(users)
            keys, _ = await pipe.execute()
        kept = _key(keep).encode() if keep else None
        ending = [k for k in keys if k != kept]
        ended = int(await self.redis.delete(*ending)) if ending else 0
        self.cache.forget_user(user_id)  # and what lookups during the deletes may have kept
        if kept is not None and kept in keys:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.sadd(users, kept)
                pipe.expire(users, self.absolute)
                await pipe.execute()
        return ended
