"""The baselines the end-to-end write path is measured against (qol_throughput.py): the same
N x 57 events, in the same three transactions per assessment, written (a) by a bare
eventsourcing Application, C threads: with the domain's own Assessment aggregate (the very
events the end-to-end path stores), and with a tiny aggregate whose events hold only a theme
and a value; (b) by raw asyncpg executemany into a table of the events tables' shape, states
of the end-to-end path's mean size, C connections."""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import asyncpg
import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from harness import CpuMark, cpu_between, summary_ms

from domain.catalog import load_catalog
from domain.quality_of_life.assessment import Assessment
from infra.platform import Servers

EVENTS_PER_ASSESSMENT = 57  # opened + 55 ratings + completed
BATCHES = (1, 55, 1)  # events per write transaction, as the service saves them


# Baseline (a): the bare eventsourcing library -------------------------------------------
# Two aggregates: the domain's own Assessment, whose events are the very events the end-to-end
# path stores (the target's comparator, ADR 19), and a tiny one whose events carry only a theme
# and a value (the baseline of the earlier sessions, still reported).
class Sheet(Aggregate):
    """The tiny aggregate (module level: topics must resolve)."""

    @event("Opened")
    def __init__(self, person_id: uuid.UUID) -> None:
        self.person_id = person_id
        self.ratings: dict[str, int] = {}
        self.completed = False

    @event("Rated")
    def rate(self, theme: str, value: int) -> None:
        self.ratings[theme] = value

    @event("Completed")
    def complete(self) -> None:
        self.completed = True


class BenchSheets(Application):  # type: ignore[type-arg]
    """A plain Application; its own table benchsheets_events, created by the library."""


class BenchAssessments(Application):  # type: ignore[type-arg]
    """A plain Application of the domain's Assessment; its own table benchassessments_events."""


Steps = Callable[[Application, random.Random], Iterator[None]]  # yields after each transaction


def sheet_steps(app: Application, rng: random.Random) -> Iterator[None]:
    themes = list(load_catalog().themes)
    sheet = Sheet(person_id=uuid.uuid4())
    app.save(sheet)
    yield
    sheet = app.repository.get(sheet.id)  # as the service: load, 55 changes, one save
    for theme in themes:
        sheet.rate(theme, rng.randint(0, 100))
    app.save(sheet)
    yield
    sheet = app.repository.get(sheet.id)
    sheet.complete()
    app.save(sheet)
    yield


def assessment_steps(app: Application, rng: random.Random) -> Iterator[None]:
    """The service's three commands on the domain's aggregate, without HTTP, consent, tenancy
    or the platform's recorders: open, rate the 55 themes, complete."""
    catalog = load_catalog()
    practitioner = uuid.uuid4()
    assessment = Assessment.open(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), catalog.version,
                                 practitioner)
    app.save(assessment)
    yield
    assessment = app.repository.get(assessment.id)
    for theme in catalog.themes:
        assessment.rate(catalog, theme, rng.randint(0, 100), practitioner)
    app.save(assessment)
    yield
    assessment = app.repository.get(assessment.id)
    assessment.complete(practitioner)
    app.save(assessment)
    yield


BARE_AGGREGATES: dict[str, tuple[type[Application], Steps]] = {
    "assessment": (BenchAssessments, assessment_steps),
    "sheet": (BenchSheets, sheet_steps),
}


