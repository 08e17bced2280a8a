"""Queries of the plan views; the connection already carries the tenant (RLS).

`goal_id` None means every goal of the person, so one page costs a fixed number of queries."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from projections.batch import Query

# The themes starred in the person's latest assessment that has stars (the current priorities).
_STARRED = ("WITH starred AS (SELECT theme FROM qol_priorities WHERE person_id = $1"
            " AND assessment_id = (SELECT assessment_id FROM qol_priorities WHERE person_id = $1"
            " ORDER BY notification_id DESC LIMIT 1)) ")


def goals_query(person_id: UUID, goal_id: UUID | None = None,
                status: str | None = None) -> Query:
    return Query(
        "SELECT goal_id, person_id, text, status, target_date, created_by, created_at,"
        " progress, progress_by, progress_at, version, updated_by, updated_at FROM plan_goals"
        " WHERE person_id = $1 AND ($2::uuid IS NULL OR goal_id = $2)"
        " AND ($3::text IS NULL OR status = $3) ORDER BY created_at, goal_id",
        (person_id, goal_id, status))


async def goals_of(conn: asyncpg.Connection, person_id: UUID, goal_id: UUID | None = None,
                   status: str | None = None) -> list[asyncpg.Record]:
    return await goals_query(person_id, goal_id, status).fetch(conn)


def goal_themes_query(person_id: UUID, goal_id: UUID | None = None) -> Query:
    """Linked themes, each saying whether it is one of the current priorities."""
    return Query(
        _STARRED + "SELECT t.goal_id, t.theme, t.linked_by, t.linked_at,"
        " t.theme IN (SELECT theme FROM starred) AS starred FROM plan_goal_themes t"
        " WHERE t.person_id = $1 AND ($2::uuid IS NULL OR t.goal_id = $2)"
        " ORDER BY t.linked_at, t.theme", (person_id, goal_id))


def goal_strengths_query(person_id: UUID, goal_id: UUID | None = None) -> Query:
    """Linked strengths with their current wording (a strength retired since says so).

    Each strength is looked up by its key (a LATERAL sub-select kept apart by OFFSET 0), not
    joined: the summary's statement is planned before it sets the tenant (ADR 15), when the
    tenant's rows look like none, and a join then scanned every strength of the tenant for
    each link (2.5 ms instead of 0.16 for the whole summary at 10,000 persons)."""
    return Query(
        "SELECT g.goal_id, g.strength_id, s.text, s.kind, s.retired, g.linked_by, g.linked_at"
        " FROM plan_goal_strengths g LEFT JOIN LATERAL (SELECT s.text, s.kind,"
        " s.retired_at IS NOT NULL AS retired FROM strengths_current s"
        " WHERE s.tenant_id = g.tenant_id AND s.strength_id = g.strength_id OFFSET 0) s ON true"
        " WHERE g.person_id = $1 AND ($2::uuid IS NULL OR g.goal_id = $2)"
        " ORDER BY g.linked_at, g.strength_id", (person_id, goal_id))


def actions_query(person_id: UUID, goal_id: UUID | None = None,
                  done: bool | None = None) -> Query:
    return Query(
        "SELECT action_id, goal_id, text, who, who_name, due_date, done, done_by, done_at,"
        " added_by, added_at, updated_by, updated_at FROM plan_actions WHERE person_id = $1"
        " AND ($2::uuid IS NULL OR goal_id = $2) AND ($3::boolean IS NULL OR done = $3)"
        " ORDER BY position", (person_id, goal_id, done))


async def actions_of(conn: asyncpg.Connection, person_id: UUID, goal_id: UUID | None = None,
                     done: bool | None = None) -> list[asyncpg.Record]:
    return await actions_query(person_id, goal_id, done).fetch(conn)


async def goal_history(conn: asyncpg.Connection, person_id: UUID,
                       goal_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT version, change, text, from_status, to_status, progress, target_date, due_date,"
        " theme, strength_id, action_id, who, who_name, author_id, at FROM plan_goal_history"
        " WHERE person_id = $1 AND goal_id = $2 ORDER BY version", person_id, goal_id)
