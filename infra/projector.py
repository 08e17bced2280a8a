"""The projector: applies events to read models exactly once, resuming from tracking.

Each batch is one transaction holding the projections' advisory locks: it re-reads their
positions, applies the next events, and moves the per-tenant tracking rows, so a crash,
a restart or a concurrent rebuild can neither skip nor repeat an event. The live runner
parks a stream whose event a projection cannot apply and goes on with the others (ADR 26)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Mapper
from psycopg import sql

from infra.dead_letters import HELD_FOR, park
from infra.projector_items import Item, apply_alone, apply_one, decode, is_transient
from projections.framework import Context, Projection

log = logging.getLogger("barometre.projector")
Progress = Callable[[int], None]


class ProjectionFailed(Exception):
    def __init__(self, projection: Projection, tenant_id: Any, notification_id: int,
                 cause: BaseException) -> None:
        super().__init__(f"{projection.name} failed at notification {notification_id}: {cause!r}")
        self.projection = projection.name
        self.application = projection.application
        self.tenant_id = tenant_id
        self.notification_id = notification_id


class ApplicationRunner:
    """Runs the projections that follow one application's events table, each batch read and
    decoded once for all of them, in one pipelined transaction.

    Every projection keeps its own lock and tracking; the live runner skips a projection
    whose lock is taken (a rebuild), the explicit one (wait_for_locks) waits for it.
    Every runner leaves alone the events that dead letters hold back; on an event a
    projection cannot apply, one that parks_failures parks its stream and goes on, the
    others raise ProjectionFailed naming the event, having changed nothing."""

    def __init__(self, projections: Sequence[Projection], mapper: Mapper[Any],
                 batch_size: int = 500, wait_for_locks: bool = False,
                 parks_failures: bool = False) -> None:
        applications = {p.application for p in projections}
        if len(applications) != 1:
            raise ValueError(f"one application per runner, not {sorted(applications)}")
        self.application = applications.pop()
        self.projections = sorted(projections, key=lambda p: p.name)  # one lock order for all
        self.mapper = mapper
        self.batch_size = batch_size
        self.wait_for_locks = wait_for_locks
        self.parks_failures = parks_failures
        self.events_table = f"{self.application.lower()}_events"
        self._events = sql.SQL(
            "SELECT e.tenant_id, e.notification_id, e.originator_id, e.originator_version,"
            " e.topic, e.state, e.recorded_at, " + HELD_FOR + " FROM {} e"
            " WHERE e.notification_id > %(after)s ORDER BY e.notification_id LIMIT %(size)s").format(
            sql.Identifier(self.events_table))

    @staticmethod
    def lock_key_of(projection: Projection) -> str:
        return f"projection:{projection.name}"

    def _lock(self, conn: psycopg.Connection[Any]) -> list[Projection]:
        if self.wait_for_locks:
            for projection in self.projections:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [self.lock_key_of(projection)])
            return list(self.projections)
        # One round trip for all of them (a try never waits, so their order cannot deadlock).
        row = conn.execute(
            "SELECT array_agg(pg_try_advisory_xact_lock(hashtext(k)) ORDER BY i)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(k, i)",
            [[self.lock_key_of(p) for p in self.projections]]).fetchone()
        taken = row[0] if row else None
        return [p for p, locked in zip(self.projections, taken or [], strict=True) if locked]

    def positions(self, conn: psycopg.Connection[Any], projections: Sequence[Projection]) -> dict[str, int]:
        rows = conn.execute(
            "SELECT projection, max(notification_id) FROM projection_tracking"
            " WHERE application = %s AND projection = ANY(%s) GROUP BY projection",
            [self.application, [p.name for p in projections]]).fetchall()
        found = {name: int(position) for name, position in rows}
        return {p.name: found.get(p.name, 0) for p in projections}

    def backlog(self, conn: psycopg.Connection[Any]) -> int:
        query = sql.SQL("SELECT count(*) FROM {} WHERE notification_id > %s").format(
            sql.Identifier(self.events_table))
        with conn.transaction():
            start = min(self.positions(conn, self.projections).values())
            row = conn.execute(query, [start]).fetchone()
        return int(row[0]) if row else 0

    def run_batch(self, conn: psycopg.Connection[Any]) -> int:
        """Applies the next events in one transaction; returns how many it read."""
        try:
            return self._batch(conn, pipelined=True)
        except (ProjectionFailed, psycopg.Error):
            if conn.broken:
                raise
            # A statement failed inside the pipeline, where it cannot be pinned to an event:
            # run the same batch again without it, which names (or parks) the event.
            return self._batch(conn, pipelined=False)

    def _batch(self, conn: psycopg.Connection[Any], pipelined: bool) -> int:
        with conn.transaction():
            projections = self._lock(conn)
            if not projections:
                return 0
            positions = self.positions(conn, projections)
            rows = conn.execute(self._events, {"application": self.application, "size": self.batch_size,
                                               "after": min(positions.values())}).fetchall()
            if rows:
                if pipelined:
                    with conn.pipeline(), conn.cursor() as cur:
                        self._apply(cur, projections, positions, self._items(cur, rows))
                else:
                    with conn.cursor() as cur:
                        self._apply(cur, projections, positions, self._items(cur, rows),
                                    isolate=self.parks_failures)
            return len(rows)

    def _items(self, cur: psycopg.Cursor[Any], rows: Sequence[tuple[Any, ...]]) -> list[Item]:
        return [Item(Context(cur, tenant_id, nid, recorded_at), oid, version, topic,
                     decode(self.mapper, oid, version, topic, state), held_for)
                for tenant_id, nid, oid, version, topic, state, recorded_at, held_for in rows]

    def _apply(self, cur: psycopg.Cursor[Any], projections: Sequence[Projection],
               positions: dict[str, int], items: Sequence[Item], isolate: bool = False) -> None:
        tracking: list[tuple[Any, str, str, int]] = []
        for projection in projections:
            position = positions[projection.name]
            if not isolate:
                last = self._apply_together(cur, projection, position, items)
            else:
                try:
                    with cur.connection.transaction():  # a savepoint
                        last = self._apply_together(cur, projection, position, items)
                except ProjectionFailed as failure:
                    if is_transient(failure):
                        raise
                    last = self._apply_one_by_one(cur, projection, position, items)
            tracking += [(t, projection.name, self.application, n) for t, n in last.items()]
        cur.executemany(
            "INSERT INTO projection_tracking (tenant_id, projection, application, notification_id)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (tenant_id, projection, application)"
            " DO UPDATE SET notification_id = excluded.notification_id", tracking)

    @staticmethod
    def _apply_together(cur: psycopg.Cursor[Any], projection: Projection, position: int,
                        items: Sequence[Item]) -> dict[UUID, int]:
        """The projection's events of the batch, its writes in one end_batch; returns each
        tenant's last event read (applied, or held back behind a parked one)."""
        last: dict[UUID, int] = {}
        projection.begin_batch()
        for item in items:
            if item.ctx.notification_id <= position:
                continue
            last[item.ctx.tenant_id] = item.ctx.notification_id
            if projection.name not in item.held_for:
                try:
                    apply_one(projection, item)
                except Exception as exc:
                    raise ProjectionFailed(projection, item.ctx.tenant_id, item.ctx.notification_id,
                                           exc) from exc
        try:
            projection.end_batch(cur)
        except Exception as exc:  # the batch's collected writes: name its last event
            last_item = items[-1].ctx
            raise ProjectionFailed(projection, last_item.tenant_id, last_item.notification_id,
                                   exc) from exc
        return last

    def _apply_one_by_one(self, cur: psycopg.Cursor[Any], projection: Projection, position: int,
                          items: Sequence[Item]) -> dict[UUID, int]:
        """As _apply_together, each event in a savepoint of its own: an event that fails parks
        its stream for this projection, and the stream's later events wait behind it."""
        last: dict[UUID, int] = {}
        parked: set[tuple[UUID, UUID]] = set()
        for item in items:
            if item.ctx.notification_id <= position:
                continue
            last[item.ctx.tenant_id] = item.ctx.notification_id
            if projection.name in item.held_for or item.stream in parked:
                continue
            if (exc := apply_alone(cur, projection, item)) is not None:
                log.error("%s parks stream %s of tenant %s at notification %s: %r", projection.name,
                          item.originator_id, item.ctx.tenant_id, item.ctx.notification_id, exc)
                park(cur, item.ctx.tenant_id, self.application, projection.name, item.originator_id,
                     item.ctx.notification_id, item.originator_version, item.topic, exc)
                parked.add(item.stream)
        return last

    def catch_up(self, conn: psycopg.Connection[Any], progress: Progress | None = None) -> int:
        """Batches until one is not full: that one read every event its snapshot had (events
        commit in notification order, ADR 10), so no transaction is spent finding nothing."""
        total = 0
        while count := self.run_batch(conn):
            total += count
            if progress:
                progress(count)
            if count < self.batch_size:
                break
        return total


