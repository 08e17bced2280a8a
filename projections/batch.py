"""Several read-model queries in one round trip.

A page that shows several views (the record's summary, a plan's goals with their links and
actions) asks PostgreSQL once: each query becomes `ARRAY(SELECT q FROM (<query>) q)`, a column
of one statement, its parameters renumbered. Rows come back as dicts keyed by the query's own
column names (learnt once per query text, by preparing it), in the query's own order.

`first`, if given, is an expression evaluated before any of the queries, in the same
statement and transaction: the read of a record passes the call that checks the consent
inputs, writes the access-log row and sets the tenant (`open_checked_record_read`, ADR 15).
PostgreSQL evaluates a SELECT's output columns in order and each `ARRAY(SELECT …)` (an
uncorrelated sub-select, an InitPlan) only when its column is first evaluated, so the
queries see what `first` set; `tests/projections/test_batch.py` checks it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import asyncpg

_PARAM = re.compile(r"\$(\d+)")
_columns: dict[str, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Query:
    sql: str  # parameters $1..$n, n = len(args)
    args: tuple[Any, ...]

    async def fetch(self, conn: asyncpg.Connection) -> list[asyncpg.Record]:
        return await conn.fetch(self.sql, *self.args)


async def _columns_of(conn: asyncpg.Connection, sql: str) -> tuple[str, ...]:
    if sql not in _columns:
        statement = await conn.prepare(sql)
        _columns[sql] = tuple(a.name for a in statement.get_attributes())
    return _columns[sql]


def _shifted(sql: str, offset: int) -> str:
    return _PARAM.sub(lambda m: f"${int(m.group(1)) + offset}", sql)


def statement(queries: dict[str, Query], first: Query | None = None) -> Query:
    """The one statement: `first` (an expression), then a column per query."""
    columns: list[str] = [f"{first.sql} AS _first"] if first else []
    args: list[Any] = list(first.args) if first else []
    for name, query in queries.items():
        sub = _shifted(query.sql, len(args))
        columns.append(f'ARRAY(SELECT q FROM ({sub}) q) AS "{name}"')
        args.extend(query.args)
    return Query("SELECT " + ", ".join(columns), tuple(args))


async def fetch_many(conn: asyncpg.Connection, queries: dict[str, Query],
                     first: Query | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every query's rows, by name, from one statement (ordered as each query orders them),
    after `first` (an expression; its value is dropped)."""
    together = statement(queries, first)
    row = await conn.fetchrow(together.sql, *together.args)
    assert row is not None  # a SELECT without FROM returns one row
    result = {}
    for name, query in queries.items():
        names = await _columns_of(conn, query.sql)
        result[name] = [dict(zip(names, values, strict=True)) for values in row[name]]
    return result
