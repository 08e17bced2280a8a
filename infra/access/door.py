"""The one door to a person's record: `Door.admit(actor, person, tab, action, asked)` decides,
by the access policy (domain.access.policy), and answers a Ticket. Every reader and writer of
a record passes here: the JSON API and the web pages (through the HTTP guard,
infra/http/access_guard.py), and code outside HTTP (a job, an auditor's replay).

The policy's inputs (the person, the actor's teams, the grants) come from one of three
interchangeable sources: inputs read early for this request (ADR 15, by the caller), inputs
kept from an earlier decision (ADR 14), or inputs read now. Kept and early inputs are
verified by the statement that writes the ticket's row; the ticket is decided again if they
proved stale (infra/access/ticket.py). A refusal's row is written here, at once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from uuid import UUID

import asyncpg

from domain.access.actor import Actor
from domain.access.policy import WRITE, Decision
from infra.access.inputs import AccessInputs, InputsCache, Kept, StaleAccess, read_inputs
from infra.access.ticket import Asked, Ticket, decision_on

Early = tuple[asyncpg.Connection | None, AccessInputs | None]  # read while the session was


@dataclass
class Door:
    pool: asyncpg.Pool
    kept: InputsCache  # one per process, used on the event loop's thread only

    async def admit(self, actor: Actor, person_id: UUID, tab: str, action: str, asked: Asked,
                    early: Early = (None, None)) -> Ticket:
        """The ticket for `actor` to READ or WRITE `tab` of the person's record. A refused one
        is logged already (raise `ticket.refusal()`); an allowed read holds a connection
        (give it back with `ticket.release()` or `write_alone()`); an allowed write's row is
        written by its first save."""
        conn, inputs = early
        handed_over = False
        try:
            key = (actor.tenant_id, actor.user_id, person_id)
            kept = None if inputs else self.kept.kept(key)
            if kept is not None:
                exists, decision = kept.person_exists, self._decided(actor, person_id, tab,
                                                                     action, kept)
                check, decided_from = kept.check(), kept.inputs
            else:
                if inputs is None:
                    conn = conn or await self.pool.acquire()
                    inputs = await read_inputs(conn, actor.tenant_id, person_id, actor.user_id)
                exists, decision = inputs.person_exists, self._keep(actor, person_id, tab,
                                                                    action, inputs)
                # A write is checked even on inputs read now: its body may take a while to
                # arrive (ADR 22).
                check = inputs.check() if action == WRITE else None
                decided_from = partial(_same, inputs)
            ticket = Ticket(actor, person_id, tab, action, asked, exists, decision, check,
                            self.pool, keep=partial(self.kept.put, key), inputs=decided_from)
            while True:
                if ticket.allowed and action == WRITE:
                    return ticket
                conn = conn or await self.pool.acquire()
                if ticket.allowed:
                    ticket.conn, handed_over = conn, True
                    return ticket
                try:
                    await ticket.write_row(conn)
                except StaleAccess:
                    await ticket.renew(conn)
                    ticket.check = None  # inputs read just now
                    continue
                return ticket
        finally:
            if conn is not None and not handed_over:
                await self.pool.release(conn)

    def _decided(self, actor: Actor, person_id: UUID, tab: str, action: str,
                 kept: Kept) -> Decision:
        """The decision from kept inputs: taken before for this role, tab and action, or now
        (and kept with them)."""
        decision = kept.decision(actor.role, tab, action)
        if decision is None:
            decision = decision_on(kept.inputs(), actor, person_id, tab, action)
            self.kept.remember((actor.tenant_id, actor.user_id, person_id), kept, actor.role,
                               tab, action, decision)
        return decision

    def _keep(self, actor: Actor, person_id: UUID, tab: str, action: str,
              inputs: AccessInputs) -> Decision:
        """The decision from inputs read now, both kept for the next ticket."""
        key = (actor.tenant_id, actor.user_id, person_id)
        kept = self.kept.put(key, inputs)
        decision = decision_on(inputs, actor, person_id, tab, action)
        if kept is not None:
            self.kept.remember(key, kept, actor.role, tab, action, decision)
        return decision


def _same(inputs: AccessInputs) -> AccessInputs:
    return inputs
