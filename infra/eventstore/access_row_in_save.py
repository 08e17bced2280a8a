"""The access-log row of an allowed write, handed to the save that stores the write's events
(ADR 22).

The consent guard decides every request to a person's record. For an allowed write it no
longer writes the row in a statement of its own: it puts the row here, in a context
variable of the request (services run in worker threads, which get a copy of the request's
context), and the recorder writes it in the same statement as the command's first save,
after checking that the consent inputs the guard decided from are still current. A write
that saves nothing gets its row written before its answer (infra.http.access_row)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Protocol
from uuid import UUID

STALE_SQLSTATE = "BMA01"


class StaleAccess(Exception):
    """The kept inputs are no longer those in the database: decide again from fresh ones."""


class RowForSave(Protocol):
    def save_args(self, tenant_id: UUID) -> tuple[Any, ...] | None:
        """The arguments of log_checked_access (migration 016), or None if the row is
        written already; raises if the save is not in the row's tenant."""

    def saved(self) -> None:
        """The statement that carried the row committed."""


_row: ContextVar[RowForSave | None] = ContextVar("barometre_access_row_for_save", default=None)


def hand_to_saves(row: RowForSave | None) -> None:
    """From now on in this request, the first save writes `row`."""
    _row.set(row)


def row_for_save() -> RowForSave | None:
    return _row.get()
