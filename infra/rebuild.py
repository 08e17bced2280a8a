"""Rebuilds: read models replayed from event 0 into new tables, swapped in at once (ADR 27).

`rebuild` runs in one transaction. It opens a schema of new, empty tables (`rebuild_begin`,
migration 019), and replays each application's events once for all of that application's
projections into them: the transaction's search_path puts the new tables first, so the
projections' own SQL writes there unchanged. Then, holding the projections' locks, it
replays the events committed meanwhile, swaps the new tables in (`rebuild_swap`) and
replaces the projections' tracking. Until that commit, the live views and their tracking are
untouched and the live projector keeps them moving; a failure, or a killed process, rolls
everything back, the new tables included."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Mapper
from psycopg import sql

from infra.dead_letters import HELD_FOR
from infra.platform import all_projections, event_mapper
from infra.projector import ApplicationRunner, Progress
from infra.projector_items import Item, Undecodable, apply_one, decode
from infra.projector_process import projection_named
from projections.framework import Context, Projection

BATCH_SIZE = 5000  # events per round trip: large, since nobody waits on a rebuild's batch


class RebuildFailed(Exception):
    """The rebuild changed nothing; the message, one line, names the event and the cause."""


@dataclass
class _Replay:
    """One application's events, read once in notification order, applied to its projections."""

    application: str
    projections: list[Projection]
    mapper: Mapper[Any]
    batch_size: int
    position: int = 0
    events: int = 0
    batches: int = 0
    last: dict[UUID, int] = field(default_factory=dict)  # per tenant: the tracking to swap in

    @property
    def table(self) -> str:
        return f"{self.application.lower()}_events"

    def count(self, conn: psycopg.Connection[Any]) -> int:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(self.table))).fetchone()
        return int(row[0]) if row else 0

    def run(self, conn: psycopg.Connection[Any], schema: str, progress: Progress | None) -> None:
        """Applies every event after `position`, batch by batch, until the end of the log;
        an event that dead letters hold back from a projection (ADR 26) is not applied to it,
        as the live runner does not, so the rebuild equals the incremental views."""
        query = sql.SQL("SELECT e.tenant_id, e.notification_id, e.originator_id,"
                        " e.originator_version, e.topic, e.state, e.recorded_at, " + HELD_FOR
                        + " FROM {} e WHERE e.notification_id > %(after)s"
                        " ORDER BY e.notification_id LIMIT %(size)s").format(sql.Identifier(self.table))
        while rows := conn.execute(query, {"application": self.application, "after": self.position,
                                           "size": self.batch_size}).fetchall():
            self._apply(conn, rows)
            self.position = rows[-1][1]
            self.events += len(rows)
            self.batches += 1
            if self.batches & (self.batches - 1) == 0:  # after batch 1, 2, 4, 8…: as they grow
                conn.execute("SELECT rebuild_analyze(%s)", [schema])
            if progress:
                progress(len(rows))

    def _apply(self, conn: psycopg.Connection[Any], rows: list[tuple[Any, ...]]) -> None:
        first, last = rows[0][1], rows[-1][1]
        try:
            with conn.pipeline(), conn.cursor() as cur:
                items = [Item(Context(cur, tenant, nid, at), oid, version, topic,
                              decode(self.mapper, oid, version, topic, state), held_for)
                         for tenant, nid, oid, version, topic, state, at, held_for in rows]
                for projection in self.projections:
                    projection.begin_batch()
                    for item in items:
                        if projection.name not in item.held_for:
                            self._apply_one(projection, item)
                    projection.end_batch(cur)
        except psycopg.Error as exc:
            raise RebuildFailed(f"{self.application}: notifications {first} to {last}: {exc}") from exc
        for row in rows:
            self.last[row[0]] = row[1]

    def _apply_one(self, projection: Projection, item: Item) -> None:
        try:
            apply_one(projection, item)
        except psycopg.Error:
            raise
        except Exception as exc:
            why = "does not decode" if isinstance(item.event, Undecodable) else "cannot be applied"
            raise RebuildFailed(f"{projection.name}: notification {item.ctx.notification_id} of"
                                f" {self.table} {why}: {exc!r}") from exc


