"""A mixed workload over many records: summary reads and edits in every tab, over HTTP.

    /work/venv/bin/python bench/mixed_workload.py --persons 10000 --clients 20 --duration 60

Setup (not timed, through the services, in threads): one organization, 20 practitioners
(`--practitioners`) all in ONE team, P persons; each person grants that team co_edit on all
four tabs (one team grant per person instead of 20 practitioner grants: any practitioner
may then work on any record, which the workload relies on), and gets some content: one open
assessment with 5 ratings, 1-2 relationships, 1 strength, 1 goal with 1 action. The web
(`python -m infra.web`, with the consent guard) and the projector (bench/projector_child.py)
run as separate processes; the projector runs during the setup and the timed phase waits
until it has caught up with every event; then ANALYZE gives the planner its statistics, as
autovacuum would after such a load.

Timed: C concurrent HTTP clients (httpx.AsyncClient, each logged in as one practitioner,
CSRF header) pick a random person not being worked on by another client (so two clients
never race on one aggregate) and one operation:
  40 % summary  GET  /persons/{p}/summary
  20 % ratings  POST /persons/{p}/assessments/{a}/ratings (3-5 themes)
  20 % network  POST /persons/{p}/network/relationships (add) or PATCH …/{r} (revise)
  20 % plan     PUT goal text, POST goal progress, POST goal actions, POST action done
until --duration seconds or --operations operations. Any non-2xx answer stops the run and
fails it (exit status 1) with the first error printed."""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import psutil
import psycopg
from common import (
    ALL_TABS,
    CLOSENESS,
    CSRF_HEADER,
    FREQUENCIES,
    NAMES,
    REL_TYPES,
    THEMES,
    Children,
    Content,
    RssSampler,
    _raise_interrupt,
    bench_database,
    cheap_password_hashing,
    child_env,
    command_line,
    cpu_between,
    cpu_mark,
    fill_record,
    free_port,
    loadavg,
    log,
    login,
    open_org,
    open_person,
    parallel,
    speed_probe,
    start_projector,
    summary_ms,
    wait_for_health,
    wait_for_projections,
)
from light_http import LightClient, same_session
from results_folder import report_path

from infra.platform import WriteSide
from infra.settings import get_settings

MIX = (("summary", 40), ("ratings", 20), ("network", 20), ("plan", 20))
SUMMARY_P99_TARGET_MS = 50.0


@dataclass
class Load:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k, _ in MIX})
    sub: dict[str, int] = field(default_factory=dict)  # counts of the exact command
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    done: int = 0


