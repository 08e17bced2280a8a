"""The consent decision's inputs, kept between requests and checked in the same statement
that writes the request's access-log row (ADR 14).

`access_inputs(...)` (migration 013) returns, in one snapshot, the person's existence, the
actor's teams, the grants to them, the database's now() and a stamp: the positions, for the
tenant, of the projections those inputs come from. The guard decides from inputs it kept if
it has them; the statement that logs the request (`record_checked_access`, or
`open_checked_record_read` for an allowed read) is given the stamp and the moment the first
active grant used expires, and refuses (SQLSTATE BMA01, `StaleAccess`) if a projection moved
or that moment has come. The guard then reads fresh inputs and decides again. So a revoked,
expired or newly given consent takes effect on the very next request, as when every request
read their inputs, and a request whose kept inputs are still current saves a round trip.

Whether the inputs are as new as the events they come from (`current`, migration 024, ADR 32)
is part of them: inputs that lag the events decide nothing but a denial, and the statement
that logs an allowed request checks it again, whatever the caller passes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import psycopg
from psycopg.rows import dict_row

from domain.access.grant import Grant
from domain.access.policy import Decision
from projections.consent.queries import access_inputs

STALE_SQLSTATE = "BMA01"  # what a logging statement raises when its inputs are no longer current
INPUTS_NOW = "SELECT * FROM access_inputs(%s, %s, %s)"  # the same read, for psycopg


class StaleAccess(Exception):
    """The inputs a ticket was decided from are no longer those in the database: nothing was
    written by the statement that found it; the ticket is decided again (`Ticket.renew`)."""


def is_stale(exc: BaseException) -> bool:
    return isinstance(exc, asyncpg.PostgresError) and exc.sqlstate == STALE_SQLSTATE


@dataclass(frozen=True)
class Check:
    """What a logging statement verifies before it writes: the inputs are still current."""

    stamp: list[int]
    valid_until: datetime | None

    def args(self) -> tuple[Any, ...]:
        return (self.stamp, self.valid_until)


NO_CHECK = (None, None)  # the inputs were read for this request: nothing to verify


@dataclass(frozen=True)
class AccessInputs:
    checked_at: datetime
    stamp: list[int]
    person_exists: bool
    team_ids: frozenset[UUID]
    grants: tuple[Grant, ...]
    current: bool  # the views have applied every event of the streams these depend on

    @classmethod
    def from_rows(cls, rows: list[Any], person_id: UUID) -> AccessInputs:
        first = rows[0]
        return cls(first["checked_at"], list(first["stamp"]), bool(first["person_exists"]),
                   frozenset(first["team_ids"] or ()),
                   tuple(Grant(r["grant_id"], person_id, r["grantee_kind"], r["grantee_id"],
                               r["tab"], r["level"], r["until"], r["revoked_at"])
                         for r in rows if r["grant_id"]),
                   bool(first["inputs_current"]))

    def check(self) -> Check:
        """Valid while the projections stay put and no active grant among them expires."""
        ends = [g.until for g in self.grants
                if g.revoked_at is None and g.until is not None and g.until > self.checked_at]
        return Check(self.stamp, min(ends, default=None))


async def read_inputs(conn: asyncpg.Connection, tenant_id: UUID, person_id: UUID,
                      actor_id: UUID) -> AccessInputs:
    return AccessInputs.from_rows(await access_inputs(conn, tenant_id, person_id, actor_id),
                                  person_id)


def read_inputs_now(conn: psycopg.Connection[Any], tenant_id: UUID, person_id: UUID,
                    actor_id: UUID) -> AccessInputs:
    """`read_inputs` on the write side's connection (a save's, in a service thread)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(INPUTS_NOW, (tenant_id, person_id, actor_id))
        return AccessInputs.from_rows(cur.fetchall(), person_id)


Key = tuple[UUID, UUID, UUID]  # tenant, actor, person
Packed = tuple[Any, ...]


