"""Every key leads with the tenant (migration 023, ADR 31): no row of one tenant can take a key
another tenant needs, and the database can later be sharded by tenant."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from infra.database.migrate import drop_database, ensure_database, migrate
from infra.database.params import DbParams
from infra.platform import Servers

# Tables that belong to the platform, not to a tenant, each with the reason.
PLATFORM_TABLES = {
    "schema_migrations": "the migrator's ledger of the database's schema, shared by every"
                         " tenant and written before any tenant exists",
}

# Written by hand as another tenant's row: an event of no type any projection handles, so
# no tenant's view is changed by it.
STRAY_TOPIC, STRAY_STATE = "eventsourcing.domain:Aggregate.Event", b"{}"


def primary_keys(conn: psycopg.Connection[Any]) -> dict[str, list[str]]:
    """Every table of the schema and its primary key's columns, in order ([] if it has none)."""
    rows = conn.execute(
        "SELECT c.relname, coalesce((SELECT array_agg(a.attname ORDER BY k.i)"
        "  FROM pg_constraint p, unnest(p.conkey) WITH ORDINALITY AS k(attnum, i)"
        "  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        "  WHERE p.conrelid = c.oid AND p.contype = 'p'), '{}')"
        " FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
        " AND c.relkind IN ('r', 'p')").fetchall()
    return {name: list(columns) for name, columns in rows}


def test_every_tables_primary_key_leads_with_the_tenant(projector_conn) -> None:  # type: ignore[no-untyped-def]
    keys = primary_keys(projector_conn)
    assert {"qualityoflife_events", "qualityoflife_snapshots", "access_log",
            "projection_tracking"} <= set(keys)  # the listing sees the schema's tables
    assert set(PLATFORM_TABLES) <= set(keys)  # no exception outlives its table
    not_tenant_first = {name: key for name, key in keys.items()
                        if name not in PLATFORM_TABLES and key[:1] != ["tenant_id"]}
    assert not_tenant_first == {}


def test_event_tables_of_a_new_application_lead_with_the_tenant(servers: Servers) -> None:
    with psycopg.connect(servers.admin.conninfo()) as conn:
        conn.execute("SELECT create_event_tables('keyprobe')")
        keys = primary_keys(conn)
        conn.rollback()
    assert keys["keyprobe_events"] == keys["keyprobe_snapshots"] == [
        "tenant_id", "originator_id", "originator_version"]


def test_a_row_of_another_tenant_at_a_streams_next_version_leaves_its_append_alone(
        new_org, write_side, servers: Servers, projector_conn) -> None:  # type: ignore[no-untyped-def]
    """Finding 7: a row of tenant A at tenant B's (stream, next version) made B's append fail."""
    first, second = new_org(), new_org()
    person = second.open("person")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 70)])  # version 2
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as owner:
        owner.execute(
            "INSERT INTO qualityoflife_events (tenant_id, originator_id, originator_version,"
            " topic, state) VALUES (%s, %s, 3, %s, %s)",
            [first.tenant_id, opened.id, STRAY_TOPIC, STRAY_STATE])
    done = qol.rate(person, opened.id, [("food", 40)])
    assert done.version == 3
    rows = projector_conn.execute(
        "SELECT tenant_id, originator_version FROM qualityoflife_events"
        " WHERE originator_id = %s ORDER BY tenant_id = %s, originator_version",
        [opened.id, second.tenant_id]).fetchall()
    assert rows == [(first.tenant_id, 3), (second.tenant_id, 1), (second.tenant_id, 2),
                    (second.tenant_id, 3)]


# The migration itself, on a database as the release before it left it -----------------------
@pytest.fixture
def earlier_release(servers: Servers) -> Iterator[DbParams]:
    """A database migrated up to migration 022, dropped afterwards."""
    admin = servers.admin.on_database(f"barometre_keys_{secrets.token_hex(4)}")
    ensure_database(admin, admin.dbname)
    try:
        migrate(admin, before="023")
        yield admin
    finally:
        drop_database(admin, admin.dbname)


def _event(conn: psycopg.Connection[Any], tenant: UUID, stream: UUID, version: int) -> int:
    row = conn.execute(
        "INSERT INTO qualityoflife_events (tenant_id, originator_id, originator_version, topic,"
        " state) VALUES (%s, %s, %s, %s, %s) RETURNING notification_id",
        [tenant, stream, version, STRAY_TOPIC, STRAY_STATE]).fetchone()
    assert row is not None
    return int(row[0])


def test_the_migration_moves_the_keys_of_existing_rows_and_keeps_them(earlier_release) -> None:  # type: ignore[no-untyped-def]
    first, second, stream = uuid4(), uuid4(), uuid4()
    with psycopg.connect(earlier_release.conninfo(), autocommit=True) as conn:
        _event(conn, first, stream, 1)
        _event(conn, first, stream, 2)
        conn.execute("INSERT INTO qualityoflife_snapshots (tenant_id, originator_id,"
                     " originator_version, topic, state) VALUES (%s, %s, 2, %s, %s)",
                     [first, stream, STRAY_TOPIC, STRAY_STATE])
        with pytest.raises(psycopg.errors.UniqueViolation):  # finding 7, before the migration
            _event(conn, second, stream, 1)
        before = conn.execute("SELECT * FROM qualityoflife_events ORDER BY notification_id").fetchall()

    assert migrate(earlier_release)[0].startswith("023_")

    with psycopg.connect(earlier_release.conninfo(), autocommit=True) as conn:
        assert conn.execute("SELECT * FROM qualityoflife_events ORDER BY notification_id").fetchall() == before
        keys = primary_keys(conn)
        assert keys["qualityoflife_events"] == keys["qualityoflife_snapshots"] == [
            "tenant_id", "originator_id", "originator_version"]
        _event(conn, second, stream, 1)  # another tenant's stream of the same id
        with pytest.raises(psycopg.errors.UniqueViolation) as taken:
            _event(conn, first, stream, 2)
        assert taken.value.diag.constraint_name == "qualityoflife_events_pkey"  # a lost race
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # history still append-only
            conn.execute("DELETE FROM qualityoflife_events WHERE tenant_id = %s", [first])


def test_the_migration_gives_kept_projection_failures_their_events_tenant(earlier_release) -> None:  # type: ignore[no-untyped-def]
    """A failure names the tenant of its event; one whose event is gone names none and is
    dropped (the projector records a failure again when it retries)."""
    tenant = uuid4()
    with psycopg.connect(earlier_release.conninfo(), autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('projection_failures')").fetchone() == (None,):
            pytest.skip("projection_failures is no longer kept by the migrations before 023")
        failed_at = _event(conn, tenant, uuid4(), 1)
        conn.execute("INSERT INTO projection_failures (projection, application, notification_id,"
                     " error) VALUES ('ThemeHistory', 'QualityOfLife', %s, 'boom'),"
                     " ('ThemeHistory', 'QualityOfLife', %s, 'gone')", [failed_at, failed_at + 99])
    migrate(earlier_release)
    with psycopg.connect(earlier_release.conninfo(), autocommit=True) as conn:
        assert primary_keys(conn)["projection_failures"][0] == "tenant_id"
        assert conn.execute("SELECT tenant_id, notification_id, error FROM projection_failures"
                            ).fetchall() == [(tenant, failed_at, "boom")]
