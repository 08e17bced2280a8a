"""The access-log row of an allowed write, handed to the save that stores the write's events
(ADR 22), and the request's idempotency key (ADR 28), handed the same way.

The consent guard decides every request to a person's record. For an allowed write it no
longer writes the row in a statement of its own: it puts the row here, in a context
variable of the request (services run in worker threads, which get a copy of the request's
context), and the recorder writes it in the same statement as the command's first save,
after checking that the consent inputs the guard decided from are still current. A write
that saves nothing gets its row written before its answer (infra.http.access_row)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Protocol
from uuid import UUID

from infra.eventstore.answer_in_save import ClaimForSave

STALE_SQLSTATE = "BMA01"


class StaleAccess(Exception):
    """The kept inputs are no longer those in the database: decide again from fresh ones."""


class RowForSave(Protocol):
    def save_args(self, tenant_id: UUID) -> tuple[Any, ...] | None:
        """The arguments of log_checked_access (migration 016), or None if the row is
        written already; raises if the save is not in the row's tenant."""

    def saved(self) -> None:
        """The statement that carried the row committed."""


@dataclass(frozen=True)
class HandedToSaves:
    """What the request's saves write beside its events: the access-log row and the
    idempotency key with the command's answer (either may be absent)."""

    row: RowForSave | None = None
    claim: ClaimForSave | None = None


NOTHING = HandedToSaves()
_handed: ContextVar[HandedToSaves] = ContextVar("barometre_handed_to_saves", default=NOTHING)


def hand_nothing_to_saves() -> None:
    """A request starts with nothing handed to its saves."""
    _handed.set(NOTHING)


def hand_to_saves(row: RowForSave | None) -> None:
    """From now on in this request, the first save writes `row`."""
    _handed.set(replace(_handed.get(), row=row))


def hand_claim_to_saves(claim: ClaimForSave | None) -> None:
    """From now on in this request, the first save that says what its command answers
    writes `claim`'s key with that answer."""
    _handed.set(replace(_handed.get(), claim=claim))


def row_for_save() -> RowForSave | None:
    return _handed.get().row


def claim_for_save() -> ClaimForSave | None:
    return _handed.get().claim
