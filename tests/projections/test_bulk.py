"""`Bulk`: a batch's rows written by one statement whose text does not depend on their number,
NULLs, UUIDs, times and large integers kept; `defer_latest` keeps the last row of each key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import psycopg
import pytest

from projections.framework import FEW_ROWS, Bulk, Projection

COLUMNS = (("id", "uuid"), ("n", "bigint"), ("label", "text"), ("at", "timestamptz"),
           ("value", "integer"))
INSERT = Bulk("INSERT INTO pg_temp.bulk_rows SELECT * FROM {rows}", COLUMNS)
UPSERT = Bulk("INSERT INTO pg_temp.bulk_rows SELECT * FROM {rows} ON CONFLICT (id)"
              " DO UPDATE SET value = excluded.value", COLUMNS)


class Collector(Projection):
    name = "test_bulk"
    application = "Test"
    tables = ()


@pytest.fixture
def cur(projector_conn: psycopg.Connection[Any]) -> Any:
    with projector_conn.transaction(force_rollback=True), projector_conn.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bulk_rows (id uuid PRIMARY KEY, n bigint, label text,"
                       " at timestamptz, value integer) ON COMMIT DROP")
        yield cursor


def _rows(cur: Any) -> list[tuple[Any, ...]]:
    cur.execute("SELECT id, n, label, at, value FROM pg_temp.bulk_rows ORDER BY n")
    return cur.fetchall()


def test_the_statement_text_is_the_same_for_any_number_of_rows() -> None:
    assert INSERT.query == ("INSERT INTO pg_temp.bulk_rows SELECT * FROM unnest(%b::uuid[],"
                            " %b::bigint[], %b::text[], %b::timestamptz[], %b::integer[])"
                            " AS r(id, n, label, at, value)")


@pytest.mark.parametrize("count", [1, FEW_ROWS, FEW_ROWS + 1, 50])  # both ways of sending
def test_rows_are_written_as_given_nulls_included(cur: Any, count: int) -> None:
    at = datetime(2026, 11, 24, 5, 30, tzinfo=UTC)
    kinds = [(at, 0, "un"), (None, 100, "l'été, \"guillemets\""), (at, None, None)]
    rows = [(uuid.uuid4(), 2**40 + n if n % 3 == 2 else n, kinds[n % 3][2], kinds[n % 3][0],
             kinds[n % 3][1]) for n in range(count)]
    INSERT.run(cur, rows)
    assert _rows(cur) == sorted(rows, key=lambda r: r[1])


def test_no_rows_runs_nothing(cur: Any) -> None:
    INSERT.run(cur, [])
    assert cur.statusmessage.startswith("CREATE")  # the fixture's statement was the last one
    assert _rows(cur) == []


def test_defer_latest_keeps_the_last_row_of_each_key_and_defer_keeps_all(cur: Any) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    collector = Collector()
    collector.begin_batch()
    for n, (key, value) in enumerate([(first, 10), (second, 20), (first, 30)], start=1):
        collector.defer_latest(UPSERT, key, (key, n, "x", None, value))
    collector.end_batch(cur)
    assert [(r[0], r[4]) for r in _rows(cur)] == [(second, 20), (first, 30)]
    collector.begin_batch()
    third = uuid.uuid4()
    collector.defer(INSERT, (third, 4, "a", None, 1))
    collector.defer(INSERT, (uuid.uuid4(), 5, "b", None, 2))
    collector.end_batch(cur)
    assert [r[1] for r in _rows(cur)] == [2, 3, 4, 5]


def test_edge_values_cross_the_binary_arrays_unchanged(cur: Any) -> None:
    """The arrays are encoded by projections.binary_arrays, not psycopg: extremes of each
    type, times before 2000 and in other offsets, empty and non-ASCII text, NULL columns."""
    paris = timezone(timedelta(hours=1))
    values = [
        (uuid.UUID(int=0), -(2**63), "", datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
         -(2**31)),
        (uuid.UUID(int=2**128 - 1), 2**63 - 1, "é\U0001f600\\\"{},", datetime(1970, 1, 1, tzinfo=paris),
         2**31 - 1),
        (uuid.uuid4(), 0, None, datetime(2000, 1, 1, tzinfo=UTC), None),
        (uuid.uuid4(), 1, "NULL", datetime(2126, 6, 1, 12, 0, 0, 1, tzinfo=UTC), 0),
        (uuid.uuid4(), -1, "x" * 10_000, None, -1),
    ]
    INSERT.run(cur, values)
    assert _rows(cur) == sorted(values, key=lambda r: r[1])
    nulls = [(uuid.uuid4(), n, None, None, None) for n in range(FEW_ROWS + 1)]
    cur.execute("DELETE FROM pg_temp.bulk_rows")
    INSERT.run(cur, nulls)
    assert _rows(cur) == nulls


def test_a_bulk_statement_of_a_type_without_an_encoding_is_refused_when_defined() -> None:
    with pytest.raises(ValueError, match="no binary array encoding"):
        Bulk("INSERT INTO t SELECT * FROM {rows}", (("amount", "numeric"),))


@pytest.mark.parametrize("count", [FEW_ROWS, FEW_ROWS + 1])  # both ways of sending
def test_both_ways_accept_and_refuse_the_same_values(cur: Any, count: int) -> None:
    """A live batch may send few rows and a rebuild many: the same event must pass or fail
    alike. UUIDs may come as text; a naive time (whose instant would depend on the
    session's time zone) and a non-text value in a text column are refused."""
    at = datetime(2026, 11, 24, tzinfo=UTC)
    ids = [uuid.uuid4() for _ in range(count)]
    INSERT.run(cur, [(str(i), n, "x", at, 1) for n, i in enumerate(ids)])
    assert [r[0] for r in _rows(cur)] == ids
    with pytest.raises(TypeError, match="aware"):
        INSERT.run(cur, [(uuid.uuid4(), n, "x", datetime(2026, 11, 24), 1) for n in range(count)])
    with pytest.raises(TypeError, match="takes str"):
        INSERT.run(cur, [(uuid.uuid4(), n, 5, at, 1) for n in range(count)])


def test_the_arrays_dumper_does_not_become_the_cursors_dumper_for_its_array_type(cur: Any) -> None:
    """After a bulk write, COPY of a uuid[] on the same cursor still dumps real UUID lists."""
    INSERT.run(cur, [(uuid.uuid4(), n, "x", None, n) for n in range(FEW_ROWS + 1)])
    cur.execute("CREATE TEMP TABLE copied (ids uuid[]) ON COMMIT DROP")
    ids = [uuid.uuid4(), uuid.uuid4()]
    with cur.copy("COPY copied (ids) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["uuid[]"])
        copy.write_row([ids])
    cur.execute("SELECT ids FROM copied")
    assert cur.fetchall() == [(ids,)]