def _pack(inputs: AccessInputs) -> Packed:
    """Only ints, strings, booleans, times and tuples of them: objects the garbage collector
    stops tracking, so thousands of kept entries add nothing to its full scans (measured:
    10,000 entries as objects made 230,000 tracked objects and 180 ms pauses)."""
    return (inputs.checked_at, tuple(inputs.stamp), inputs.person_exists,
            tuple(t.int for t in inputs.team_ids),
            tuple((g.grant_id.int, g.grantee_kind, g.grantee_id.int, g.tab, g.level, g.until,
                   g.revoked_at) for g in inputs.grants), inputs.current)


def _unpack(packed: Packed, person_id: UUID) -> AccessInputs:
    checked_at, stamp, exists, teams, grants, current = packed
    return AccessInputs(checked_at, list(stamp), exists, frozenset(UUID(int=t) for t in teams),
                        tuple(Grant(UUID(int=g), person_id, kind, UUID(int=grantee), tab, level,
                                    until, revoked)
                              for g, kind, grantee, tab, level, until, revoked in grants),
                        current)


Decided = tuple[str, str, str, bool, str, tuple[str, ...]]  # role, page, action → decision


def _pack_decision(role: str, page: str, action: str, decision: Decision) -> Decided:
    return (role, page, action, decision.allowed, decision.reason,
            tuple(sorted(decision.readable_tabs)))


class Kept:
    """What is kept for one (tenant, actor, person): the inputs, packed, and the decisions
    already taken from them, so a repeated request neither unpacks nor decides again (with 50
    grants, unpacking alone cost 0.22 ms)."""

    def __init__(self, person_id: UUID, entry: Entry) -> None:
        self._person_id = person_id
        self._packed, self._valid_until, self._decided = entry

    @property
    def person_exists(self) -> bool:
        return bool(self._packed[2])

    def check(self) -> Check:
        return Check(list(self._packed[1]), self._valid_until)

    def inputs(self) -> AccessInputs:
        return _unpack(self._packed, self._person_id)

    def decision(self, role: str, page: str, action: str) -> Decision | None:
        """The decision already taken from these inputs for this role, page and action."""
        for r, p, a, allowed, reason, tabs in self._decided:
            if (r, p, a) == (role, page, action):
                return Decision(allowed, reason, frozenset(tabs))
        return None


Entry = tuple[Packed, datetime | None, tuple[Decided, ...]]  # inputs, valid until, decisions


class InputsCache:
    """Least recently used first out; one per web process (the event loop's thread only).
    With size 0 nothing is kept: every request reads its inputs."""

    def __init__(self, size: int) -> None:  # settings.access_inputs_kept
        self.size = size
        self._entries: OrderedDict[tuple[int, int, int], Entry] = OrderedDict()

    @staticmethod
    def _key(key: Key) -> tuple[int, int, int]:
        return key[0].int, key[1].int, key[2].int

    def kept(self, key: Key) -> Kept | None:
        entry = self._entries.get(k := self._key(key))
        if entry is None:
            return None
        self._entries.move_to_end(k)
        return Kept(key[2], entry)

    def get(self, key: Key) -> AccessInputs | None:
        kept = self.kept(key)
        return kept.inputs() if kept else None

    def __contains__(self, key: Key) -> bool:
        """Whether inputs are kept for the key (without unpacking them, nor refreshing them)."""
        return self._key(key) in self._entries

    def put(self, key: Key, inputs: AccessInputs) -> Kept | None:
        """Keeps fresh inputs (the decisions taken from the previous ones are dropped) and
        gives them back as kept; None if nothing is kept (size 0)."""
        if self.size <= 0:
            return None
        entry: Entry = (_pack(inputs), inputs.check().valid_until, ())
        self._entries[k := self._key(key)] = entry
        self._entries.move_to_end(k)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return Kept(key[2], entry)

    def remember(self, key: Key, basis: Kept, role: str, page: str, action: str,
                 decision: Decision) -> None:
        """Keeps a decision taken from `basis`, if those inputs are still the ones kept."""
        entry = self._entries.get(k := self._key(key))
        if entry is not None and entry[0] is basis._packed:
            packed, valid_until, decided = entry
            self._entries[k] = (packed, valid_until,
                                (*decided, _pack_decision(role, page, action, decision)))

    def __len__(self) -> int:
        return len(self._entries)
