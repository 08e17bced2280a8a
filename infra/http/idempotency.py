"""Idempotency-Key: a retried POST gets the same answer and writes no second event."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from redis.asyncio import Redis

from infra.http.problems import Problem
from services.actor import Actor

_TTL_SECONDS = 24 * 3600
_PENDING = "pending"


class Idempotency:
    """Claims the key before the command runs (SET NX), stores the answer after it."""

    def __init__(self, redis: Redis, actor: Actor, key: str, fingerprint: str) -> None:
        if not 1 <= len(key) <= 200:
            raise Problem(400, "bad-request", "Idempotency-Key must be 1 to 200 characters")
        self.redis = redis
        self.redis_key = f"barometre:idem:{actor.tenant_id}:{actor.user_id}:{key}"
        self.fingerprint = fingerprint

    @staticmethod
    def fingerprint_of(method: str, path: str, body: bytes) -> str:
        return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()

    async def replay(self) -> tuple[int, Any] | None:
        """The stored answer of an earlier identical request, or None after claiming the key."""
        claim = json.dumps({"state": _PENDING, "fingerprint": self.fingerprint})
        if await self.redis.set(self.redis_key, claim, nx=True, ex=_TTL_SECONDS):
            return None
        raw = await self.redis.get(self.redis_key)
        stored = json.loads(raw) if raw else {"state": _PENDING, "fingerprint": self.fingerprint}
        if stored["fingerprint"] != self.fingerprint:
            raise Problem(422, "idempotency", "this Idempotency-Key was used for a different request")
        if stored["state"] == _PENDING:
            raise Problem(409, "idempotency", "a request with this Idempotency-Key is still running")
        return int(stored["status"]), stored["body"]

    async def remember(self, status: int, body: Any) -> None:
        answer = json.dumps({"state": "done", "fingerprint": self.fingerprint,
                             "status": status, "body": body}, default=str)
        await self.redis.set(self.redis_key, answer, ex=_TTL_SECONDS)

    async def release(self) -> None:
        """The command failed: nothing was written, so the same key may be tried again."""
        await self.redis.delete(self.redis_key)