def bare_library(servers: Servers, clients: int, assessments: int,
                 mark: Callable[[], CpuMark], aggregate: str = "assessment") -> dict[str, Any]:
    admin = servers.admin
    application, steps = BARE_AGGREGATES[aggregate]
    app = application(env={
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": admin.dbname, "POSTGRES_HOST": admin.host,
        "POSTGRES_PORT": str(admin.port), "POSTGRES_USER": admin.user,
        "POSTGRES_PASSWORD": admin.password, "POSTGRES_POOL_SIZE": str(clients),
        "CREATE_TABLE": "y",
    })
    table = f"{application.name.lower()}_events"
    latencies: dict[str, list[float]] = {"open": [], "ratings": [], "complete": []}
    lock = threading.Lock()
    counter = iter(range(assessments))
    counter_lock = threading.Lock()

    def one_assessment(rng: random.Random) -> None:
        times = [time.perf_counter()]
        for _ in steps(app, rng):
            times.append(time.perf_counter())
        with lock:
            for kind, begun, done in zip(latencies, times[:-1], times[1:], strict=True):
                latencies[kind].append(done - begun)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while True:
            with counter_lock:
                if next(counter, None) is None:
                    return
            one_assessment(rng)

    try:
        before = mark()
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            for future in [pool.submit(worker, seed) for seed in range(clients)]:
                future.result()
        wall = time.perf_counter() - started
        cpu = cpu_between(before, mark())  # while the pool's backends still exist
        with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
            row = conn.execute(f"SELECT count(*), avg(length(state))::float FROM {table}"
                               ).fetchone()  # the class's own table name
    finally:
        app.close()
    assert row is not None
    events = assessments * EVENTS_PER_ASSESSMENT
    return {"aggregate": aggregate, "wall_s": round(wall, 3), "events": events,
            "events_stored": int(row[0]), "mean_state_bytes": round(float(row[1] or 0), 1),
            "events_per_s": round(events / wall, 1),
            "assessments_per_s": round(assessments / wall, 2),
            "transactions": {k: summary_ms(v) for k, v in latencies.items()}, "cpu": cpu}


# Baseline (b): raw asyncpg executemany ------------------------------------------------------
RAW_TABLE = """
CREATE TABLE IF NOT EXISTS bench_raw_events (
  tenant_id uuid NOT NULL, originator_id uuid NOT NULL, originator_version bigint NOT NULL,
  topic text NOT NULL, state bytea NOT NULL, notification_id bigserial,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, originator_id, originator_version));
CREATE UNIQUE INDEX IF NOT EXISTS bench_raw_events_notification_id_idx
  ON bench_raw_events (notification_id);
CREATE INDEX IF NOT EXISTS bench_raw_events_tenant_idx ON bench_raw_events (tenant_id, notification_id);
"""
RAW_INSERT = ("INSERT INTO bench_raw_events (tenant_id, originator_id, originator_version, topic,"
              " state) VALUES ($1, $2, $3, $4, $5)")


async def raw_asyncpg(servers: Servers, clients: int, assessments: int, state_bytes: int,
                      mark: Callable[[], CpuMark]) -> dict[str, Any]:
    kwargs = servers.admin.asyncpg_kwargs()
    conn = await asyncpg.connect(**kwargs)
    try:
        await conn.execute(RAW_TABLE)
    finally:
        await conn.close()
    tenant = uuid.uuid4()
    topics = ("bench:Sheet.Opened", "bench:Sheet.Rated", "bench:Sheet.Completed")
    latencies: dict[str, list[float]] = {"open": [], "ratings": [], "complete": []}
    counter = iter(range(assessments))
    pool = await asyncpg.create_pool(min_size=clients, max_size=clients, **kwargs)
    assert pool is not None

    async def worker() -> None:
        async with pool.acquire() as conn:
            while next(counter, None) is not None:
                originator = uuid.uuid4()
                version = 0
                for kind, topic, size in zip(latencies, topics, BATCHES, strict=True):
                    rows = []
                    for _ in range(size):
                        version += 1
                        rows.append((tenant, originator, version, topic,
                                     os.urandom(state_bytes)))
                    started = time.perf_counter()
                    async with conn.transaction():
                        await conn.executemany(RAW_INSERT, rows)
                    latencies[kind].append(time.perf_counter() - started)

    try:
        before = mark()
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - started
        cpu = cpu_between(before, mark())
        async with pool.acquire() as conn:
            stored = await conn.fetchval("SELECT count(*) FROM bench_raw_events")
    finally:
        await pool.close()
    events = assessments * EVENTS_PER_ASSESSMENT
    return {"wall_s": round(wall, 3), "events": events, "events_stored": int(stored),
            "state_bytes": state_bytes, "events_per_s": round(events / wall, 1),
            "assessments_per_s": round(assessments / wall, 2),
            "transactions": {k: summary_ms(v) for k, v in latencies.items()}, "cpu": cpu}
