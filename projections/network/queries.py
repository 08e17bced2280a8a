"""Queries of the ecomap views; the connection already carries the tenant (RLS)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from projections.batch import Query
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page, split

# Inner circle first, then by name, so the map reads from the centre outwards.
_CIRCLE = Key("array_position(ARRAY['inner', 'middle', 'outer'], closeness)", "integer")
MAP = Keyset("network-map", (_CIRCLE, Key("lower(name)", "text"), Key("relationship_id", "uuid")))
HISTORY = Keyset("relationship-history", (Key("version", "integer"),))
CHANGES = Keyset("network-changes", (Key("change", "text"), Key("lower(name)", "text"),
                                     Key("relationship_id", "uuid")))
_STATE = ("relationship_id, person_id, name, relationship_type, label, quality, closeness,"
          " supports, frequency, comment, version, added_at")

# The latest state of each of the person's relationships at instant $2 (ended ones included).
_AS_OF = (
    "SELECT DISTINCT ON (relationship_id) " + _STATE + ", valid_from AS updated_at, ended_at"
    " FROM network_relationship_history WHERE person_id = $1 AND valid_from <= {at}"
    " ORDER BY relationship_id, version DESC")


def current_map_query(person_id: UUID, include_ended: bool = False,
                      after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Query:
    return MAP.page(Query(
        "SELECT " + _STATE + ", updated_at, ended_at FROM network_relationships"
        " WHERE person_id = $1 AND ($2 OR ended_at IS NULL)", (person_id, include_ended)),
        after, limit)


async def current_map(conn: asyncpg.Connection, person_id: UUID, include_ended: bool = False,
                      after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return split(MAP, await current_map_query(person_id, include_ended, after, limit).fetch(conn),
                 limit)


async def relationship(conn: asyncpg.Connection, person_id: UUID,
                       relationship_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT " + _STATE + ", updated_at, ended_at FROM network_relationships"
        " WHERE person_id = $1 AND relationship_id = $2", person_id, relationship_id)


async def history(conn: asyncpg.Connection, person_id: UUID, relationship_id: UUID,
                  after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return await fetch_page(conn, HISTORY, Query(
        "SELECT version, change, author_id, valid_from, name, relationship_type, label, quality,"
        " closeness, supports, frequency, comment, ended_at FROM network_relationship_history"
        " WHERE person_id = $1 AND relationship_id = $2", (person_id, relationship_id)),
        after, limit)


async def map_as_of(conn: asyncpg.Connection, person_id: UUID, at: datetime,
                    include_ended: bool = False, after: Sequence[Any] | None = None,
                    limit: int = DEFAULT_LIMIT) -> Page:
    """The map as it stood at `at`: relationships ended at or before `at` are left out."""
    return await fetch_page(conn, MAP, Query(
        "SELECT * FROM (" + _AS_OF.format(at="$2") + ") AS m WHERE ($3 OR ended_at IS NULL)",
        (person_id, at, include_ended)), after, limit)


async def changes_between(conn: asyncpg.Connection, person_id: UUID, start: datetime,
                          end: datetime, after: Sequence[Any] | None = None,
                          limit: int = DEFAULT_LIMIT) -> Page:
    """The difference between the maps at `start` and at `end`: relationships added, ended,
    improved (quality up) and worsened (quality down); other changes are not listed.
    A relationship both added and ended between the two instants is on neither map."""
    return await fetch_page(conn, CHANGES, Query(
        "WITH a AS (" + _AS_OF.format(at="$2") + "), b AS (" + _AS_OF.format(at="$3") + "),"
        " pairs AS (SELECT b.relationship_id, b.name, b.relationship_type, b.label,"
        "  a.quality AS quality_before, b.quality AS quality_after,"
        "  a.closeness AS closeness_before, b.closeness AS closeness_after,"
        "  b.added_at, b.ended_at, CASE"
        "   WHEN a.relationship_id IS NULL AND b.ended_at IS NULL THEN 'added'"
        "   WHEN b.ended_at IS NOT NULL AND a.relationship_id IS NOT NULL AND a.ended_at IS NULL"
        "    THEN 'ended'"
        "   WHEN b.ended_at IS NULL AND b.quality > a.quality THEN 'improved'"
        "   WHEN b.ended_at IS NULL AND b.quality < a.quality THEN 'worsened' END AS change"
        "  FROM b LEFT JOIN a USING (relationship_id))"
        " SELECT * FROM pairs WHERE change IS NOT NULL", (person_id, start, end)), after, limit)
