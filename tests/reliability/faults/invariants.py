"""What must hold after any crash, read from the database itself: each acknowledged command
stored exactly once and whole, and the views equal to the same views rebuilt from zero."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from infra.platform import Servers, all_projections
from infra.rebuild import rebuild_named
from tests.reliability.faults.command_load import THEMES, Command, Writer, index_of

Snapshot = dict[str, list[tuple[Any, ...]]]


def stored_commands(conn: psycopg.Connection[Any], tenant_id: UUID,
                    writers: list[Writer]) -> tuple[dict[int, list[tuple[int, int]]], list[str]]:
    """Per writer, the (command index, last version) of each whole command in its stream, in
    order; and every run of events that is not one whole command (a partial command)."""
    stored: dict[int, list[tuple[int, int]]] = {}
    partial: list[str] = []
    for n, writer in enumerate(writers):
        rows = conn.execute(
            "SELECT originator_version, topic, state FROM qualityoflife_events"
            " WHERE tenant_id = %s AND originator_id = %s AND originator_version > 1"
            " ORDER BY originator_version", [tenant_id, writer.assessment_id]).fetchall()
        stored[n] = []
        for start in range(0, len(rows), 3):
            group = rows[start:start + 3]
            states = [json.loads(bytes(state)) for _, topic, state in group]
            themes = tuple(s.get("theme") for s in states)
            index = index_of(tuple(s.get("value") for s in states))
            if themes != THEMES or index is None:
                partial.append(f"writer {n}: versions {[v for v, _, _ in group]} are "
                               f"{list(zip(themes, [s.get('value') for s in states], strict=True))}")
                break  # the walk in threes is off from here on
            stored[n].append((index, group[-1][0]))
    return stored, partial


def exactly_once_problems(commands: list[Command], stored: dict[int, list[tuple[int, int]]]
                          ) -> list[str]:
    """Every acknowledged command stored once, at the version its answer gave; none twice."""
    problems = []
    for n, entries in stored.items():
        problems += [f"writer {n}: command {index} stored {times} times"
                     for index, times in Counter(i for i, _ in entries).items() if times > 1]
    versions = {(n, index): version for n, entries in stored.items() for index, version in entries}
    for command in commands:
        if command.answer is None:
            continue
        version = versions.get((command.writer, command.index))
        if version is None:
            problems.append(f"writer {command.writer}: acknowledged command {command.index} "
                            f"is not stored (answer {command.answer})")
        elif command.answer.get("version") != version:
            problems.append(f"writer {command.writer}: command {command.index} answered "
                            f"version {command.answer.get('version')}, stored at {version}")
    return problems


# Views -----------------------------------------------------------------------------------------
PROJECTIONS = all_projections()


def wait_until_projected(conn: psycopg.Connection[Any], tenant_id: UUID,
                         timeout: float = 60) -> None:
    """Until every projection has applied every event of the tenant's applications."""
    deadline = time.monotonic() + timeout
    while (behind := _behind(conn, tenant_id)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the views did not catch up within {timeout} s: {behind}")
        time.sleep(0.1)


def _behind(conn: psycopg.Connection[Any], tenant_id: UUID) -> list[str]:
    behind = []
    for projection in PROJECTIONS:
        events = sql.Identifier(f"{projection.application.lower()}_events")
        row = conn.execute(sql.SQL(
            "SELECT (SELECT max(notification_id) FROM {} WHERE tenant_id = %(t)s),"
            " (SELECT notification_id FROM projection_tracking WHERE tenant_id = %(t)s"
            " AND projection = %(p)s AND application = %(a)s)").format(events),
            {"t": tenant_id, "p": projection.name, "a": projection.application}).fetchone()
        last, applied = row if row else (None, None)
        if last is not None and (applied or 0) < last:
            behind.append(f"{projection.name} at {applied} of {last}")
    return behind


def read_views(conn: psycopg.Connection[Any]) -> Snapshot:
    """Every row of every read table, every tenant, in a stable order."""
    return {table: sorted(conn.execute(sql.SQL("SELECT * FROM {}").format(
        sql.Identifier(table))).fetchall(), key=repr)
        for projection in PROJECTIONS for table in projection.tables}


def views_differing_from_rebuild(servers: Servers, tenant_id: UUID) -> list[str]:
    """The read tables whose live contents differ from a rebuild from position 0."""
    conninfo = servers.projector_db().conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        wait_until_projected(conn, tenant_id)
        live = read_views(conn)
        rebuild_named(conninfo, [p.name for p in PROJECTIONS])  # all at once (ADR 27)
        rebuilt = read_views(conn)
    return [f"{table}: {len(live[table])} live rows, {len(rebuilt[table])} rebuilt"
            for table in live if live[table] != rebuilt[table]]
