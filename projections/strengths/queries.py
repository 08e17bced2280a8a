"""Queries of the strengths views; the connection already carries the tenant (RLS)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from projections.batch import Query

_COLUMNS = ("SELECT strength_id, person_id, kind, side, text, sphere, theme, member_id,"
            " noted_by, noted_at, version, updated_by, updated_at, retired_by, retired_at"
            " FROM strengths_current")


def strengths_query(person_id: UUID, include_retired: bool = False) -> Query:
    """Personal strengths first, then those of the environment; oldest first in each."""
    return Query(_COLUMNS + " WHERE person_id = $1 AND ($2 OR retired_at IS NULL)"
                 " ORDER BY side DESC, noted_at, strength_id", (person_id, include_retired))


async def strengths_of(conn: asyncpg.Connection, person_id: UUID,
                       include_retired: bool = False) -> list[asyncpg.Record]:
    return await strengths_query(person_id, include_retired).fetch(conn)


async def strength(conn: asyncpg.Connection, person_id: UUID,
                   strength_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(_COLUMNS + " WHERE person_id = $1 AND strength_id = $2",
                               person_id, strength_id)


async def strength_history(conn: asyncpg.Connection, person_id: UUID,
                           strength_id: UUID) -> list[asyncpg.Record]:
    """Every change, oldest first; the rows with a text are the successive wordings."""
    return await conn.fetch(
        "SELECT version, change, text, sphere, theme, member_id, author_id, at"
        " FROM strengths_history WHERE person_id = $1 AND strength_id = $2 ORDER BY version",
        person_id, strength_id)
