"""A projection maps events to small idempotent upserts on its own tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from psycopg import Cursor, sql

F = TypeVar("F", bound=Callable[..., None])


@dataclass(frozen=True)
class Context:
    """Where and when an event landed, and the cursor of the projector's transaction."""

    cur: Cursor[Any]
    tenant_id: UUID
    notification_id: int
    recorded_at: datetime


_MAX_PARAMETERS = 30_000  # PostgreSQL allows 65,535 per statement


def _values_tuple(statement: str) -> tuple[int, int]:
    """Where the `VALUES (...)` row of an INSERT statement starts and ends."""
    start = statement.index("VALUES (") + len("VALUES ")
    depth = 0
    for i in range(start, len(statement)):
        depth += {"(": 1, ")": -1}.get(statement[i], 0)
        if depth == 0:
            return start, i + 1
    raise ValueError(f"no VALUES row in {statement!r}")


def insert_many(cur: Cursor[Any], statement: str, rows: Sequence[Sequence[Any]]) -> None:
    """`INSERT ... VALUES (%s, ...) ...` for many rows as one multi-row statement (per
    30,000 parameters), instead of one statement per row. With `ON CONFLICT DO UPDATE`, the
    rows must not repeat a key (PostgreSQL refuses to update a row twice in one statement)."""
    if not rows:
        return
    start, end = _values_tuple(statement)
    per_chunk = max(1, _MAX_PARAMETERS // max(1, len(rows[0])))
    for first in range(0, len(rows), per_chunk):
        chunk = rows[first:first + per_chunk]
        text = statement[:start] + ", ".join([statement[start:end]] * len(chunk)) + statement[end:]
        cur.execute(text, [value for row in chunk for value in row], prepare=False)


def handles(*event_classes: type) -> Callable[[F], F]:
    def mark(method: F) -> F:
        method._handles = event_classes  # type: ignore[attr-defined]
        return method
    return mark


class Projection:
    """Subclasses name their application, their tables, and @handles methods."""

    name: ClassVar[str]
    application: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    _handlers: ClassVar[dict[type, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for attr, value in vars(cls).items():
            for event_class in getattr(value, "_handles", ()):
                cls._handlers[event_class] = attr

    def begin_batch(self) -> None:
        """Called before a batch of events; a projection may start collecting work here."""
        self._deferred: dict[str, list[Sequence[Any]]] = {}

    def defer(self, statement: str, params: Sequence[Any]) -> None:
        """Runs the statement at the end of the batch with every other row deferred to it:
        an `INSERT ... VALUES` without `DO UPDATE` as one multi-row statement (`insert_many`),
        anything else as one executemany; only for statements whose order does not matter."""
        self._deferred.setdefault(statement, []).append(params)

    def end_batch(self, cur: Cursor[Any]) -> None:
        """Called after a batch, in its transaction: write what was collected, once."""
        for statement, rows in self._deferred.items():
            if statement.startswith("INSERT") and "DO UPDATE" not in statement:
                insert_many(cur, statement, rows)
            else:
                cur.executemany(statement, rows)

    def clear(self, cur: Cursor[Any]) -> None:
        """Empties what this projection owns, before a rebuild."""
        for table in self.tables:
            cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))

    def apply(self, ctx: Context, event: object) -> None:
        attr = self._handlers.get(type(event))
        if attr is not None:
            getattr(self, attr)(ctx, event)
