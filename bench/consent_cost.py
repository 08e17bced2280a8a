"""What the consent check costs on the summary read, on a record with 50 grants.

    /work/venv/bin/python bench/consent_cost.py --reads 2000 --clients 8

Setup (not timed, through the services): one organization; the reading practitioner, 30
other practitioners, 10 teams; ONE person who invites 9 close persons and grants 50 times:
30 practitioners + 10 teams + 9 close persons (49, mixed tabs and levels) + 1 co_edit grant
on all four tabs to the reading practitioner. Content in all tabs: a completed assessment
rating all 55 themes and starring 3, 3 relationships, 3 strengths, 2 goals with 2 actions.

Timed: three web processes at the same time, on the same database and Redis:
  (a) guarded       `python -m infra.web` (the consent guard on every /persons/{id}/...
                    route), as configured by default: it keeps the consent inputs between
                    requests and verifies them in the statement that logs each read (ADR 14)
  (b) guarded_cold  the same with BAROMETRE_ACCESS_INPUTS_KEPT=0: every request reads its
                    inputs (`access_inputs`: person, grants, teams), as on a first visit or
                    after any consent, team or account change in the organization
  (c) unguarded     bench/web_child.py --no-consent: the same app, built by the bench with
                    a stand-in for the guard that decides and logs nothing but marks all tabs
                    readable and the person checked, so the summary handler does the same
                    work as behind the guard (one statement, led by setting the tenant).
C clients, each with one session on each server (the same practitioner), read
GET /persons/{p}/summary from (a), (b) and (c) in turn (the order rotates every round), so
machine noise hits all equally; --reads reads per server after --warmup reads each.
The guard's cost includes its decision (and, cold, its query) AND the access-log INSERT it
writes on every request: both are part of the check. The target is judged on (a); (b) is
reported beside it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import random
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import psutil
import psycopg
from common import (
    ALL_TABS,
    BENCH,
    Children,
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
    speed_probe,
    start_projector,
    summary_ms,
    wait_for_health,
    wait_for_projections,
)
from results_folder import report_path

from domain.errors import DomainError
from infra.platform import WriteSide
from infra.settings import get_settings
from services.actor import Actor

OVERHEAD_TARGET_PCT = 10.0
TAB_SETS = (ALL_TABS, ["quality_of_life"], ["plan", "strengths"], ["social_network"])


def set_up(side: WriteSide) -> tuple[Any, Actor, int]:
    org = open_org(side, 31, team=False)
    reader, others = org.practitioners[0], org.practitioners[1:]
    teams = [side.teams.create_team(org.admin, f"Équipe {i}").id for i in range(10)]
    for i, team in enumerate(teams):  # a few members each, so team_ids are realistic
        side.teams.add_practitioner(org.admin, team, others[i].user_id)
    person = open_person(side, org, "person-00000")
    close = []
    for i in range(9):
        r = side.accounts.open_account(person, f"proche-{i}", f"Proche {i}", "close_person",
                                       "bench-Password-0123-qol")
        close.append(("close_person", r.id))
    grantees = ([("practitioner", p.user_id) for p in others] + [("team", t) for t in teams]
                + close)
    rng = random.Random(7)
    for kind, gid in grantees:
        side.consent.grant(person, person.user_id, kind, gid, list(rng.choice(TAB_SETS)),
                           rng.choice(["read", "co_edit"]), None)
    side.consent.grant(person, person.user_id, "practitioner", reader.user_id, ALL_TABS,
                       "co_edit", None)
    content = fill_record(side, reader, person.user_id, rng, ratings=55, relationships=3,
                          strengths=3, goals=2, actions=2)
    for theme in ("housing", "food", "work"):
        with contextlib.suppress(DomainError):  # a theme key not in this catalog: no star
            side.quality_of_life.star(reader, content.assessment_id, theme)
    side.quality_of_life.complete(reader, content.assessment_id)
    return org, person, len(grantees) + 1


async def interleaved(urls: dict[str, str], slug: str, login_name: str, person: Any,
                      clients: int, reads: int, warmup: int, mark: Any) -> dict[str, Any]:
    sessions = [{name: httpx.AsyncClient(base_url=url + "/api/v1", timeout=60)
                 for name, url in urls.items()} for _ in range(clients)]
    lat: dict[str, list[float]] = {name: [] for name in urls}
    errors: list[str] = []
    sizes: dict[str, int] = {}
    path = f"/persons/{person}/summary"
    try:
        for pair in sessions:
            for client in pair.values():
                await login(client, slug, login_name)

        async def one(name: str, client: httpx.AsyncClient, keep: bool) -> None:
            started = time.perf_counter()
            response = await client.get(path)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                errors.append(f"{name}: HTTP {response.status_code} {response.text[:300]}")
                raise RuntimeError(errors[-1])
            body = response.json()
            if len(body["tabs"]) != 4:
                errors.append(f"{name}: tabs {body['tabs']}, expected all four")
                raise RuntimeError(errors[-1])
            sizes[name] = len(response.content)
            if keep:
                lat[name].append(elapsed)

        async def worker(k: int, pair: dict[str, httpx.AsyncClient], n: int, keep: bool) -> None:
            names = list(pair)
            for i in range(n):
                turn = (i + k) % len(names)
                order = names[turn:] + names[:turn]
                for name in order:
                    await one(name, pair[name], keep)

        per_client = [reads // clients + (1 if k < reads % clients else 0) for k in range(clients)]
        await asyncio.gather(*(worker(k, p, max(1, warmup // clients), False)
                               for k, p in enumerate(sessions)))
        mark("start")
        started = time.perf_counter()
        await asyncio.gather(*(worker(k, p, per_client[k], True) for k, p in enumerate(sessions)))
        wall = time.perf_counter() - started
        mark("end")
    finally:
        for pair in sessions:
            for client in pair.values():
                await client.aclose()
    return {"latencies": lat, "wall_s": wall, "errors": errors, "response_bytes": sizes}


SERVERS = ("guarded", "guarded_cold", "unguarded")


def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = get_settings()
    mode = "external" if settings.database_url else "embedded"
    log_dir = Path(tempfile.mkdtemp(prefix="consent_bench_"))
    children = Children(log_dir)
    sampler = RssSampler(0.1)
    with bench_database(args.keep) as (servers, dbname):
        log(f"database {dbname} on {mode} servers; setting up")
        start_projector(children, servers, settings)
        side = WriteSide(servers, settings, pool_size=4)
        try:
            with cheap_password_hashing():
                org, person, grants = set_up(side)
        finally:
            side.close()
        wait_for_projections(servers, settings, children)
        observer = psycopg.connect(servers.admin.conninfo(), autocommit=True)
        pg_version = observer.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        active = observer.execute(
            "SELECT count(DISTINCT grant_id) FROM consent_grants WHERE person_id = %s AND revoked_at IS NULL",
            [person.user_id]).fetchone()[0]  # type: ignore[index]
        rows = observer.execute(
            "SELECT count(DISTINCT grant_id) FROM consent_grants WHERE person_id = %s", [person.user_id]
        ).fetchone()[0]  # type: ignore[index]
        ports = {name: free_port() for name in SERVERS}
        webs = {
            "guarded": children.start("web_guarded", [sys.executable, "-m", "infra.web"],
                                      child_env(servers, ports["guarded"])),
            "guarded_cold": children.start(
                "web_guarded_cold", [sys.executable, "-m", "infra.web"],
                child_env(servers, ports["guarded_cold"]) | {"BAROMETRE_ACCESS_INPUTS_KEPT": "0"}),
            "unguarded": children.start(
                "web_unguarded", [sys.executable, str(BENCH / "web_child.py"), "--port",
                                  str(ports["unguarded"]), "--no-consent"], child_env(servers)),
        }
        children.stop("projector")  # nothing to project during the reads; keep the cores
        for name, proc in webs.items():
            sampler.watch("web_" + name, proc.pid)
        sampler.start()
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        try:
            for url in urls.values():
                wait_for_health(url, children)
            access_before = observer.execute("SELECT count(*) FROM access_log").fetchone()[0]  # type: ignore[index]
            procs = {"web_" + name: psutil.Process(proc.pid) for name, proc in webs.items()}
            procs["bench"] = psutil.Process()
            marks: dict[str, Any] = {}
            load_before = loadavg()
            log(f"load average {load_before}; {args.reads} reads per server, {args.clients} clients")
            result = asyncio.run(interleaved(
                urls, org.slug, org.practitioner_logins[0], person.user_id, args.clients,
                args.reads, args.warmup, lambda n: marks.__setitem__(n, cpu_mark(procs, dbname))))
            load_after = loadavg()
            access_after = observer.execute("SELECT count(*) FROM access_log").fetchone()[0]  # type: ignore[index]
        finally:
            observer.close()
            sampler.halt.set()
            children.stop_all()

    lat = result["latencies"]
    stats = {name: summary_ms(v) for name, v in lat.items()}
    g, c, u = stats["guarded"], stats["guarded_cold"], stats["unguarded"]
    over99 = round(100 * (g["p99_ms"] - u["p99_ms"]) / u["p99_ms"], 1)
    over50 = round(100 * (g["p50_ms"] - u["p50_ms"]) / u["p50_ms"], 1)
    cold99 = round(100 * (c["p99_ms"] - u["p99_ms"]) / u["p99_ms"], 1)
    cold50 = round(100 * (c["p50_ms"] - u["p50_ms"]) / u["p50_ms"], 1)
    cpu = cpu_between(marks["start"], marks["end"])
    reads = len(lat["guarded"])
    return {
        "command": command_line(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cores": psutil.cpu_count(), "platform": platform.platform(terse=True),
                    "python": platform.python_version(), "python_loop_10m_s": speed_probe()},
        "servers": {"mode": mode, "postgres": pg_version, "database": dbname},
        "record": {"grants_given": grants, "consent_grants_rows": int(rows),
                   "active_grants": int(active),
                   "content": "completed assessment (55 ratings, up to 3 stars), "
                              "3 relationships, 3 strengths, 2 goals x 2 actions",
                   "summary_bytes": result["response_bytes"]},
        "clients": args.clients, "reads_per_server": reads, "warmup_per_server": args.warmup,
        "wall_s": round(result["wall_s"], 2),
        "latency": stats,
        "p50_diff_ms": round(g["p50_ms"] - u["p50_ms"], 2),
        "p99_diff_ms": round(g["p99_ms"] - u["p99_ms"], 2),
        "overhead_p50_pct": over50, "overhead_p99_pct": over99,
        "mean_diff_ms": round(g["mean_ms"] - u["mean_ms"], 2),
        "cold": {"p50_diff_ms": round(c["p50_ms"] - u["p50_ms"], 2),
                 "p99_diff_ms": round(c["p99_ms"] - u["p99_ms"], 2),
                 "mean_diff_ms": round(c["mean_ms"] - u["mean_ms"], 2),
                 "overhead_p50_pct": cold50, "overhead_p99_pct": cold99},
        "access_log_rows_written": int(access_after - access_before),
        "cpu_ms_per_read": {name: round(1000 * s / reads, 3)
                            for name, s in cpu["cpu_s"].items()
                            if name.startswith("web_")},
        "cpu": cpu, "peak_rss_mib": sampler.peak_mib(),
        "load_average": {"before": load_before, "after": load_after},
        "target_p99_overhead_at_most_10_pct":
            "met" if over99 <= OVERHEAD_TARGET_PCT else f"NOT met ({over99} %)",
        "errors": result["errors"], "child_logs": str(log_dir),
    }


def render(r: dict[str, Any]) -> str:
    cpu, cold = r["cpu"], r["cold"]
    return "\n".join([
        "Baromètre — cost of the consent check on the summary read (50 grants)",
        f"command:  {r['command']}",
        (f"date:     {r['date']}   {r['machine']['cores']} cores, {r['machine']['platform']};"
         f" 10M-step Python loop {r['machine'].get('python_loop_10m_s')} s"),
        f"servers:  {r['servers']['mode']} PostgreSQL {r['servers']['postgres']}",
        (f"record:   {r['record']['consent_grants_rows']} grants ({r['record']['active_grants']}"
         f" active); {r['record']['content']}; summary {r['record']['summary_bytes']} bytes"),
        (f"reads:    {r['reads_per_server']} per server, interleaved, {r['clients']} clients,"
         f" {r['wall_s']} s"),
        f"  {'server':<14}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}{'CPU ms/read':>13}",
        *(f"  {name:<14}{s['p50_ms']:9.2f}{s['p99_ms']:9.2f}{s['mean_ms']:9.2f}{s['max_ms']:9.2f}"
          f"{r['cpu_ms_per_read'].get('web_' + name, float('nan')):13.2f}"
          for name, s in r["latency"].items()),
        (f"  guard overhead: p50 {r['p50_diff_ms']:+.2f} ms ({r['overhead_p50_pct']:+.1f} %),"
         f" p99 {r['p99_diff_ms']:+.2f} ms ({r['overhead_p99_pct']:+.1f} %),"
         f" mean {r['mean_diff_ms']:+.2f} ms"),
        (f"  cold (inputs read on every request): p50 {cold['p50_diff_ms']:+.2f} ms"
         f" ({cold['overhead_p50_pct']:+.1f} %), p99 {cold['p99_diff_ms']:+.2f} ms"
         f" ({cold['overhead_p99_pct']:+.1f} %), mean {cold['mean_diff_ms']:+.2f} ms"),
        (f"  access-log rows written during the reads: {r['access_log_rows_written']}"
         " (the guarded servers write one per request; part of the check's cost)"),
        "  peak RSS MiB: " + ", ".join(f"{k} {v}" for k, v in r["peak_rss_mib"].items()),
        (f"  machine busy {cpu['machine_busy_pct']} %, other processes "
         f"{cpu['other_processes_cpu_s']} s; load average {r['load_average']}"),
        (f"Target p99 overhead <= 10 %: {r['target_p99_overhead_at_most_10_pct']}"
         f"   (cold: {cold['overhead_p99_pct']:+.1f} %)"),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reads", "-n", type=int, default=2000, help="timed reads per server")
    parser.add_argument("--warmup", type=int, default=100, help="untimed reads per server first")
    parser.add_argument("--clients", "-c", type=int, default=8)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", default=None, help="JSON report path (default "
                        "var/bench/results/consent_cost-<date>.json)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.perf_counter()
    try:
        report = run(args)
    except RuntimeError as exc:
        print(f"!! the run FAILED: {exc}", file=sys.stderr)
        return 1
    report["total_run_s"] = round(time.perf_counter() - started, 1)
    text = render(report)
    print(text)
    path = report_path("consent_cost", args.json)
    path.write_text(json.dumps({**report, "table": text.splitlines()}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nJSON report: {path}   (total run {report['total_run_s']} s)")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("interrupted; child processes stopped", file=sys.stderr)
        raise SystemExit(130) from None
