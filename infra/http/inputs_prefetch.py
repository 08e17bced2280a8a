"""The consent inputs of a request, read while its session is looked up (ADR 15).

The guard needs the caller (from the session, in Redis) before it can read the consent
inputs (in PostgreSQL): two round trips one after the other. A session's token always
belongs to the same person of the same organization, so each web process remembers, for the
sessions it has seen, whose they are (`SessionOwners`, keyed by the token's digest, never the
token). When a known session asks for a record whose inputs are not kept, the guard starts
reading the inputs of that owner at once (`start`), in parallel with the session lookup.
The lookup still decides who is calling: the early inputs are used only if the session is
live and its caller is the remembered owner (`Prefetch.inputs_for`); otherwise they are
dropped, unread by anything. Nothing is logged or answered from them before that."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from litestar.connection import ASGIConnection

from infra.access.inputs import AccessInputs, InputsCache, read_inputs
from infra.http.sessions import COOKIE, session_digest
from services.actor import Actor

Owner = tuple[int, int]  # tenant, user (UUID ints: tuples the garbage collector does not track)


class SessionOwners:
    """Whose each recently seen session is: least recently used first out, one per process."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._owners: OrderedDict[str, Owner] = OrderedDict()

    def learn(self, token: str, actor: Actor) -> None:
        if self.size <= 0:
            return
        self._owners[digest := session_digest(token)] = (actor.tenant_id.int, actor.user_id.int)
        self._owners.move_to_end(digest)
        while len(self._owners) > self.size:
            self._owners.popitem(last=False)

    def owner(self, token: str) -> Owner | None:
        return self._owners.get(session_digest(token))

    def __len__(self) -> int:
        return len(self._owners)


@dataclass
class Prefetch:
    """Inputs being read for the remembered owner of the request's session."""

    owner: Owner
    task: asyncio.Task[tuple[asyncpg.Connection, AccessInputs]]

    async def inputs_for(self, actor: Actor) -> tuple[asyncpg.Connection | None,
                                                      AccessInputs | None]:
        """The connection it used, and the inputs if the session's caller is the owner they
        were read for (None otherwise; both None if the read failed: the guard reads them
        itself)."""
        try:
            conn, inputs = await self.task
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError):
            return None, None
        if self.owner != (actor.tenant_id.int, actor.user_id.int):
            return conn, None
        return conn, inputs

    async def discard(self, pool: asyncpg.Pool) -> None:
        """The request ended before the guard used it (no session, a 401): give the
        connection back, whatever became of the read."""
        with contextlib.suppress(BaseException):
            conn, _ = await self.task
            await pool.release(conn)


def start(connection: ASGIConnection[Any, Any, Any, Any], owners: SessionOwners,
          kept: InputsCache, pool: asyncpg.Pool, person_id: UUID) -> Prefetch | None:
    """Starts reading the inputs if the session's owner is known and none are kept."""
    token = connection.cookies.get(COOKIE)
    owner = owners.owner(token) if token else None
    if owner is None:
        return None
    tenant_id, user_id = UUID(int=owner[0]), UUID(int=owner[1])
    if (tenant_id, user_id, person_id) in kept:
        return None

    async def read() -> tuple[asyncpg.Connection, AccessInputs]:
        conn: asyncpg.Connection = await pool.acquire()
        try:
            return conn, await read_inputs(conn, tenant_id, person_id, user_id)
        except BaseException:
            await pool.release(conn)
            raise

    return Prefetch(owner, asyncio.create_task(read()))
