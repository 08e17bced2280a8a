"""The projector: applies events to read models exactly once, resuming from tracking.

Each batch is one transaction holding the projection's advisory lock: it re-reads the
position, applies the next events, and moves the per-tenant tracking rows, so a crash,
a restart or a concurrent rebuild can neither skip nor repeat an event."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg import sql

from projections.framework import Context, Projection

log = logging.getLogger("barometre.projector")
Progress = Callable[[int], None]


class ProjectionFailed(Exception):
    def __init__(self, projection: Projection, notification_id: int, cause: BaseException) -> None:
        super().__init__(f"{projection.name} failed at notification {notification_id}: {cause!r}")
        self.projection = projection.name
        self.application = projection.application
        self.notification_id = notification_id


class ProjectionRunner:
    """Runs one projection over one application's events table."""

    def __init__(self, projection: Projection, mapper: Mapper[Any], batch_size: int = 500) -> None:
        self.projection = projection
        self.mapper = mapper
        self.batch_size = batch_size
        self.events_table = f"{projection.application.lower()}_events"

    @property
    def lock_key(self) -> str:
        return f"projection:{self.projection.name}"

    def position(self, conn: psycopg.Connection[Any]) -> int:
        row = conn.execute(
            "SELECT coalesce(max(notification_id), 0) FROM projection_tracking"
            " WHERE projection = %s AND application = %s",
            [self.projection.name, self.projection.application]).fetchone()
        return int(row[0]) if row else 0

    def backlog(self, conn: psycopg.Connection[Any]) -> int:
        query = sql.SQL("SELECT count(*) FROM {} WHERE notification_id > %s").format(
            sql.Identifier(self.events_table))
        with conn.transaction():
            row = conn.execute(query, [self.position(conn)]).fetchone()
        return int(row[0]) if row else 0

    def run_batch(self, conn: psycopg.Connection[Any]) -> int:
        """Applies up to batch_size events in one transaction; returns how many it read."""
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [self.lock_key])
            rows = conn.execute(
                sql.SQL("SELECT tenant_id, notification_id, originator_id, originator_version,"
                        " topic, state, recorded_at FROM {} WHERE notification_id > %s"
                        " ORDER BY notification_id LIMIT %s").format(
                    sql.Identifier(self.events_table)),
                [self.position(conn), self.batch_size]).fetchall()
            if rows:
                self._apply(conn, rows)
            return len(rows)

    def _apply(self, conn: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]]) -> None:
        last: dict[Any, int] = {}
        with conn.cursor() as cur:
            for tenant_id, nid, oid, version, topic, state, recorded_at in rows:
                try:
                    event = self.mapper.to_domain_event(StoredEvent(oid, version, topic, bytes(state)))
                    self.projection.apply(Context(cur, tenant_id, nid, recorded_at), event)
                except Exception as exc:
                    raise ProjectionFailed(self.projection, nid, exc) from exc
                last[tenant_id] = nid
            cur.executemany(
                "INSERT INTO projection_tracking (tenant_id, projection, application,"
                " notification_id) VALUES (%s, %s, %s, %s) ON CONFLICT (tenant_id, projection,"
                " application) DO UPDATE SET notification_id = excluded.notification_id",
                [(t, self.projection.name, self.projection.application, n) for t, n in last.items()])

    def catch_up(self, conn: psycopg.Connection[Any], progress: Progress | None = None) -> int:
        total = 0
        while count := self.run_batch(conn):
            total += count
            if progress:
                progress(count)
        return total

    def reset(self, conn: psycopg.Connection[Any]) -> None:
        """Empties the projection's tables and tracking, under its lock, in one transaction."""
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [self.lock_key])
            with conn.cursor() as cur:
                self.projection.clear(cur)
            conn.execute("DELETE FROM projection_tracking WHERE projection = %s AND application = %s",
                         [self.projection.name, self.projection.application])

    def rebuild(self, conn: psycopg.Connection[Any], progress: Progress | None = None,
                on_total: Callable[[int], None] | None = None) -> int:
        self.reset(conn)
        if on_total:
            on_total(self.backlog(conn))
        return self.catch_up(conn, progress)


def record_failure(conninfo: str, failure: ProjectionFailed) -> None:
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO projection_failures (projection, application, notification_id, error)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (projection, application, notification_id)"
                " DO UPDATE SET attempts = projection_failures.attempts + 1,"
                " error = excluded.error, last_failed_at = now()",
                [failure.projection, failure.application, failure.notification_id, str(failure)])
    except psycopg.Error:
        log.exception("could not record the projection failure")


class ApplicationFollower(threading.Thread):
    """Follows the logs its runners read, over one LISTEN connection and one working
    connection whatever the number of applications, projections or tenants: wakes on
    NOTIFY (catching up only the applications notified) or every poll interval (all of
    them); on failure it records a dead letter, backs off and retries."""

    def __init__(self, conninfo: str, label: str, runners: Iterable[ProjectionRunner],
                 stop: threading.Event, poll_interval: float = 0.5) -> None:
        super().__init__(name=f"projector-{label}", daemon=True)
        self.conninfo = conninfo
        self.runners = list(runners)
        self.stop_event = stop
        self.poll_interval = poll_interval

    def run(self) -> None:
        backoff = 0.2
        while not self.stop_event.is_set():
            started = time.monotonic()
            try:
                self._follow()
            except ProjectionFailed as failure:
                log.error("%s", failure)
                record_failure(self.conninfo, failure)
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
            due = set(channels)
            while not self.stop_event.is_set():
                for runner in self.runners:
                    if runner.events_table in due:
                        runner.catch_up(worker)
                due = {n.channel for n in listener.notifies(timeout=self.poll_interval, stop_after=1)}
                due |= {n.channel for n in listener.notifies(timeout=0)}  # others already queued
                due = due or channels
