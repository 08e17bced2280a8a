"""Server-side sessions in Redis: the cookie holds only a random token.

A session ends after `ttl` seconds without use (the TTL is refreshed on every use) and in
any case `absolute` seconds after login; each carries its own CSRF token (ADR 0009)."""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import time
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


class SessionStore:
    def __init__(self, redis: Redis, ttl_seconds: int, absolute_seconds: int = 12 * 3600,
                 clock: Callable[[], float] = time.time) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.absolute = absolute_seconds
        self.clock = clock

    @classmethod
    def of(cls, redis: Redis, settings: Settings) -> SessionStore:
        return cls(redis, settings.session_ttl_seconds, settings.session_absolute_seconds)

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
        raw = await self.redis.getex(key, ex=self.ttl)
        if raw is None:
            return None
        data = json.loads(raw)
        remaining = self.absolute - (self.clock() - float(data.get("opened_at", -math.inf)))
        if remaining <= 0 or "csrf" not in data:
            await self.redis.delete(key)
            return None
        if remaining < self.ttl:
            await self.redis.expire(key, math.ceil(remaining))
        actor = Actor(UUID(data["user_id"]), UUID(data["tenant_id"]), data["role"],
                      data["display_name"], data["locale"])
        return Session(actor, data["csrf"])

    async def actor(self, token: str) -> Actor | None:
        session = await self.get(token)
        return session.actor if session else None

    async def close(self, token: str) -> None:
        await self.redis.delete(_key(token))

    async def close_all(self, user_id: UUID, keep: str | None = None) -> int:
        """Ends every session of a user but `keep` (password change, lost phone, offboarding);
        returns how many live sessions ended."""
        users = _USER_SESSIONS + str(user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.smembers(users)
            pipe.delete(users)
            keys, _ = await pipe.execute()
        kept = _key(keep).encode() if keep else None
        ending = [k for k in keys if k != kept]
        ended = int(await self.redis.delete(*ending)) if ending else 0
        if kept is not None and kept in keys:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.sadd(users, kept)
                pipe.expire(users, self.absolute)
                await pipe.execute()
        return ended
