"""The operator's retry and skip of a parked stream (ADR 26).

Both run in one transaction holding the projection's advisory lock, so no batch of the live
projector interleaves: they apply, in order, the stream's events that the projector has
already passed (up to the projection's position) and that waited behind the dead letter.
Retry starts at the parked event; skip records who skipped it and why, and starts after it.
If every event applies, the stream is un-parked and the projector takes its next events as
they come; if one fails, the events before it stay applied and the stream is parked at it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import Mapper
from psycopg import sql

from infra.dead_letters import DeadLetter, describe_error, park
from infra.projector import ApplicationRunner
from infra.projector_items import Item, apply_alone, decode
from projections.applied_versions import RecordsAppliedVersions
from projections.framework import Context, Projection


@dataclass(frozen=True)
class Outcome:
    """What a retry or a skip did to one parked row."""

    letter: DeadLetter
    applied: int
    parked_at: int | None = None  # the event the stream now waits behind; None: it goes on
    error: str | None = None
    gone: bool = False  # someone else un-parked it first

    def line(self) -> str:
        where = (f"{self.letter.originator_id} {self.letter.projection}"
                 f" (tenant {self.letter.tenant_id})")
        if self.gone:
            return f"{where}: plus parqué (no longer parked)"
        if self.parked_at is None:
            return f"{where}: {self.applied} événements appliqués, reprise (applied, resumed)"
        return (f"{where}: {self.applied} appliqués, toujours parqué (still parked)"
                f" at #{self.parked_at}: {self.error}")


class DeadLetterReplay:
    def __init__(self, projections: Sequence[Projection], mapper: Mapper[Any]) -> None:
        self.projections = {(p.application, p.name): p for p in projections}
        self.mapper = mapper

    def retry(self, conn: psycopg.Connection[Any], letter: DeadLetter) -> Outcome:
        return self._replay(conn, letter, None)

    def skip(self, conn: psycopg.Connection[Any], letter: DeadLetter, by: str,
             reason: str) -> Outcome:
        return self._replay(conn, letter, (by, reason))

    def _replay(self, conn: psycopg.Connection[Any], letter: DeadLetter,
                skip: tuple[str, str] | None) -> Outcome:
        projection = self.projections.get((letter.application, letter.projection))
        if projection is None:
            raise ValueError(f"projection inconnue (unknown projection) {letter.projection!r}")
        key = [letter.tenant_id, letter.application, letter.originator_id, letter.projection,
               letter.notification_id]
        where = ("tenant_id = %s AND application = %s AND originator_id = %s AND projection = %s"
                 " AND notification_id = %s AND skipped_at IS NULL")
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                        [ApplicationRunner.lock_key_of(projection)])
            if cur.execute(f"SELECT 1 FROM dead_letters WHERE {where} FOR UPDATE", key).fetchone() is None:
                return Outcome(letter, 0, gone=True)
            if skip:
                cur.execute("UPDATE dead_letters SET skipped_at = now(), skipped_by = %s,"
                            f" skip_reason = %s WHERE {where}", [*skip, *key])
                if isinstance(projection, RecordsAppliedVersions):
                    projection.count_skipped(cur, letter.tenant_id, letter.originator_id,
                                             letter.originator_version)
            items = self._waiting(cur, letter, projection, after_parked=skip is not None)
            applied = 0
            for item in items:
                if (exc := apply_alone(cur, projection, item)) is not None:
                    if item.ctx.notification_id == letter.notification_id:  # a retry, at once
                        cur.execute("UPDATE dead_letters SET attempts = attempts + 1,"
                                    f" last_failed_at = now(), error = %s WHERE {where}",
                                    [describe_error(exc), *key])
                    else:
                        if not skip:
                            cur.execute(f"DELETE FROM dead_letters WHERE {where}", key)
                        park(cur, item.ctx.tenant_id, letter.application, projection.name,
                             item.originator_id, item.ctx.notification_id,
                             item.originator_version, item.topic, exc)
                    return Outcome(letter, applied, item.ctx.notification_id, describe_error(exc))
                applied += 1
            if not skip:
                cur.execute(f"DELETE FROM dead_letters WHERE {where}", key)
            return Outcome(letter, applied)

    def _waiting(self, cur: psycopg.Cursor[Any], letter: DeadLetter, projection: Projection,
                 after_parked: bool) -> list[Item]:
        """The stream's events from the parked one (or after it) up to the projection's
        position: the projector has passed them all, holding them back."""
        query = sql.SQL(
            "SELECT notification_id, originator_version, topic, state, recorded_at FROM {}"
            " WHERE tenant_id = %s AND originator_id = %s AND notification_id >= %s"
            " AND notification_id <= (SELECT coalesce(max(notification_id), 0)"
            "  FROM projection_tracking WHERE projection = %s AND application = %s)"
            " ORDER BY notification_id").format(sql.Identifier(letter.events_table))
        first = letter.notification_id + (1 if after_parked else 0)
        rows = cur.execute(query, [letter.tenant_id, letter.originator_id, first,
                                   projection.name, letter.application]).fetchall()
        oid = letter.originator_id
        return [Item(Context(cur, letter.tenant_id, nid, at), oid, version, topic,
                     decode(self.mapper, oid, version, topic, state), ())
                for nid, version, topic, state, at in rows]
