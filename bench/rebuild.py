"""Rebuild speed against a raw ordered scan of the same events tables, in the same run.

Writes a seed organization through the services (persons with content in all four tabs),
copies its stored events into `--copies` more tenants by one INSERT per events table (new
tenant and stream ids, the same stored bytes), then times: the scan (every events table,
`SELECT … ORDER BY notification_id`, all rows fetched), the rebuild of one projection
(`--one`), and `rebuild --all`'s path; it prints events/s and the ratios to the scan.

    .venv/bin/python bench/rebuild.py --persons 40 --copies 80
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

import psycopg
from common import (
    THEMES,
    bench_database,
    cheap_password_hashing,
    fill_record,
    log,
    open_org,
    open_person,
    speed_probe,
)
from psycopg import sql

from infra.platform import WriteSide, all_projections, event_mapper
from infra.projector_process import projection_named
from infra.rebuild import rebuild

APPLICATIONS = sorted({p.application for p in all_projections()})


def seed(side: WriteSide, persons: int) -> None:
    """A realistic mix: quality of life (two sittings, perceptions, comments, stars) dominates."""
    rng = random.Random(7)
    org = open_org(side, practitioners=2, team=True)
    author = org.practitioners[0]
    for n in range(persons):
        person = open_person(side, org, f"person-{n:04d}")
        content = fill_record(side, author, person.user_id, rng, ratings=55, relationships=3,
                              strengths=3, goals=2, actions=3)
        qol = side.quality_of_life
        qol.rate(author, content.assessment_id,
                 [(t, rng.randint(0, 100)) for t in rng.sample(THEMES, 20)])
        qol.record_perceptions(org.practitioners[1], content.assessment_id,
                               [(t, rng.randint(0, 100)) for t in rng.sample(THEMES, 10)], "vu")
        for theme in rng.sample(THEMES, 3):
            qol.comment(author, content.assessment_id, theme, "un commentaire")
            qol.star(author, content.assessment_id, theme)
        side.consent.grant(person, person.user_id, "practitioner", author.user_id,
                           ["plan"], "read")


def copy_events(admin: psycopg.Connection[Any], copies: int) -> None:
    """Each events table's rows again in `copies` new tenants, in notification order."""
    for app in APPLICATIONS:
        table = sql.Identifier(f"{app.lower()}_events")
        admin.execute(sql.SQL(
            "INSERT INTO {t} (tenant_id, originator_id, originator_version, topic, state,"
            " recorded_at) SELECT md5(c || ':' || e.tenant_id)::uuid,"
            " md5(c || ':' || e.originator_id)::uuid, e.originator_version, e.topic, e.state,"
            " e.recorded_at FROM generate_series(1, %s) c, (SELECT * FROM {t}"
            " ORDER BY notification_id) e ORDER BY c, e.notification_id").format(t=table),
            [copies])
    admin.execute("VACUUM ANALYZE")


def scan(conn: psycopg.Connection[Any], applications: list[str]) -> tuple[int, float]:
    """Every event of these applications' tables, fetched in notification order."""
    events, started = 0, time.perf_counter()
    for app in applications:
        rows = conn.execute(sql.SQL(
            "SELECT tenant_id, notification_id, originator_id, originator_version, topic, state,"
            " recorded_at FROM {} ORDER BY notification_id").format(
                sql.Identifier(f"{app.lower()}_events"))).fetchall()
        events += len(rows)
    return events, time.perf_counter() - started


def timed_rebuild(conn: psycopg.Connection[Any], names: list[str]) -> tuple[int, float]:
    projections = [projection_named(n) for n in names]
    started = time.perf_counter()
    done = rebuild(conn, projections, event_mapper())
    elapsed = time.perf_counter() - started
    by_app = {p.application: done[p.name] for p in projections}
    return sum(by_app.values()), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=40, help="persons in the seed tenant")
    parser.add_argument("--copies", type=int, default=80, help="tenants copied from the seed")
    parser.add_argument("--one", default="qol_theme_history", help="the single projection")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    with bench_database(args.keep) as (servers, _):
        side = WriteSide(servers, pool_size=2)
        with cheap_password_hashing():
            seed(side, args.persons)
        side.close()
        with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
            copy_events(admin, args.copies)
        with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
            probe = speed_probe()
            one = projection_named(args.one)
            scan_one = scan(conn, [one.application])
            rebuilt_one = timed_rebuild(conn, [one.name])
            scan_all = scan(conn, APPLICATIONS)
            rebuilt_all = timed_rebuild(conn, [p.name for p in all_projections()])
    report = {"python_loop_s": probe, "events": scan_all[0]}
    for label, (events, seconds), (_, scan_seconds) in (
            (f"rebuild {args.one}", rebuilt_one, scan_one), ("rebuild --all", rebuilt_all, scan_all)):
        report[label] = {"events": events, "seconds": round(seconds, 2),
                         "events_per_s": round(events / seconds),
                         "scan_events_per_s": round(events / scan_seconds),
                         "ratio_to_scan": round(scan_seconds / seconds, 3)}
    log(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
