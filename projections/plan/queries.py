"""Queries of the plan views; the connection already carries the tenant (RLS).

`goal_id` None means every goal of the person. A page of goals is fetched with its themes,
strengths and actions in one round trip: each of those queries takes the goals page's own
parameters and keeps to its goals, at most EMBEDDED (+1, to tell that more exist) per goal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from projections.batch import Query
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page, split

GOALS = Keyset("goals", (Key("created_at", "timestamptz"), Key("goal_id", "uuid")))
ACTIONS = Keyset("actions", (Key("position", "bigint"),))
HISTORY = Keyset("goal-history", (Key("version", "integer"),))
EMBEDDED = 100  # themes, strengths or actions shown within one goal

# The themes starred in the person's latest assessment that has stars (the current priorities).
_STARRED = ("WITH starred AS (SELECT theme FROM qol_priorities WHERE person_id = $1"
            " AND assessment_id = (SELECT assessment_id FROM qol_priorities WHERE person_id = $1"
            " ORDER BY notification_id DESC LIMIT 1)) ")
_ACTION = ("action_id, goal_id, text, who, who_name, due_date, done, done_by, done_at,"
           " added_by, added_at, updated_by, updated_at")


def goals_query(person_id: UUID, goal_id: UUID | None = None, status: str | None = None,
                after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Query:
    """Oldest first; parameters $1 person, $2 goal, $3 status (the embedded queries use them)."""
    return GOALS.page(Query(
        "SELECT goal_id, person_id, text, status, target_date, created_by, created_at,"
        " progress, progress_by, progress_at, version, updated_by, updated_at FROM plan_goals"
        " WHERE person_id = $1 AND ($2::uuid IS NULL OR goal_id = $2)"
        " AND ($3::text IS NULL OR status = $3)", (person_id, goal_id, status)), after, limit)


async def goals_of(conn: asyncpg.Connection, person_id: UUID, goal_id: UUID | None = None,
                   status: str | None = None) -> list[dict[str, Any]]:
    return split(GOALS, await goals_query(person_id, goal_id, status).fetch(conn),
                 DEFAULT_LIMIT)[0]


def _of_goals(goals: Query, select: str, table: str, order: str, *, prefix: str = "",
              join: str = "") -> Query:
    """`select` from `table` (as t) for the goals of the page `goals`, the first EMBEDDED + 1
    of each goal in `order`; its parameters are the goals page's own."""
    return Query(
        f"{prefix}SELECT {select} FROM (SELECT t.*, row_number() OVER (PARTITION BY t.goal_id"
        f" ORDER BY {order}) AS n FROM {table} t WHERE t.person_id = $1 AND t.goal_id IN"
        f" (SELECT goal_id FROM ({goals.sql}) g)) t{join} WHERE n <= {EMBEDDED + 1}"
        f" ORDER BY {order}", goals.args)


def goal_themes_query(goals: Query) -> Query:
    """Linked themes, each saying whether it is one of the current priorities."""
    return _of_goals(goals, "t.goal_id, t.theme, t.linked_by, t.linked_at,"
                     " t.theme IN (SELECT theme FROM starred) AS starred", "plan_goal_themes",
                     "t.goal_id, t.linked_at, t.theme", prefix=_STARRED)


def goal_strengths_query(goals: Query) -> Query:
    """Linked strengths with their current wording (a strength retired since says so).

    Each strength is looked up by its key (a LATERAL sub-select kept apart by OFFSET 0), not
    joined: the summary's statement is planned before it sets the tenant (ADR 15), when the
    tenant's rows look like none, and a join then scanned every strength of the tenant for
    each link (2.5 ms instead of 0.16 for the whole summary at 10,000 persons)."""
    return _of_goals(
        goals, "t.goal_id, t.strength_id, s.text, s.kind, s.retired, t.linked_by, t.linked_at",
        "plan_goal_strengths", "t.goal_id, t.linked_at, t.strength_id",
        join=" LEFT JOIN LATERAL (SELECT s.text, s.kind, s.retired_at IS NOT NULL AS retired"
        " FROM strengths_current s WHERE s.tenant_id = t.tenant_id"
        " AND s.strength_id = t.strength_id OFFSET 0) s ON true")


def goal_actions_query(goals: Query) -> Query:
    return _of_goals(goals, "t." + _ACTION.replace(", ", ", t."), "plan_actions", "t.position")


def actions_query(person_id: UUID, goal_id: UUID | None = None, done: bool | None = None,
                  after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Query:
    """In the order they were added."""
    return ACTIONS.page(Query(
        f"SELECT {_ACTION}, position FROM plan_actions WHERE person_id = $1"
        " AND ($2::uuid IS NULL OR goal_id = $2) AND ($3::boolean IS NULL OR done = $3)",
        (person_id, goal_id, done)), after, limit)


async def actions_of(conn: asyncpg.Connection, person_id: UUID, goal_id: UUID | None = None,
                     done: bool | None = None, after: Sequence[Any] | None = None,
                     limit: int = DEFAULT_LIMIT) -> Page:
    rows, cursor = split(ACTIONS, await actions_query(person_id, goal_id, done, after, limit)
                         .fetch(conn), limit)
    return [{k: v for k, v in r.items() if k != "position"} for r in rows], cursor


async def goal_history(conn: asyncpg.Connection, person_id: UUID, goal_id: UUID,
                       after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    return await fetch_page(conn, HISTORY, Query(
        "SELECT version, change, text, from_status, to_status, progress, target_date, due_date,"
        " theme, strength_id, action_id, who, who_name, author_id, at FROM plan_goal_history"
        " WHERE person_id = $1 AND goal_id = $2", (person_id, goal_id)), after, limit)