async def client_loop(client: httpx.AsyncClient | LightClient, records: list[Content], busy: set[int],
                      rng: random.Random, load: Load, stop: asyncio.Event,
                      budget: list[int]) -> None:
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    while not stop.is_set():
        if budget[0] <= 0:
            return
        budget[0] -= 1
        while (i := rng.randrange(len(records))) in busy:
            pass
        busy.add(i)
        rec = records[i]
        kind = rng.choices(kinds, weights)[0]
        base = f"/persons/{rec.person_id}"
        body: Any = None
        try:
            if kind == "summary":
                sub, method, path, body = "summary", "GET", base + "/summary", None
            elif kind == "ratings":
                sub, method, path = "rate", "POST", f"{base}/assessments/{rec.assessment_id}/ratings"
                body = {"ratings": [{"theme": t, "value": rng.randint(0, 100)}
                                    for t in rng.sample(THEMES, rng.randint(3, 5))]}
            elif kind == "network":
                if not rec.relationships or rng.random() < 0.3:
                    sub, method, path = "add relationship", "POST", base + "/network/relationships"
                    body = {"name": rng.choice(NAMES), "relationship_type": rng.choice(REL_TYPES),
                            "quality": rng.randint(1, 5), "closeness": rng.choice(CLOSENESS),
                            "frequency": rng.choice(FREQUENCIES)}
                else:
                    sub, method = "revise relationship", "PATCH"
                    path = f"{base}/network/relationships/{rng.choice(rec.relationships)}"
                    body = rng.choice([{"quality": rng.randint(1, 5)},
                                       {"closeness": rng.choice(CLOSENESS),
                                        "frequency": rng.choice(FREQUENCIES)}])
            else:
                goal = rng.choice(rec.goals)
                gpath = f"{base}/plan/goals/{goal}"
                open_actions = rec.open_actions[goal]
                choice = rng.randrange(4)
                if choice == 0:
                    sub, method, path = "reword goal", "PUT", gpath + "/text"
                    body = {"text": f"Objectif reformulé {rng.randint(0, 10**6)}"}
                elif choice == 1:
                    sub, method, path = "goal progress", "POST", gpath + "/progress"
                    body = {"value": rng.randint(0, 100)}
                elif choice == 2 or not open_actions:
                    sub, method, path = "add action", "POST", gpath + "/actions"
                    body = {"text": f"Action {rng.randint(0, 10**6)}", "who": "person"}
                else:
                    action = open_actions.pop(rng.randrange(len(open_actions)))
                    sub, method, path = "action done", "POST", f"{gpath}/actions/{action}/done"
                    body = None
            started = time.perf_counter()
            try:
                response = await client.request(method, path, json=body)
            except (httpx.HTTPError, OSError, asyncio.IncompleteReadError) as exc:
                load.errors.append(f"{sub} {method} {path}: {exc!r}")
                stop.set()
                return
            elapsed = time.perf_counter() - started
            if response.status_code >= 300:
                load.errors.append(f"{sub} {method} {path}: HTTP {response.status_code} "
                                   f"{response.text[:400]}")
                stop.set()
                return
            load.latencies[kind].append(elapsed)
            load.sub[sub] = load.sub.get(sub, 0) + 1
            load.done += 1
            if kind == "summary" and len(response.json().get("tabs", [])) != 4:
                load.errors.append(f"summary of {rec.person_id} has tabs "
                                   f"{response.json().get('tabs')}, expected all four")
                stop.set()
                return
            if sub == "add relationship":
                rec.relationships.append(uuid.UUID(response.json()["id"]))
            elif sub == "add action":
                open_actions.append(uuid.UUID(response.json()["id"]))
        finally:
            busy.discard(i)


async def run_load(base_url: str, slug: str, logins: list[str], records: list[Content],
                   clients: int, duration: float | None, operations: int | None,
                   mark: Any, http_client: str = "light") -> Load:
    load = Load()
    logged_in = [httpx.AsyncClient(base_url=base_url + "/api/v1", timeout=60,
                                   limits=httpx.Limits(max_connections=2))
                 for _ in range(clients)]
    sessions: list[Any] = logged_in
    try:
        for i, client in enumerate(logged_in):
            await login(client, slug, logins[i % len(logins)])
        if http_client == "light":
            sessions = [same_session(client, CSRF_HEADER) for client in logged_in]
        stop = asyncio.Event()
        busy: set[int] = set()
        budget = [operations if operations else 10**12]
        mark("start")
        load.started = time.perf_counter()
        tasks = [asyncio.create_task(client_loop(c, records, busy, random.Random(seed), load,
                                                 stop, budget))
                 for seed, c in enumerate(sessions)]
        if duration:
            await asyncio.wait(tasks, timeout=duration)
            stop.set()
        await asyncio.gather(*tasks)
        load.finished = time.perf_counter()
        mark("end")
    finally:
        for client in {*logged_in, *sessions}:
            await client.aclose()
    return load


