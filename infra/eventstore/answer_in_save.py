"""The request's idempotency key and the command's answer, written by the statement that saves
the command's events (ADR 28): the key exists if and only if the events were committed."""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol
from uuid import UUID

from services.base import Answer

KEY_TAKEN_SQLSTATE = "BMI01"


class KeyTaken(Exception):
    """Another request committed this idempotency key first; nothing of this save was saved."""


class ClaimForSave(Protocol):
    def save_args(self, tenant_id: UUID, answer: Answer) -> tuple[Any, ...] | None:
        """The arguments of remember_answer (migration 020) but the notification ids, or
        None if the key is written already; raises if the save is not in the key's tenant."""

    def saved(self) -> None:
        """The statement that carried the key committed."""


@cache
def keyed_statement(saving: str) -> str:
    """`saving`, a save's statement answering one row with its `notification_ids`, and in the
    same statement the key and its answer (remember_answer): the events and the key commit
    together or not at all, and a key taken by another request (SQLSTATE BMI01) saves nothing.
    The key's parameters follow the save's."""
    return (f"WITH saved AS MATERIALIZED ({saving}) SELECT saved.notification_ids,"
            " remember_answer(%s, %s, %s, %s, %s, %s, %s, %s, saved.notification_ids)"
            " AS remembered FROM saved")