def _replays(projections: Sequence[Projection], mapper: Mapper[Any], batch_size: int) -> list[_Replay]:
    groups: dict[str, list[Projection]] = {}
    for projection in sorted(projections, key=lambda p: p.name):
        groups.setdefault(projection.application, []).append(projection)
    return [_Replay(app, group, mapper, batch_size) for app, group in sorted(groups.items())]


def _shared_tables(projections: Sequence[Projection]) -> set[str]:
    """Tables that projections outside this rebuild also write (one application's timeline)."""
    names = {p.name for p in projections}
    return {t for p in all_projections() if p.name not in names for t in p.tables}


def rebuild(conn: psycopg.Connection[Any], projections: Sequence[Projection],
            mapper: Mapper[Any] | None = None, batch_size: int = BATCH_SIZE,
            progress: Progress | None = None,
            on_total: Callable[[int], None] | None = None) -> dict[str, int]:
    """Rebuilds the projections from event 0, all or nothing, on an autocommit connection of
    the projector role; returns the events replayed for each (its application's). Raises
    RebuildFailed, having changed nothing, if an event cannot be decoded or applied."""
    replays = _replays(projections, mapper or event_mapper(), batch_size)
    tables = sorted({t for p in projections for t in p.tables})
    shared = _shared_tables(projections) & set(tables)
    with conn.transaction():
        # One rebuild of a projection at a time: two would each keep the other's live tables
        # from being dropped (the copies read them), and deadlock at the swap.
        for projection in sorted(projections, key=lambda p: p.name):
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rebuild:{projection.name}"])
        schema = _scalar(conn, "SELECT rebuild_begin(%s)", [tables])
        live_path = _scalar(conn, "SELECT current_setting('search_path')", [])
        conn.execute("SELECT set_config('search_path', %s, true)", [f'"{schema}", {live_path}'])
        if on_total:
            on_total(sum(replay.count(conn) for replay in replays))
        for replay in replays:
            replay.run(conn, schema, progress)
        # The live projector skips a projection while its lock is held: from here to the
        # commit it neither writes the old tables nor moves their tracking.
        for projection in sorted(projections, key=lambda p: p.name):
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                         [ApplicationRunner.lock_key_of(projection)])
        for replay in replays:
            replay.run(conn, schema, progress)  # what was committed while the tables were built
        conn.execute("SELECT set_config('search_path', %s, true)", [live_path])
        _merge_shared(conn, schema, projections, shared)
        conn.execute("SELECT rebuild_swap(%s, %s)", [schema, sorted(set(tables) - shared)])
        for replay in replays:
            _swap_tracking(conn, replay)
    return {p.name: replay.events for replay in replays for p in replay.projections}


def _merge_shared(conn: psycopg.Connection[Any], schema: str, projections: Sequence[Projection],
                  shared: set[str]) -> None:
    """A table other projections also write is not swapped: this rebuild's rows replace the
    live rows its projections own (as their `clear` deletes them), in the same transaction."""
    if not shared:
        return
    with conn.cursor() as cur:
        for projection in projections:
            if shared & set(projection.tables):
                projection.clear(cur)
        for table in sorted(shared):
            cur.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(
                sql.Identifier("public", table), sql.Identifier(schema, table)))


def _swap_tracking(conn: psycopg.Connection[Any], replay: _Replay) -> None:
    names = [p.name for p in replay.projections]
    conn.execute("DELETE FROM projection_tracking WHERE application = %s AND projection = ANY(%s)",
                 [replay.application, names])
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO projection_tracking (tenant_id, projection, application, notification_id)"
            " VALUES (%s, %s, %s, %s)",
            [(tenant, name, replay.application, nid) for tenant, nid in replay.last.items()
             for name in names])


def _scalar(conn: psycopg.Connection[Any], query: str, params: list[Any]) -> str:
    row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return str(row[0])


def rebuild_named(conninfo: str, names: Sequence[str], progress: Progress | None = None,
                  on_total: Callable[[int], None] | None = None,
                  batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Rebuilds the named projections together, as the projector role (conninfo)."""
    projections = [projection_named(name) for name in names]  # unknown names: ValueError first
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return rebuild(conn, projections, event_mapper(), batch_size, progress, on_total)
