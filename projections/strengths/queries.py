"""Queries of the strengths views; the connection already carries the tenant (RLS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from projections.batch import Query
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page, split

_COLUMNS = ("SELECT strength_id, person_id, kind, side, text, sphere, theme, member_id,"
            " noted_by, noted_at, version, updated_by, updated_at, retired_by, retired_at"
            " FROM strengths_current")


STRENGTHS = Keyset("strengths", (Key("side", "text", True), Key("noted_at", "timestamptz"),
                                 Key("strength_id", "uuid")))
HISTORY = Keyset("strength-history", (Key("version", "integer"),))


def strengths_query(person_id: UUID, include_retired: bool = False,
                    after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Query:
    """Personal strengths first, then those of the environment; oldest first in each."""
    return STRENGTHS.page(Query(_COLUMNS + " WHERE person_id = $1 AND ($2 OR retired_at IS NULL)",
                                (person_id, include_retired)), after, limit)


async def strengths_of(conn: asyncpg.Connection, person_id: UUID, include_retired: bool = False,
                       after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return split(STRENGTHS, await strengths_query(person_id, include_retired, after, limit)
                 .fetch(conn), limit)


async def strength(conn: asyncpg.Connection, person_id: UUID,
                   strength_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(_COLUMNS + " WHERE person_id = $1 AND strength_id = $2",
                               person_id, strength_id)


async def strength_history(conn: asyncpg.Connection, person_id: UUID, strength_id: UUID,
                           after: Sequence[Any] | None = None,
                           limit: int = DEFAULT_LIMIT) -> Page:
    """Every change, oldest first; the rows with a text are the successive wordings."""
    return await fetch_page(conn, HISTORY, Query(
        "SELECT version, change, text, sphere, theme, member_id, author_id, at"
        " FROM strengths_history WHERE person_id = $1 AND strength_id = $2",
        (person_id, strength_id)), after, limit)
