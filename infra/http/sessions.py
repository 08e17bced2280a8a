"""Server-side sessions in Redis: the cookie holds only a random token."""

from __future__ import annotations

import hashlib
import json
import secrets
from uuid import UUID

from redis.asyncio import Redis

from services.actor import Actor

COOKIE = "barometre_session"
_PREFIX = "barometre:session:"
_USER_SESSIONS = "barometre:user-sessions:"


def _key(token: str) -> str:
    return _PREFIX + hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl = ttl_seconds

    async def open(self, actor: Actor) -> str:
        token = secrets.token_urlsafe(32)
        payload = json.dumps({"user_id": str(actor.user_id), "tenant_id": str(actor.tenant_id),
                              "role": actor.role, "display_name": actor.display_name,
                              "locale": actor.locale})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(_key(token), payload, ex=self.ttl)
            pipe.sadd(_USER_SESSIONS + str(actor.user_id), _key(token))
            pipe.expire(_USER_SESSIONS + str(actor.user_id), self.ttl)
            await pipe.execute()
        return token

    async def actor(self, token: str) -> Actor | None:
        raw = await self.redis.get(_key(token))
        if raw is None:
            return None
        data = json.loads(raw)
        return Actor(UUID(data["user_id"]), UUID(data["tenant_id"]), data["role"],
                     data["display_name"], data["locale"])

    async def close(self, token: str) -> None:
        await self.redis.delete(_key(token))

    async def close_all(self, user_id: UUID) -> int:
        """Ends every session of a user (password change, compromise, offboarding)."""
        keys = await self.redis.smembers(_USER_SESSIONS + str(user_id))
        if keys:
            await self.redis.delete(*keys)
        await self.redis.delete(_USER_SESSIONS + str(user_id))
        return len(keys)
