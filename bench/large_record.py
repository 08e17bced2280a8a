"""A record with 20,000 history entries for one theme reads as fast as a small one (ADR 30).

    .venv/bin/python bench/large_record.py --reads 300

Setup (not timed): one organization, two persons, each written through the services (one
assessment rating 10 themes, `housing` rated 5 times), then given rows of `housing` history
and twice as many timeline rows, written straight into the read models by the projector role
with the tenant set (qol_theme_history, record_timeline), so the setup takes seconds; what
is measured is the read path, which reads only those tables. The LARGE record gets --entries
(20,000), the SMALL one --small-entries (150: its first page is as full as the large one's,
so the two differ only in what lies beyond it).

Timed: one web process (`python -m infra.web`); each person, logged in, reads their own
GET themes/housing/history, GET ratings and GET timeline (each the default first page, then
the page after it through Next-Cursor / next_cursor), --reads times each, large and small
in turn so that machine noise hits both alike. Prints p50/p99 in ms per read and the ratio
large/small."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import psycopg
from common import (
    PASSWORD,
    Children,
    bench_database,
    cheap_password_hashing,
    child_env,
    command_line,
    free_port,
    log,
    open_org,
    open_person,
    percentile,
    speed_probe,
    start_projector,
    wait_for_health,
)

from domain.catalog import load_catalog
from infra.platform import WriteSide
from infra.settings import get_settings

_HISTORY = """
INSERT INTO qol_theme_history (tenant_id, notification_id, person_id, theme, kind, perspective,
  value, comment, assessment_id, author_id, at)
SELECT %(tenant)s, %(base)s + g, %(person)s, 'housing', 'ThemeRated', 'person', g %% 101, NULL,
  %(assessment)s, %(person)s, now() - make_interval(secs => %(n)s - g)
FROM generate_series(1, %(n)s) g"""
_TIMELINE = """
INSERT INTO record_timeline (tenant_id, application, notification_id, person_id, tab, kind,
  subject_id, author_id, at, details)
SELECT %(tenant)s, 'QualityOfLife', %(base)s + g, %(person)s, 'quality_of_life', 'Rated',
  %(assessment)s, %(person)s, now() - make_interval(secs => 2 * %(n)s - g),
  jsonb_build_object('ratings', jsonb_build_array(jsonb_build_array('housing', g %% 101)))
FROM generate_series(1, 2 * %(n)s) g"""


def _write_records(side: WriteSide, entries: int) -> tuple[Any, dict[str, Any]]:
    org = open_org(side, practitioners=0, team=False)
    themes = list(load_catalog().themes)[:10]
    people = {}
    for name in ("small", "large"):
        person = open_person(side, org, f"{name}-record")
        assessment = side.quality_of_life.open_assessment(person, person.user_id).id
        side.quality_of_life.rate(person, assessment, [(t, 50) for t in themes],
                                  person_id=person.user_id)
        for value in range(5):
            last = side.quality_of_life.rate(person, assessment, [("housing", value * 10)],
                                             person_id=person.user_id)
        people[name] = (person, assessment, last)
    return org, people


def _bulk_history(conninfo: str, tenant: Any, person: Any, assessment: Any, entries: int,
                  base: int) -> None:
    """Rows at notification ids base + 1.. (beyond any real event of the run)."""
    with psycopg.connect(conninfo, autocommit=False) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", [str(tenant)])
        args = {"tenant": tenant, "person": person, "assessment": assessment, "n": entries,
                "base": base}
        conn.execute(_HISTORY, args)
        conn.execute(_TIMELINE, args)
        conn.commit()
        conn.execute("ANALYZE qol_theme_history")
        conn.execute("ANALYZE record_timeline")


def _caught_up(conninfo: str, tenant: Any, notification_id: int, timeout: float = 120) -> None:
    """Until every QualityOfLife view has the person's last command (the projector runs)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(conninfo, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE notification_id >= %s), count(*)"
                " FROM projection_tracking WHERE tenant_id = %s AND application = 'QualityOfLife'",
                [notification_id, tenant]).fetchone()
            if row and row[1] and row[0] == row[1]:
                return
            if time.monotonic() > deadline:
                raise RuntimeError("the projector did not catch up")
            time.sleep(0.2)


