"""Rebuilds write new tables and swap them in: a failed one changes nothing (finding 5 of
issue 13), a finished one leaves tables that carry everything the live ones had."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from infra.cli import main
from infra.platform import Servers, WriteSide, all_projections, event_mapper
from infra.projector import ApplicationRunner, application_runners
from infra.rebuild import rebuild
from infra.settings import get_settings
from tests.conftest import PASSWORD
from tests.reliability.conftest import barometre_env

QOL = [p for p in all_projections() if p.application == "QualityOfLife"]
TABLES = sorted({t for p in all_projections() for t in p.tables})

# What a table is, apart from its rows and its oid: columns, keys, indexes, RLS, policies,
# grants and owner.
CATALOG = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner),
  (SELECT array_agg(a ORDER BY a) FROM aclexplode(c.relacl) x,
     LATERAL (SELECT pg_get_userbyid(x.grantee) || ':' || x.privilege_type) AS g(a)),
  (SELECT array_agg(format('%%s %%s %%s %%s', attname, format_type(atttypid, atttypmod), attnotnull,
                           pg_get_expr(d.adbin, d.adrelid)) ORDER BY attnum)
     FROM pg_attribute LEFT JOIN pg_attrdef d ON d.adrelid = attrelid AND d.adnum = attnum
    WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped),
  (SELECT array_agg(conname || ' ' || pg_get_constraintdef(oid) ORDER BY conname)
     FROM pg_constraint WHERE conrelid = c.oid),
  (SELECT array_agg(pg_get_indexdef(indexrelid) ORDER BY 1) FROM pg_index WHERE indrelid = c.oid),
  (SELECT array_agg(format('%%s %%s %%s %%s %%s', polname, polcmd, polroles::regrole[],
                           pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)))
     FROM pg_policy WHERE polrelid = c.oid)
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(%s)
ORDER BY c.relname"""


