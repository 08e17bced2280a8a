"""Keyset pages of a read-model query: its order, the condition that resumes it after a row,
and the opaque cursor that carries that row's key (ADR 30).

A `Keyset` names the columns (or expressions over the query's columns) a list is ordered by,
ending with a unique one, so the order is total and stable. `page` wraps a query without
ORDER BY: it adds the key values as `_key0..` columns, the condition "after this key", the
ORDER BY and LIMIT `limit + 1` (the extra row only says whether a next page exists). The
plain query is pulled up into the wrapper by PostgreSQL, so an index that matches the order
serves every page in the same time, however long the list. A cursor is the base64url of
[keyset name, key values]; `decode` refuses anything it did not give out (ValueError)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from projections.batch import Query

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_CURSOR = 1024  # characters; every key this platform pages on fits well within it
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BIGINT = 2**63


def _integer(value: Any, bound: int = _BIGINT) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -bound <= value < bound:
        raise ValueError("not an integer key")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 400 or _CONTROL.search(value):
        raise ValueError("not a text key")
    value.encode()  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return value


def _instant(value: Any) -> datetime:
    instant = datetime.fromisoformat(_text(value))
    if instant.tzinfo is None:
        raise ValueError("an instant key has an offset")
    try:  # the database reads it in UTC, where year 1 or 9999 may overflow
        return instant.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("an instant key out of range") from exc


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean key")
    return value


# SQL type -> (what the cursor holds in JSON, how it is read back)
_TYPES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "bigint": (int, _integer),
    "integer": (int, lambda v: _integer(v, 2**31)),
    "text": (str, _text),
    "uuid": (str, lambda v: UUID(_text(v))),
    "timestamptz": (lambda v: v.isoformat(), _instant),
    "date": (lambda v: v.isoformat(), lambda v: date.fromisoformat(_text(v))),
    "boolean": (bool, _boolean),
}


@dataclass(frozen=True)
class Key:
    expression: str  # over the wrapped query's columns, never NULL
    sql_type: str  # a key of _TYPES
    descending: bool = False


@dataclass(frozen=True)
class Keyset:
    """The order of one list; its last key must be unique within the list."""

    name: str
    keys: tuple[Key, ...]

    def after(self, first_param: int) -> str:
        """The rows after the key in parameters $first_param.., in this order."""
        params = [f"${first_param + i}::{k.sql_type}" for i, k in enumerate(self.keys)]
        if len({k.descending for k in self.keys}) == 1:  # a row comparison walks an index
            op = "<" if self.keys[0].descending else ">"
            columns = ", ".join(f"_key{i}" for i in range(len(self.keys)))
            return f"({columns}) {op} ({', '.join(params)})"
        alternatives = []
        for i, key in enumerate(self.keys):
            equal = [f"_key{j} = {params[j]}" for j in range(i)]
            beyond = f"_key{i} {'<' if key.descending else '>'} {params[i]}"
            alternatives.append(" AND ".join([*equal, beyond]))
        return "(" + " OR ".join(f"({a})" for a in alternatives) + ")"

    def page(self, query: Query, after: Sequence[Any] | None, limit: int) -> Query:
        """`query` (no ORDER BY) in this order, after the key `after`, `limit` + 1 rows."""
        n = len(query.args)
        keys = ", ".join(f"{k.expression} AS _key{i}" for i, k in enumerate(self.keys))
        order = ", ".join(f"_key{i}{' DESC' if k.descending else ''}"
                          for i, k in enumerate(self.keys))
        inner = f"SELECT p.*, {keys} FROM ({query.sql}) p"
        where, args = "", list(query.args)
        if after is not None:
            where = f" WHERE {self.after(n + 1)}"
            args.extend(after)
        args.append(limit + 1)
        return Query(f"SELECT * FROM ({inner}) k{where} ORDER BY {order} LIMIT ${len(args)}",
                     tuple(args))

    def cursor(self, row: Mapping[str, Any] | asyncpg.Record) -> str:
        values = [_TYPES[k.sql_type][0](row[f"_key{i}"]) for i, k in enumerate(self.keys)]
        raw = json.dumps([self.name, *values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def decode(self, cursor: str) -> tuple[Any, ...]:
        """The key a cursor of this list carries; ValueError for anything else."""
        if len(cursor) > MAX_CURSOR:
            raise ValueError("cursor too long")
        try:
            raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
            name, *values = json.loads(raw)
        except (binascii.Error, UnicodeError, TypeError, ValueError) as exc:
            raise ValueError("not a cursor") from exc
        if name != self.name or len(values) != len(self.keys):
            raise ValueError("not a cursor of this list")
        try:
            return tuple(_TYPES[k.sql_type][1](v) for k, v in zip(self.keys, values, strict=True))
        except (TypeError, ValueError) as exc:
            raise ValueError("not a cursor of this list") from exc


Rows = list[dict[str, Any]]
Page = tuple[Rows, str | None]  # the rows of a page, and the next page's cursor (None: last)


def split(keyset: Keyset, rows: Sequence[Mapping[str, Any] | asyncpg.Record],
          limit: int) -> Page:
    """The page's rows without their key columns, and the cursor of the next page (None on
    the last page): `rows` came from `keyset.page(..., limit)`."""
    shown = [{k: v for k, v in row.items() if not k.startswith("_key")} for row in rows[:limit]]
    return shown, keyset.cursor(rows[limit - 1]) if len(rows) > limit else None


async def fetch_page(conn: asyncpg.Connection, keyset: Keyset, query: Query,
                     after: Sequence[Any] | None, limit: int) -> Page:
    """One page of `query` in the keyset's order."""
    return split(keyset, await keyset.page(query, after, limit).fetch(conn), limit)