def _reads(client: httpx.Client, base: str) -> dict[str, float]:
    """One read of each list, first page then the next (seconds per request)."""
    took = {}
    for name, url, cursor_of, parameter in (
            ("history", base + "/themes/housing/history",
             lambda r: r.headers.get("Next-Cursor"), "cursor"),
            ("ratings", base + "/ratings", lambda r: r.headers.get("Next-Cursor"), "cursor"),
            ("timeline", base + "/timeline", lambda r: r.json()["next_cursor"], "before")):
        started = time.perf_counter()
        first = client.get(url)
        took[name] = time.perf_counter() - started
        if first.status_code != 200:
            raise RuntimeError(f"{url}: {first.status_code} {first.text}")
        cursor = cursor_of(first)
        if cursor:
            started = time.perf_counter()
            second = client.get(url, params={parameter: cursor})
            took[name + " (next page)"] = time.perf_counter() - started
            if second.status_code != 200:
                raise RuntimeError(f"{url}: {second.status_code} {second.text}")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--small-entries", type=int, default=150)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    settings = get_settings()
    probe = speed_probe()
    with bench_database(args.keep_database) as (servers, _), \
            tempfile.TemporaryDirectory() as logs:
        started = time.perf_counter()
        with cheap_password_hashing():
            side = WriteSide(servers, pool_size=4)
            try:
                org, people = _write_records(side, args.entries)
            finally:
                side.close()
        children = Children(Path(logs))
        start_projector(children, servers, settings)
        for person, _, last in people.values():
            _caught_up(servers.projector_db(settings).conninfo(), org.tenant_id,
                       last.notification_id)
        for base, (name, entries) in enumerate((("large", args.entries),
                                                 ("small", args.small_entries)), 1):
            person, assessment, _ = people[name]
            _bulk_history(servers.projector_db(settings).conninfo(), org.tenant_id,
                          person.user_id, assessment, entries, base * 1_000_000_000)
        log(f"setup {time.perf_counter() - started:.1f} s ({args.entries} history entries,"
            f" {2 * args.entries} timeline rows on the large record)")
        port = free_port()
        children.start("web", [sys.executable, "-m", "infra.web"], child_env(servers, port))
        base_url = f"http://127.0.0.1:{port}"
        wait_for_health(base_url, children)
        clients = {}
        for name, (person, _, _) in people.items():
            client = httpx.Client(base_url=base_url + "/api/v1", timeout=60)
            login = client.post("/auth/login", json={"organization": org.slug,
                                                     "login": f"{name}-record", "password": PASSWORD})
            login.raise_for_status()
            clients[name] = (client, f"/persons/{person.user_id}")
        samples: dict[tuple[str, str], list[float]] = {}
        for i in range(args.warmup + args.reads):
            for name in (("small", "large") if i % 2 else ("large", "small")):
                client, base = clients[name]
                for read, seconds in _reads(client, base).items():
                    if i >= args.warmup:
                        samples.setdefault((read, name), []).append(seconds)
        children.stop_all()
    report: dict[str, Any] = {"command": command_line(), "python_loop_s": round(probe, 3),
                              "entries": args.entries, "reads": args.reads, "ms": {}}
    for (read, name), values in sorted(samples.items()):
        p50, p99 = percentile(values, 50), percentile(values, 99)
        report["ms"][f"{read} / {name}"] = {"p50": round(1000 * (p50 or 0), 2),
                                           "p99": round(1000 * (p99 or 0), 2)}
    for read in ("history", "ratings", "timeline"):
        large, small = report["ms"][f"{read} / large"], report["ms"][f"{read} / small"]
        report["ms"][f"{read} / ratio large:small"] = {
            k: round(large[k] / small[k], 2) if small[k] else None for k in ("p50", "p99")}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
