"""Creates the database roles and applies the SQL migrations, as the owner role."""

from __future__ import annotations

from importlib.resources import files

import psycopg
from psycopg import sql

from infra.database.params import OWNER_ROLE, PROJECTOR_ROLE, WEB_ROLE, DbParams

_MIGRATIONS_LOCK = 7_202_611  # advisory lock key: one migrator at a time


def ensure_database(admin: DbParams, dbname: str) -> None:
    """Creates the database if it does not exist (CREATE DATABASE cannot run in a transaction)."""
    with psycopg.connect(admin.on_database("postgres").conninfo(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            except psycopg.errors.DuplicateDatabase:
                pass


def drop_database(admin: DbParams, dbname: str) -> None:
    with psycopg.connect(admin.on_database("postgres").conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))


def _create_role(conn: psycopg.Connection[tuple[object, ...]], name: str, options: str,
                 password: str | None) -> None:
    login = sql.SQL("LOGIN PASSWORD {}").format(sql.Literal(password)) if password else sql.SQL("NOLOGIN")
    statement = sql.SQL(
        "DO $$ BEGIN CREATE ROLE {name} {login} {options}; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    ).format(name=sql.Identifier(name), login=login, options=sql.SQL(options))
    conn.execute(statement)
    conn.execute(sql.SQL("ALTER ROLE {} {}").format(sql.Identifier(name), sql.SQL(options)))


def ensure_roles(admin: DbParams, web_password: str, projector_password: str) -> None:
    """Owner runs migrations; web is subject to forced RLS; projector may bypass it."""
    with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
        _create_role(conn, OWNER_ROLE, "NOBYPASSRLS", None)
        _create_role(conn, WEB_ROLE, "NOBYPASSRLS NOSUPERUSER", web_password)
        _create_role(conn, PROJECTOR_ROLE, "BYPASSRLS NOSUPERUSER", projector_password)


def migration_files() -> list[tuple[str, str]]:
    folder = files("infra.database").joinpath("migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in names]


def migrate(admin: DbParams, before: str | None = None) -> list[str]:
    """Applies every migration not yet applied, in name order (only those whose name sorts
    before `before`, if given: a database as an earlier release left it); returns the names
    applied."""
    applied: list[str] = []
    with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(sql.Identifier(OWNER_ROLE)))
        # A rebuild creates its new tables in a schema of its own (ADR 27).
        conn.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
            sql.Identifier(admin.dbname), sql.Identifier(OWNER_ROLE)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(OWNER_ROLE), sql.Identifier(admin.user)))
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATIONS_LOCK])
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(OWNER_ROLE)))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
            for name, text in migration_files():
                if name in done or (before is not None and name >= before):
                    continue
                conn.execute(text)  # type: ignore[call-overload]
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [name])
                applied.append(name)
    return applied