def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = get_settings()
    mode = "external" if settings.database_url else "embedded"
    log_dir = Path(tempfile.mkdtemp(prefix="mixed_bench_"))
    children = Children(log_dir)
    sampler = RssSampler(0.1)
    load_before_setup = loadavg()
    with bench_database(args.keep) as (servers, dbname):
        log(f"database {dbname} on {mode} servers; projector first, then setup")
        projector = start_projector(children, servers, settings)
        setup_started = time.perf_counter()
        side = WriteSide(servers, settings, pool_size=args.setup_threads)
        try:
            with cheap_password_hashing():
                org = open_org(side, args.practitioners, team=True)
                assert org.team_id is not None
                team_id = org.team_id

                def one(i: int) -> Content:
                    rng = random.Random(i)
                    person = open_person(side, org, f"person-{i:05d}")
                    side.consent.grant(person, person.user_id, "team", team_id, ALL_TABS,
                                       "co_edit", None)
                    author = org.practitioners[i % len(org.practitioners)]
                    return fill_record(side, author, person.user_id, rng,
                                       relationships=1 + i % 2)

                records = parallel(one, range(args.persons), args.setup_threads, args.persons,
                                   "persons")
        finally:
            side.close()
        setup_s = time.perf_counter() - setup_started
        log(f"setup writes done in {setup_s:.0f} s; waiting for the projector")
        drain_s = wait_for_projections(servers, settings, children)
        observer = psycopg.connect(servers.admin.conninfo(), autocommit=True)
        # The statistics autovacuum would give after this load (it is off here; ADR 15, 5.)
        analyze_started = time.perf_counter()
        observer.execute("ANALYZE")
        analyze_s = time.perf_counter() - analyze_started
        log(f"projector caught up {drain_s:.0f} s later; ANALYZE {analyze_s:.1f} s; starting the web")

        pg_version = observer.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        events = observer.execute(
            "SELECT (SELECT count(*) FROM qualityoflife_events) + (SELECT count(*) FROM"
            " network_events) + (SELECT count(*) FROM strengths_events) + (SELECT count(*)"
            " FROM plan_events) + (SELECT count(*) FROM consent_events)"
            " + (SELECT count(*) FROM accounts_events)").fetchone()[0]  # type: ignore[index]
        port = free_port()
        web = children.start("web", [sys.executable, "-m", "infra.web"], child_env(servers, port))
        sampler.watch("web", web.pid)
        sampler.watch("projector", projector.pid)
        sampler.start()
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(base_url, children)
            procs = {"web": psutil.Process(web.pid), "projector": psutil.Process(projector.pid),
                     "bench": psutil.Process()}
            marks: dict[str, Any] = {}
            load_before = loadavg()
            log(f"load average {load_before}; running {args.clients} clients for "
                + (f"{args.operations} operations" if args.operations else f"{args.duration} s"))
            load = asyncio.run(run_load(
                base_url, org.slug, org.practitioner_logins, records, args.clients,
                None if args.operations else args.duration, args.operations,
                lambda name: marks.__setitem__(name, cpu_mark(procs, dbname)), args.http_client))
            load_after = loadavg()
            children.check_alive()
            access_rows = observer.execute("SELECT count(*) FROM access_log").fetchone()[0]  # type: ignore[index]
        finally:
            observer.close()
            sampler.halt.set()
            children.stop("web")
            children.stop("projector")

    wall = load.finished - load.started
    latency = {k: summary_ms(v) for k, v in load.latencies.items()}
    total = sum(len(v) for v in load.latencies.values())
    all_writes = [x for k, v in load.latencies.items() if k != "summary" for x in v]
    p99 = latency["summary"]["p99_ms"]
    return {
        "command": command_line(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cores": psutil.cpu_count(), "platform": platform.platform(terse=True),
                    "python": platform.python_version(), "python_loop_10m_s": speed_probe()},
        "servers": {"mode": mode, "postgres": pg_version, "database": dbname},
        "setup": {"persons": args.persons, "practitioners": args.practitioners,
                  "grants": "one team grant per person (team of all practitioners), co_edit, "
                            "all four tabs",
                  "content_per_person": "1 open assessment with 5 ratings, 1-2 relationships, "
                                        "1 strength, 1 goal with 1 action",
                  "events_before_load": int(events), "writes_s": round(setup_s, 1),
                  "projector_drain_after_writes_s": round(drain_s, 1),
                  "analyze_s": round(analyze_s, 1),
                  "threads": args.setup_threads},
        "clients": args.clients, "http_client": args.http_client, "mix": dict(MIX),
        "wall_s": round(wall, 2), "operations": total,
        "operations_per_s": round(total / wall, 1) if wall else None,
        "latency": latency, "writes_all": summary_ms(all_writes), "commands": load.sub,
        "errors": load.errors[:20], "error_count": len(load.errors),
        "access_log_rows_after": int(access_rows),
        "peak_rss_mib": sampler.peak_mib(),
        "cpu": cpu_between(marks["start"], marks["end"]) if "end" in marks else None,
        "load_average": {"before_setup": load_before_setup, "before_load": load_before,
                         "after_load": load_after},
        "target_summary_p99_under_50_ms":
            None if p99 is None else ("met" if p99 < SUMMARY_P99_TARGET_MS
                                      else f"NOT met ({p99} ms)"),
        "child_logs": str(log_dir),
    }