class ProjectionRunner(ApplicationRunner):
    """Runs one projection, waiting for its lock: catch-ups that must finish."""

    def __init__(self, projection: Projection, mapper: Mapper[Any], batch_size: int = 500) -> None:
        super().__init__([projection], mapper, batch_size, wait_for_locks=True)
        self.projection = projection

    @property
    def lock_key(self) -> str:
        return self.lock_key_of(self.projection)

    def position(self, conn: psycopg.Connection[Any]) -> int:
        return self.positions(conn, [self.projection])[self.projection.name]


def application_runners(projections: Iterable[Projection], mapper: Mapper[Any]) -> list[ApplicationRunner]:
    """One live runner per application, for the follower: it parks what it cannot apply."""
    groups: dict[str, list[Projection]] = {}
    for projection in projections:
        groups.setdefault(projection.application, []).append(projection)
    return [ApplicationRunner(group, mapper, parks_failures=True) for group in groups.values()]


# A round of batches starts at most this often while events keep coming: under load each
# batch then carries several commands' events (one transaction, one set of tracking rows for
# all of them); an event after a quiet spell is applied at once (ADR 15).
GATHER_SECONDS = 0.02


class ApplicationFollower(threading.Thread):
    """Follows the logs its runners read, over one LISTEN connection and one working
    connection whatever the number of applications, projections or tenants: wakes on
    NOTIFY (catching up only the applications notified) or every poll interval (all of
    them), at most one round per `gather` seconds. Its runners park the events they cannot
    apply (ADR 26); on any other failure (the connection, or a runner that does not park)
    it backs off and retries."""

    def __init__(self, conninfo: str, label: str, runners: Iterable[ApplicationRunner],
                 stop: threading.Event, poll_interval: float = 0.5,
                 gather: float = GATHER_SECONDS) -> None:
        super().__init__(name=f"projector-{label}", daemon=True)
        self.conninfo = conninfo
        self.runners = list(runners)
        self.stop_event = stop
        self.poll_interval = poll_interval
        self.gather = gather

    def run(self) -> None:
        backoff = 0.2
        while not self.stop_event.is_set():
            started = time.monotonic()
            try:
                self._follow()
            except ProjectionFailed as failure:
                log.error("%s", failure)
            except psycopg.Error:
                log.exception("projector connection lost; reconnecting")
            # Back off while failures repeat; after a good long run, start again small.
            backoff = 0.2 if time.monotonic() - started > 60 else min(backoff * 2, 30.0)
            self.stop_event.wait(backoff)

    def _follow(self) -> None:
        channels = {runner.events_table for runner in self.runners}  # the library NOTIFYs on these
        with psycopg.connect(self.conninfo, autocommit=True) as listener, \
                psycopg.connect(self.conninfo, autocommit=True) as worker:
            for channel in channels:
                listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            # Read models are rebuilt from the events, and each batch moves its tracking in
            # the same transaction: a crash that loses an unflushed batch loses its tracking
            # with it, and the batch is applied again. So no batch waits for its WAL flush.
            worker.execute("SET synchronous_commit = off")
            due = set(channels)
            while not self.stop_event.is_set():
                began = time.monotonic()
                for runner in self.runners:
                    if runner.events_table in due:
                        runner.catch_up(worker)
                due = {n.channel for n in listener.notifies(timeout=self.poll_interval, stop_after=1)}
                if due and (wait := began + self.gather - time.monotonic()) > 0:
                    self.stop_event.wait(wait)  # busy: let the next batch gather more events
                due |= {n.channel for n in listener.notifies(timeout=0)}  # others already queued
                due = due or channels
