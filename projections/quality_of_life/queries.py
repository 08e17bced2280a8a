"""Queries of the quality-of-life views; the connection already carries the tenant (RLS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from projections.batch import Query
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page, split

_SPHERE_AVERAGES = ("SELECT sphere, perspective, average::float8 AS average, rated_count"
                    " FROM qol_sphere_averages WHERE assessment_id = {assessment}"
                    " ORDER BY perspective, sphere")


ASSESSMENTS = Keyset("assessments", (Key("opened_at", "timestamptz", True),
                                     Key("assessment_id", "uuid", True)))
RATINGS = Keyset("ratings", (Key("perspective", "text"), Key("theme", "text")))
HISTORY = Keyset("theme-history", (Key("notification_id", "bigint"),))
PRIORITIES = Keyset("priorities", (Key("starred_at", "timestamptz"), Key("theme", "text")))


def assessments_query(person_id: UUID, after: Sequence[Any] | None = None,
                      limit: int = DEFAULT_LIMIT) -> Query:
    """Newest first."""
    return ASSESSMENTS.page(Query(
        "SELECT assessment_id, person_id, catalog_version, opened_by, opened_at, version,"
        " completed_at FROM qol_assessments WHERE person_id = $1", (person_id,)), after, limit)


async def assessments_of(conn: asyncpg.Connection, person_id: UUID,
                         after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return split(ASSESSMENTS, await assessments_query(person_id, after, limit).fetch(conn), limit)


async def assessment(conn: asyncpg.Connection, person_id: UUID,
                     assessment_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT assessment_id, person_id, catalog_version, opened_by, opened_at, version,"
        " completed_at FROM qol_assessments WHERE person_id = $1 AND assessment_id = $2",
        person_id, assessment_id)


async def sphere_averages(conn: asyncpg.Connection, assessment_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(_SPHERE_AVERAGES.format(assessment="$1"), assessment_id)


def latest_sphere_averages_query(person_id: UUID) -> Query:
    """The sphere averages of the person's newest assessment (as assessments_query orders)."""
    return Query(_SPHERE_AVERAGES.format(
        assessment="(SELECT assessment_id FROM qol_assessments WHERE person_id = $1"
                   " ORDER BY opened_at DESC LIMIT 1)"), (person_id,))


async def stars_of(conn: asyncpg.Connection, assessment_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT theme, assessment_id, starred_by, starred_at FROM qol_priorities"
        " WHERE assessment_id = $1 ORDER BY notification_id", assessment_id)


def current_ratings_query(person_id: UUID, perspective: str | None,
                          after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Query:
    return RATINGS.page(Query(
        "SELECT theme, perspective, value, assessment_id, author_id, rated_at"
        " FROM qol_current_ratings WHERE person_id = $1 AND ($2::text IS NULL OR perspective = $2)",
        (person_id, perspective)), after, limit)


async def current_ratings(conn: asyncpg.Connection, person_id: UUID, perspective: str | None,
                          after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return split(RATINGS, await current_ratings_query(person_id, perspective, after, limit)
                 .fetch(conn), limit)


async def theme_history(conn: asyncpg.Connection, person_id: UUID, theme: str,
                        after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    """Oldest first, on the (tenant, person, theme, notification id) index."""
    return await fetch_page(conn, HISTORY, Query(
        "SELECT notification_id, kind, perspective, value, comment, assessment_id, author_id, at"
        " FROM qol_theme_history WHERE person_id = $1 AND theme = $2", (person_id, theme)),
        after, limit)


def current_priorities_query(person_id: UUID, after: Sequence[Any] | None = None,
                             limit: int = DEFAULT_LIMIT) -> Query:
    """The stars of the person's latest assessment that has stars."""
    return PRIORITIES.page(Query(
        "SELECT theme, assessment_id, starred_by, starred_at FROM qol_priorities"
        " WHERE person_id = $1 AND assessment_id = (SELECT assessment_id FROM qol_priorities"
        " WHERE person_id = $1 ORDER BY notification_id DESC LIMIT 1)", (person_id,)),
        after, limit)


async def current_priorities(conn: asyncpg.Connection, person_id: UUID,
                             after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return split(PRIORITIES, await current_priorities_query(person_id, after, limit).fetch(conn),
                 limit)


async def assessment_ratings(conn: asyncpg.Connection, person_id: UUID,
                             assessment_id: UUID) -> list[asyncpg.Record]:
    """The latest value of every theme of one of the person's assessments, per perspective
    (the person's and each practitioner's): what "something to talk about" compares."""
    return await conn.fetch(
        "SELECT r.perspective, r.theme, r.sphere, r.value FROM qol_assessment_ratings r"
        " WHERE r.assessment_id = $2 AND EXISTS (SELECT 1 FROM qol_assessments a"
        " WHERE a.assessment_id = $2 AND a.person_id = $1) ORDER BY r.perspective, r.theme",
        person_id, assessment_id)


async def starred_assessments(conn: asyncpg.Connection, person_id: UUID,
                              theme: str) -> set[UUID]:
    """The person's assessments in which the theme is a priority (starred)."""
    rows = await conn.fetch("SELECT assessment_id FROM qol_priorities"
                            " WHERE person_id = $1 AND theme = $2", person_id, theme)
    return {row["assessment_id"] for row in rows}
