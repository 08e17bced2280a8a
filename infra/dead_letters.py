"""The dead-letter table: a stream a projection could not apply, parked per tenant (ADR 26).

A parked row holds its stream back for its projection from its event on: the projector
applies none of that stream's later events for that projection, and goes on with every
other stream and tenant. A skipped row records an operator's decision never to apply one
event (who, when, why); the event itself, like all history, is never changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import class_row

ERROR_LENGTH = 2000  # enough for an exception's message; a row stays small

# The projections that hold back an event of the batch (`e`): a parked row of its stream at
# or before it, or a skipped row for that very event. %(application)s names the application.
# The EXISTS is evaluated once per statement: with no dead letter for the application (the
# usual case) no event pays for the lookup.
HELD_FOR = ("CASE WHEN EXISTS (SELECT FROM dead_letters WHERE application = %(application)s)"
            " THEN ARRAY(SELECT d.projection FROM dead_letters d WHERE d.tenant_id = e.tenant_id"
            " AND d.application = %(application)s AND d.originator_id = e.originator_id"
            " AND CASE WHEN d.skipped_at IS NULL THEN d.notification_id <= e.notification_id"
            " ELSE d.notification_id = e.notification_id END) ELSE ARRAY[]::text[] END")


def describe_error(error: BaseException) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= ERROR_LENGTH else text[:ERROR_LENGTH - 1] + "…"


def park(cur: psycopg.Cursor[Any], tenant_id: UUID, application: str, projection: str,
         originator_id: UUID, notification_id: int, originator_version: int, topic: str,
         error: BaseException) -> None:
    """Parks the stream behind this event, for this projection, in the caller's transaction."""
    cur.execute(
        "INSERT INTO dead_letters (tenant_id, application, originator_id, projection,"
        " notification_id, originator_version, topic, error) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [tenant_id, application, originator_id, projection, notification_id, originator_version,
         topic, describe_error(error)])


@dataclass(frozen=True)
class DeadLetter:
    """One row: a parked stream (skipped_at None) or a skipped event."""

    tenant_id: UUID
    application: str
    originator_id: UUID
    projection: str
    notification_id: int
    originator_version: int
    topic: str
    error: str
    attempts: int
    first_failed_at: datetime
    last_failed_at: datetime
    skipped_at: datetime | None
    skipped_by: str | None
    skip_reason: str | None

    @property
    def events_table(self) -> str:
        return f"{self.application.lower()}_events"


_COLUMNS = ("tenant_id, application, originator_id, projection, notification_id,"
            " originator_version, topic, error, attempts, first_failed_at, last_failed_at,"
            " skipped_at, skipped_by, skip_reason")
_ORDER = " ORDER BY tenant_id, application, originator_id, notification_id, projection"


def parked(conn: psycopg.Connection[Any], stream: UUID | None = None) -> list[DeadLetter]:
    """Parked rows, of one stream or all, every tenant (the projector role bypasses RLS)."""
    with conn.cursor(row_factory=class_row(DeadLetter)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM dead_letters WHERE skipped_at IS NULL"
            " AND (%(stream)s::uuid IS NULL OR originator_id = %(stream)s)" + _ORDER,
            {"stream": stream}).fetchall()


def skipped(conn: psycopg.Connection[Any]) -> list[DeadLetter]:
    with conn.cursor(row_factory=class_row(DeadLetter)) as cur:
        return cur.execute(f"SELECT {_COLUMNS} FROM dead_letters WHERE skipped_at IS NOT NULL"
                           + _ORDER).fetchall()


def waiting_behind(conn: psycopg.Connection[Any], letter: DeadLetter) -> int:
    """How many later events of the parked stream wait behind its event."""
    query = sql.SQL("SELECT count(*) FROM {} WHERE tenant_id = %s AND originator_id = %s"
                    " AND notification_id > %s").format(sql.Identifier(letter.events_table))
    row = conn.execute(query, [letter.tenant_id, letter.originator_id,
                               letter.notification_id]).fetchone()
    return int(row[0]) if row else 0


def summary(letters: Sequence[DeadLetter], waiting: int) -> str:
    """One line for a parked stream (its rows: one per projection holding it)."""
    first = letters[0]
    topic = first.topic.rsplit(".", 1)[-1]
    projections = ", ".join(sorted({letter.projection for letter in letters}))
    attempts = max(letter.attempts for letter in letters)
    since = min(letter.first_failed_at for letter in letters)
    last = max(letter.last_failed_at for letter in letters)
    error = first.error if len(first.error) <= 160 else first.error[:159] + "…"
    return (f"{first.originator_id}  tenant {first.tenant_id}  {first.application}"
            f"  #{first.notification_id} v{first.originator_version} {topic}"
            f"  projections: {projections}  waiting behind: {waiting}"
            f"  attempts: {attempts}  since {since:%Y-%m-%d %H:%M:%S%z}"
            f"  last {last:%Y-%m-%d %H:%M:%S%z}  error: {error}")


def skipped_line(letter: DeadLetter) -> str:
    return (f"{letter.originator_id}  tenant {letter.tenant_id}  {letter.application}"
            f"  #{letter.notification_id} v{letter.originator_version}"
            f"  projection: {letter.projection}  skipped {letter.skipped_at:%Y-%m-%d %H:%M:%S%z}"
            f" by {letter.skipped_by}: {letter.skip_reason}")