def catalog(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return conn.execute(CATALOG, [TABLES]).fetchall()


def oids(conn: psycopg.Connection[Any]) -> dict[str, int]:
    rows = conn.execute("SELECT relname, oid::bigint FROM pg_class WHERE relname = ANY(%s)"
                        " AND relnamespace = 'public'::regnamespace", [TABLES]).fetchall()
    return dict(rows)


def rebuild_schemas(conn: psycopg.Connection[Any]) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'").fetchall()]


def contents(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
    rows = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    rows["projection_tracking"] = sorted(conn.execute(
        "SELECT * FROM projection_tracking").fetchall(), key=repr)
    return rows


@dataclass
class Filled:
    servers: Servers
    conn: psycopg.Connection[Any]
    slug: str
    assessment: uuid.UUID


@pytest.fixture
def filled(own_database: Servers) -> Iterator[Filled]:
    """A database of this test alone (its poison event must not reach other tests), with a
    person's ratings projected, and the projector role's connection to it."""
    side = WriteSide(own_database, pool_size=1)
    try:
        slug = f"rb-{secrets.token_hex(4)}"
        side.accounts.register_organization(slug, slug, "qc", "admin", "Admin", PASSWORD)
        admin = side.accounts.authenticate(slug, "admin", PASSWORD)
        person = side.accounts.actor(admin.tenant_id, side.accounts.open_account(
            admin, "person-1", "P", "person", PASSWORD).id)
        assessment = side.quality_of_life.open_assessment(person, person.user_id).id
        side.quality_of_life.rate(person, assessment, [("housing", 70), ("food", 40)])
        side.quality_of_life.comment(person, assessment, "food", "fins de mois")
    finally:
        side.close()
    with psycopg.connect(own_database.projector_db().conninfo(), autocommit=True) as conn:
        for runner in application_runners(all_projections(), event_mapper()):
            runner.catch_up(conn)
        yield Filled(own_database, conn, slug, assessment)


def write_undecodable_event(servers: Servers) -> None:
    """Through the owner's connection, as a damaged disk or a bad migration would leave it."""
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as owner:
        tenant, topic = owner.execute(  # a class the rebuilt projections handle
            "SELECT tenant_id, topic FROM qualityoflife_events WHERE topic LIKE '%ThemeRated'"
            " LIMIT 1").fetchone()
        owner.execute("INSERT INTO qualityoflife_events (tenant_id, originator_id,"
                      " originator_version, topic, state) VALUES (%s, %s, 1, %s, %s)",
                      [tenant, uuid.uuid4(), topic, b"\xff not json"])


@pytest.mark.parametrize("target", [["qol_theme_history"], ["--all"]])
def test_a_rebuild_that_meets_an_undecodable_event_changes_nothing_and_says_so_in_one_line(
        filled, monkeypatch, capsys, target):
    servers, conn = filled.servers, filled.conn
    before, shape = contents(conn), catalog(conn)
    assert before["qol_theme_history"] and before["projection_tracking"]
    write_undecodable_event(servers)
    for name, value in barometre_env(servers).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        code = main(["rebuild", *target])
    finally:
        get_settings.cache_clear()

    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("erreur: "), lines
    assert "rien n'a changé" in lines[0] and "does not decode" in lines[0]
    assert contents(conn) == before  # the live views and their tracking, row for row
    assert catalog(conn) == shape
    assert rebuild_schemas(conn) == []  # no half-built tables left


def test_rebuilt_tables_carry_everything_the_live_ones_had(filled):
    conn = filled.conn
    before, shape, old = contents(conn), catalog(conn), oids(conn)

    rebuild(conn, all_projections())

    assert catalog(conn) == shape
    assert contents(conn) == before
    assert all(oids(conn)[t] != old[t] for t in TABLES)  # new tables, swapped in
    assert rebuild_schemas(conn) == []
    for table, *_, constraints, _, _ in catalog(conn):
        primary = [c for c in constraints if "PRIMARY KEY" in c]
        assert len(primary) == 1 and "PRIMARY KEY (tenant_id" in primary[0], table


def test_every_table_a_projection_writes_may_be_rebuilt(projector_conn):
    allowed = projector_conn.execute("SELECT rebuildable_read_models()").fetchone()[0]
    assert set(TABLES) <= set(allowed)


def test_the_projector_role_cannot_swap_a_table_that_is_not_a_read_model(projector_conn):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not a rebuildable"):
        projector_conn.execute("SELECT rebuild_begin(ARRAY['access_log'])")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        projector_conn.execute("SELECT rebuild_new_table('public', 'x')")


def test_the_live_view_moves_on_during_a_rebuild_which_then_resumes_from_its_own_tracking(
        filled):
    """Events written and projected live while the new tables are built end up in them once:
    after the swap the live projector has nothing to redo, and the views equal a quiet rebuild."""
    servers, conn = filled.servers, filled.conn
    side = WriteSide(servers, pool_size=1)
    live = ApplicationRunner(QOL, event_mapper())
    person = side.accounts.authenticate(filled.slug, "person-1", PASSWORD)
    seen: list[int] = []

    def meanwhile(count: int) -> None:  # between two of the rebuild's batches
        seen.append(count)
        if len(seen) == 1:
            side.quality_of_life.rate(person, filled.assessment, [("sleep", 10)])
            with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as other:
                assert live.catch_up(other) == 1  # the live projector is not held up
                assert other.execute("SELECT count(*) FROM qol_theme_history WHERE theme ="
                                     " 'sleep'").fetchone() == (1,)
    try:
        rebuild(conn, QOL, batch_size=2, progress=meanwhile)
        assert live.catch_up(conn) == 0  # the swapped-in tracking already covers it
        after = contents(conn)
        rebuild(conn, QOL)
        assert contents(conn) == after
        assert [r for r in after["qol_theme_history"] if r[3] == "sleep"]
    finally:
        side.close()


def test_a_second_rebuild_waits_for_the_first_and_both_leave_the_same_views(filled):
    servers, conn = filled.servers, filled.conn
    before = contents(conn)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as other:
                rebuild(other, QOL, batch_size=3)
        except BaseException as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and contents(conn) == before


def test_a_rebuild_leaves_a_parked_stream_parked_and_equals_the_live_views(filled):
    """An event the live projector parked (ADR 26) is held back from the rebuild the same way:
    the rebuild succeeds, and equals the incremental views, dead letters included."""
    servers, conn = filled.servers, filled.conn
    write_undecodable_event(servers)
    for runner in application_runners(all_projections(), event_mapper()):
        runner.catch_up(conn)  # parks the poison stream, applies the rest
    assert conn.execute("SELECT count(*) FROM dead_letters WHERE skipped_at IS NULL").fetchone()[0]
    before = contents(conn)

    rebuild(conn, QOL)

    assert contents(conn) == before