def render(r: dict[str, Any]) -> str:
    cpu = r["cpu"] or {"cpu_s": {}, "machine_busy_pct": None, "other_processes_cpu_s": None}
    lines = [
        "Baromètre — mixed workload (summary reads + edits in every tab)",
        f"command:  {r['command']}",
        (f"date:     {r['date']}   {r['machine']['cores']} cores, {r['machine']['platform']};"
         f" 10M-step Python loop {r['machine'].get('python_loop_10m_s')} s"),
        f"servers:  {r['servers']['mode']} PostgreSQL {r['servers']['postgres']}",
        (f"setup:    {r['setup']['persons']} persons, {r['setup']['practitioners']} practitioners"
         f" in one team; {r['setup']['grants']}; {r['setup']['events_before_load']:,} events;"
         f" writes {r['setup']['writes_s']} s + projector drain"
         f" {r['setup']['projector_drain_after_writes_s']} s"),
        (f"load:     {r['clients']} clients ({r['http_client']}), {r['wall_s']} s, {r['operations']} operations,"
         f" {r['operations_per_s']} ops/s, errors {r['error_count']}"),
        f"  {'operation':<10}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}",
    ]
    for kind, s in [*r["latency"].items(), ("all writes", r["writes_all"])]:
        f = lambda v: "-".rjust(9) if v is None else f"{v:9.1f}"
        lines.append(f"  {kind:<10}{s['count']:>7}{f(s['p50_ms'])}{f(s['p99_ms'])}"
                     f"{f(s['mean_ms'])}{f(s['max_ms'])}")
    lines += [
        "  commands: " + ", ".join(f"{k} {v}" for k, v in sorted(r["commands"].items())),
        "  peak RSS MiB: " + ", ".join(f"{k} {v}" for k, v in r["peak_rss_mib"].items()),
        "  CPU s during the load: " + ", ".join(f"{k} {v}" for k, v in cpu["cpu_s"].items())
        + f"; machine busy {cpu['machine_busy_pct']} %, other processes"
          f" {cpu['other_processes_cpu_s']} s",
        f"  load average: {r['load_average']}",
        (f"Target summary p99 < 50 ms at {r['clients']} clients: "
         f"{r['target_summary_p99_under_50_ms']}"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=10000)
    parser.add_argument("--practitioners", type=int, default=20)
    parser.add_argument("--clients", "-c", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds of load (default 60; ignored with --operations)")
    parser.add_argument("--operations", type=int, default=None,
                        help="stop after this many operations instead of a duration")
    parser.add_argument("--setup-threads", type=int, default=8)
    parser.add_argument("--http-client", choices=("light", "httpx"), default="light",
                        help="client of the timed loop (bench/light_http.py, or httpx)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--json", default=None, help="JSON report path (default "
                        "var/bench/results/mixed_workload-<date>.json)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.perf_counter()
    report = run(args)
    report["total_run_s"] = round(time.perf_counter() - started, 1)
    text = render(report)
    if report["errors"]:
        text += (f"\n\n!! the run FAILED ({report['error_count']} error(s)); figures not valid."
                 f"\n   first error: {report['errors'][0]}")
    print(text)
    path = report_path("mixed_workload", args.json)
    path.write_text(json.dumps({**report, "table": text.splitlines()}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nJSON report: {path}   (total run {report['total_run_s']} s)")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("interrupted; child processes stopped", file=sys.stderr)
        raise SystemExit(130) from None
