"""A projection maps events to small idempotent upserts on its own tables."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from psycopg import Cursor, sql

from projections.binary_arrays import ARRAY_TYPES, ArrayType

F = TypeVar("F", bound=Callable[..., None])


@dataclass(frozen=True)
class Context:
    """Where and when an event landed, and the cursor of the projector's transaction."""

    cur: Cursor[Any]
    tenant_id: UUID
    notification_id: int
    recorded_at: datetime


FEW_ROWS = 3  # up to this many rows, Bulk sends one statement per row (ADR 12)


@dataclass(frozen=True)
class Bulk:
    """A statement run once per batch over every row collected for it (ADR 0012).

    `{rows}` in the statement becomes `unnest(%b::type[], ...) AS alias(column, ...)`: the
    rows travel as one binary array per column (encoded by projections.binary_arrays, ADR
    20), so the text is the same for 1 row or 5,000, and PostgreSQL plans it once.
    `{columns}` becomes the columns' names, in order (an INSERT's column list). A statement
    that updates on conflict must get each key once (`Projection.defer_latest`)."""

    statement: str
    columns: tuple[tuple[str, str], ...]  # (name, PostgreSQL type), in the rows' order
    alias: str = "r"
    query: str = field(init=False, repr=False, compare=False)

    one_row: str = field(init=False, repr=False, compare=False)
    array_types: tuple[ArrayType, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = [kind for _, kind in self.columns if kind not in ARRAY_TYPES]
        if unknown:
            raise ValueError(f"no binary array encoding for {unknown} (projections.binary_arrays)")
        object.__setattr__(self, "array_types",
                           tuple(ARRAY_TYPES[kind] for _, kind in self.columns))
        arrays = ", ".join(f"%b::{kind}[]" for _, kind in self.columns)
        values = ", ".join(f"%s::{kind}" for _, kind in self.columns)
        names = ", ".join(name for name, _ in self.columns)
        statement = self.statement.replace("{columns}", names)
        object.__setattr__(self, "query", statement.replace(
            "{rows}", f"unnest({arrays}) AS {self.alias}({names})"))
        object.__setattr__(self, "one_row", statement.replace(
            "{rows}", f"(VALUES ({values})) AS {self.alias}({names})"))

    def run(self, cur: Cursor[Any], rows: Sequence[Sequence[Any]]) -> None:
        """A few rows go one statement each (cheaper for PostgreSQL than unnest's arrays
        when there are so few), more as arrays."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        if len(rows) > FEW_ROWS:
            for array_type in self.array_types:
                array_type.register(cur)
            cur.execute(self.query, [array_type.encode(column) for array_type, column
                                     in zip(self.array_types, columns, strict=True)])
        else:  # the same values accepted either way: a rebuild's batches are larger
            for array_type, column in zip(self.array_types, columns, strict=True):
                array_type.check(column)
            cur.executemany(self.one_row, rows)


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
        self._deferred: dict[Bulk, dict[Hashable, Sequence[Any]]] = {}

    def defer(self, bulk: Bulk, row: Sequence[Any]) -> None:
        """Adds a row to the bulk statement run at the end of the batch; only for statements
        whose rows' order does not matter (inserts that skip what already exists)."""
        rows = self._deferred.setdefault(bulk, {})
        rows[len(rows)] = row

    def defer_latest(self, bulk: Bulk, key: Hashable, row: Sequence[Any]) -> None:
        """As `defer`, keeping only the last row given for each key (upserts)."""
        self._deferred.setdefault(bulk, {})[key] = row

    def end_batch(self, cur: Cursor[Any]) -> None:
        """Called after a batch, in its transaction: write what was collected, once."""
        for bulk, rows in self._deferred.items():
            bulk.run(cur, list(rows.values()))

    def clear(self, cur: Cursor[Any]) -> None:
        """Empties what this projection owns, before a rebuild."""
        for table in self.tables:
            cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))

    def concerns(self, event_class: type | None) -> bool:
        """Whether an event of this class (None: a class not known) may change this
        projection's tables: it has a handler for it, or it overrides `apply` itself."""
        return (event_class is None or event_class in self._handlers
                or type(self).apply is not Projection.apply)

    def apply(self, ctx: Context, event: object) -> None:
        attr = self._handlers.get(type(event))
        if attr is not None:
            getattr(self, attr)(ctx, event)
