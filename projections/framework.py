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
        """Runs the statement at the end of the batch, with every other row deferred to it
        (one executemany per statement); only for statements whose order does not matter."""
        self._deferred.setdefault(statement, []).append(params)

    def end_batch(self, cur: Cursor[Any]) -> None:
        """Called after a batch, in its transaction: write what was collected, once."""
        for statement, rows in self._deferred.items():
            cur.executemany(statement, rows)

    def clear(self, cur: Cursor[Any]) -> None:
        """Empties what this projection owns, before a rebuild."""
        for table in self.tables:
            cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))

    def apply(self, ctx: Context, event: object) -> None:
        attr = self._handlers.get(type(event))
        if attr is not None:
            getattr(self, attr)(ctx, event)
