"""Idempotency-Key: a retried command gets its first answer and stores no second event, after
any crash of the web, Redis or the client (ADR 28).

The key and the command's answer are a row of PostgreSQL, written by the statement that saves
the command's events (the key is handed to the saves, infra.eventstore.answer_in_save), so
the row exists if and only if the events were committed. A command that saved nothing has its
answer written in a statement of its own before it answers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Request

from infra.http.problems import Problem
from services.actor import Actor
from services.base import Answer, CommandResult

MAX_KEY_LENGTH = 200
LOOKUP = "SELECT * FROM idempotent_answer($1, $2, $3)"
REMEMBER_ALONE = "SELECT * FROM remember_answer_alone($1, $2, $3, $4, $5, $6, $7, $8, $9)"


@dataclass(frozen=True)
class FirstAnswer:
    """The answer of the request that committed the key first."""

    status: int
    result: CommandResult


@dataclass
class IdempotencyKey:
    """A request's Idempotency-Key, the fingerprint of the request and the status its command
    answers with; `written` once a save (or `remember_alone`) committed it."""

    actor: Actor
    key: str
    fingerprint: bytes
    status: int
    written: bool = False

    @classmethod
    async def of_request(cls, request: Request[Any, Any, Any], actor: Actor,
                         status: int) -> IdempotencyKey | None:
        key = request.headers.get("idempotency-key")
        if key is None:
            return None
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            raise Problem(400, "bad-request",
                          f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters")
        url = request.url
        fingerprint = hashlib.sha256(b"\n".join([
            request.method.encode(), url.path.encode(), url.query.encode(),
            await request.body()])).digest()
        return cls(actor, key, fingerprint, status)

    def save_args(self, tenant_id: UUID, answer: Answer) -> tuple[Any, ...] | None:
        if self.written:
            return None
        if tenant_id != self.actor.tenant_id:  # fail closed: the key is the tenant's
            raise RuntimeError("a save in another organization than the request's")
        return (tenant_id, self.actor.user_id, self.key, self.fingerprint, self.status,
                answer.id, answer.version, answer.application)

    def saved(self) -> None:
        self.written = True

    async def first_answer(self, pool: asyncpg.Pool) -> FirstAnswer | None:
        """The answer of the request that committed this key, if one did (and not more than
        24 hours ago); 422 if that request was another one."""
        async with pool.acquire() as conn:
            row = await conn.fetchrow(LOOKUP, self.actor.tenant_id, self.actor.user_id, self.key)
        return None if row is None else self._first(row)

    async def remember_alone(self, pool: asyncpg.Pool, result: CommandResult) -> FirstAnswer | None:
        """Writes the answer of a command that saved nothing. None if written; the first
        answer if another request committed the key meanwhile."""
        async with pool.acquire() as conn:
            row = await conn.fetchrow(
                REMEMBER_ALONE, self.actor.tenant_id, self.actor.user_id, self.key,
                self.fingerprint, self.status, result.id, result.version, result.application,
                result.notification_id)
        assert row is not None  # one row: this answer, or the one that took the key
        self.written = True
        return None if row["remembered"] else self._first(row)

    def _first(self, row: asyncpg.Record) -> FirstAnswer:
        if bytes(row["fingerprint"]) != self.fingerprint:
            raise Problem(422, "idempotency", "this Idempotency-Key was used for a different request")
        return FirstAnswer(row["status"], CommandResult(row["record_id"], row["version"],
                                                        row["notification_id"], row["application"]))
