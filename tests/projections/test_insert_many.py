"""`insert_many`: many rows as multi-row INSERT statements, same rows as one by one."""

from __future__ import annotations

import psycopg

from infra.platform import Servers
from projections.framework import insert_many


def test_rows_are_inserted_in_chunks_with_their_own_expressions(servers: Servers) -> None:
    rows = [(i, f"Nom {i % 7}") for i in range(20_000)]  # 40,000 parameters: two statements
    with psycopg.connect(servers.admin.conninfo()) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE probe (n int PRIMARY KEY, name text)")
        insert_many(cur, "INSERT INTO probe (n, name) VALUES (%s, lower(%s))"
                         " ON CONFLICT DO NOTHING", [*rows, rows[0]])
        got = cur.execute("SELECT n, name FROM probe ORDER BY n").fetchall()
        insert_many(cur, "INSERT INTO probe (n, name) VALUES (%s, %s)", [])
    assert got == [(n, name.lower()) for n, name in rows]
