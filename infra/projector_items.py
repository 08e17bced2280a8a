"""A batch's events as the projector sees them: decoded or not, held back or not (ADR 26)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from projections.framework import Context, Projection


@dataclass(frozen=True)
class Undecodable:
    """A stored event the mapper could not read: why, and its class if its topic names one."""

    error: Exception
    event_class: type | None


@dataclass(frozen=True, slots=True)
class Item:
    """One event of a batch, and the projections that dead letters hold it back from."""

    ctx: Context
    originator_id: UUID
    originator_version: int
    topic: str
    event: object  # the domain event, or Undecodable
    held_for: Sequence[str]

    @property
    def stream(self) -> tuple[UUID, UUID]:
        return self.ctx.tenant_id, self.originator_id


def decode(mapper: Mapper[Any], oid: UUID, version: int, topic: str, state: bytes) -> object:
    """The domain event, or Undecodable: one bad event must not stop its batch's others."""
    try:
        return mapper.to_domain_event(StoredEvent(oid, version, topic, bytes(state)))
    except Exception as exc:  # noqa: BLE001  (whatever the cause, it is this event's)
        try:
            event_class: type | None = resolve_topic(topic)
        except Exception:  # noqa: BLE001
            event_class = None
        return Undecodable(exc, event_class)


def apply_one(projection: Projection, item: Item) -> None:
    """Applies the event, or raises why it cannot (an undecodable event the projection is
    concerned by: one it would ignore anyway is no reason to park its stream)."""
    if isinstance(item.event, Undecodable):
        if projection.concerns(item.event.event_class):
            raise item.event.error
    else:
        projection.apply(item.ctx, item.event)


def apply_alone(cur: psycopg.Cursor[Any], projection: Projection, item: Item) -> Exception | None:
    """Applies one event in a savepoint and a batch of its own: None, or why it cannot be
    applied (then nothing of it is kept). An error that says nothing of the event (a lost
    connection, a deadlock) is raised instead."""
    try:
        with cur.connection.transaction():
            projection.begin_batch()
            apply_one(projection, item)
            projection.end_batch(cur)
    except Exception as exc:
        if is_transient(exc):
            raise
        return exc
    return None


# SQLSTATE classes of errors that say nothing about the event being applied: connection,
# transaction rollback (deadlock, serialization), resources, operator intervention, system.
_TRANSIENT = ("08", "40", "53", "57", "58")


def is_transient(error: BaseException | None) -> bool:
    """Whether an error (or its cause) is the server's or the connection's, not the event's:
    its batch is run again later as it is, and nothing is parked."""
    while error is not None:
        if isinstance(error, psycopg.InterfaceError):
            return True
        if isinstance(error, psycopg.Error):
            state = error.sqlstate
            if state is None:  # raised by the client: a lost connection, or a value it refused
                return isinstance(error, psycopg.OperationalError)
            return state[:2] in _TRANSIENT or state == "55P03"  # lock_not_available
        error = error.__cause__
    return False
