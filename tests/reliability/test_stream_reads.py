"""A read of one stream walks the primary key, even on an events table without statistics
(migration 015, ADR 18): it must not scan the tenant's whole history to find one stream.

The probe application's tables are created, filled and read in one transaction that is rolled
back, so autovacuum can never analyse them; PostgreSQL's per-transaction counters tell which
index each read used and how many entries it fetched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from infra.database.params import WEB_ROLE
from infra.platform import Servers

STREAMS, EVENTS_PER_STREAM = 60, 50
READ = "SELECT originator_version FROM barometre_select_from_streamprobe_events(%s, %s, %s, %s, %s, %s)"


@pytest.fixture
def probe(servers: Servers) -> Iterator[tuple[psycopg.Connection[Any], UUID, list[UUID]]]:
    """One tenant's 3,000 events in 60 streams of a new application's table, never analysed."""
    tenant, streams = uuid4(), [uuid4() for _ in range(STREAMS)]
    with psycopg.connect(servers.admin.conninfo()) as conn:
        conn.execute("SELECT create_event_tables('streamprobe')")
        conn.execute("SELECT create_event_store_functions('streamprobe')")
        conn.execute(
            "INSERT INTO streamprobe_events (tenant_id, originator_id, originator_version, topic,"
            " state) SELECT %s, s, v, 'tests:Probe', '\\x7b7d' FROM unnest(%s::uuid[]) AS s,"
            " generate_series(1, %s) AS v", [tenant, streams, EVENTS_PER_STREAM])
        conn.execute(f"SET LOCAL ROLE {WEB_ROLE}")
        yield conn, tenant, streams
        conn.rollback()


def index_use(conn: psycopg.Connection[Any]) -> dict[str, tuple[int, int]]:
    """Scans and entries fetched, per index of the probe's events table, in this transaction."""
    rows = conn.execute(
        "SELECT c.relname, pg_stat_get_xact_numscans(c.oid), pg_stat_get_xact_tuples_fetched(c.oid)"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = 'streamprobe_events'::regclass").fetchall()
    return {name.removeprefix("streamprobe_events_"): (scans, fetched) for name, scans, fetched in rows}


def versions(conn: psycopg.Connection[Any], *args: Any) -> list[int]:
    return [row[0] for row in conn.execute(READ, args).fetchall()]


def test_reads_of_one_stream_use_only_the_primary_key_and_fetch_only_their_range(probe) -> None:  # type: ignore[no-untyped-def]
    conn, tenant, streams = probe
    stream = streams[7]
    assert versions(conn, tenant, stream, EVENTS_PER_STREAM, None, False, None) == []  # none newer
    assert versions(conn, tenant, stream, None, None, False, None) == list(range(1, 51))
    assert versions(conn, tenant, stream, 10, 20, False, 3) == [11, 12, 13]
    assert versions(conn, tenant, stream, None, 20, True, 2) == [20, 19]
    assert versions(conn, tenant, stream, 45, None, True, None) == [50, 49, 48, 47, 46]
    used = index_use(conn)
    assert used["tenant_idx"] == (0, 0)
    assert used["pkey"] == (5, 0 + 50 + 3 + 2 + 5)  # each read fetched only what it returned


def test_another_tenant_reads_nothing_of_the_stream(probe) -> None:  # type: ignore[no-untyped-def]
    conn, _, streams = probe
    assert versions(conn, uuid4(), streams[0], None, None, False, None) == []


def test_each_tenant_reads_its_own_stream_of_a_shared_id(probe) -> None:  # type: ignore[no-untyped-def]
    """Two tenants may hold streams of one id (migration 023): a read sees its tenant's only."""
    conn, tenant, streams = probe
    other = uuid4()
    conn.execute("RESET ROLE")
    conn.execute("INSERT INTO streamprobe_events (tenant_id, originator_id, originator_version,"
                 " topic, state) SELECT %s, %s, v, 'tests:Other', '\\x7b7d'"
                 " FROM generate_series(1, 3) AS v", [other, streams[3]])
    conn.execute(f"SET LOCAL ROLE {WEB_ROLE}")
    assert versions(conn, other, streams[3], None, None, False, None) == [1, 2, 3]
    assert versions(conn, tenant, streams[3], None, None, False, None) == list(range(1, 51))
    assert versions(conn, other, streams[3], 1, None, True, 1) == [3]


def plans(conn: psycopg.Connection[Any], *args: Any) -> list[dict[str, Any]]:
    """The plans PostgreSQL ran for the statements inside one read (auto_explain, as JSON)."""
    notices: list[str] = []
    conn.add_notice_handler(lambda notice: notices.append(notice.message_primary or ""))
    conn.execute("RESET ROLE")
    conn.execute("LOAD 'auto_explain'")
    for setting in ("log_min_duration = 0", "log_nested_statements = on", "log_format = json"):
        conn.execute(f"SET LOCAL auto_explain.{setting}")
    conn.execute("SET LOCAL client_min_messages = log")
    conn.execute(f"SET LOCAL ROLE {WEB_ROLE}")
    versions(conn, *args)
    conn.execute("SET LOCAL client_min_messages = notice")
    return [json.loads(text.split("plan:", 1)[1])["Plan"] for text in notices if "plan:" in text]


def scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "Relation Name" in plan:
        yield plan
    for child in plan.get("Plans", []):
        yield from scans(child)


@pytest.mark.parametrize("descending", [False, True])
def test_a_read_is_one_primary_key_range_from_tenant_and_stream_to_its_version_bounds(
        probe, descending: bool) -> None:  # type: ignore[no-untyped-def]
    conn, tenant, streams = probe
    found = [scan for plan in plans(conn, tenant, streams[7], 10, 20, descending, 3)
             for scan in scans(plan)]
    assert [(s["Node Type"], s["Relation Name"], s["Index Name"]) for s in found] == [
        ("Index Scan", "streamprobe_events", "streamprobe_events_pkey")]
    condition = found[0]["Index Cond"]
    for bound in ("tenant_id = $", "originator_id = $", "originator_version > $",
                  "originator_version <= $"):
        assert bound in condition
    assert found[0]["Scan Direction"] == ("Backward" if descending else "Forward")  # no sort
    assert "Filter" not in found[0]


def test_the_reads_of_migration_014_scanned_the_tenants_history_on_the_same_table(probe) -> None:  # type: ignore[no-untyped-def]
    """The control: the same probe sees the tenant index that the old reads used, on the
    primary key they had (the stream's id first: migration 023 put the tenant before it)."""
    conn, tenant, streams = probe
    conn.execute("RESET ROLE")
    conn.execute("ALTER TABLE streamprobe_events DROP CONSTRAINT streamprobe_events_pkey,"
                 " ADD PRIMARY KEY (originator_id, originator_version)")
    conn.execute("SELECT create_event_store_functions_014('streamprobe')")
    conn.execute(f"SET LOCAL ROLE {WEB_ROLE}")
    assert versions(conn, tenant, streams[7], EVENTS_PER_STREAM, None, False, None) == []
    assert index_use(conn)["tenant_idx"][0] == 1


def test_migration_015_regenerated_the_reads_of_every_application(projector_conn) -> None:  # type: ignore[no-untyped-def]
    """The existing applications' read functions, events and snapshots, are the new ones."""
    rows = projector_conn.execute(
        "SELECT proname, pg_get_functiondef(oid) FROM pg_proc"
        " WHERE proname LIKE 'barometre_select_from_%'").fetchall()
    names = {name for name, _ in rows}
    assert {"barometre_select_from_qualityoflife_events",
            "barometre_select_from_qualityoflife_snapshots",
            "barometre_select_from_accounts_events"} <= names
    stale = [name for name, text in rows
             if "enable_bitmapscan" not in text or "originator_version > lo" not in text
             or "e.tenant_id = tenant AND" not in text]  # and migration 023's tenant bound
    assert stale == []
