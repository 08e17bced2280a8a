"""The accomplishment plan of a person's record: goals, their actions, and their history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import Provide

from domain.access.policy import PLAN, READ, WRITE
from domain.errors import NotFound
from infra.http.commands import expected_version, run_command
from infra.http.paging import PAGE_HEADERS, Cursor, Limit, after, page
from infra.http.reads import reachable_person
from infra.http.schemas import CommandView
from infra.http.schemas_plan import (
    ActionAssignment,
    ActionCreate,
    ActionView,
    DueDateChange,
    GoalChange,
    GoalCreate,
    GoalStrength,
    GoalTheme,
    GoalView,
    ProgressRating,
    Status,
    StatusChange,
    TargetDateChange,
    TextChange,
)
from infra.http.state import AppState
from infra.http.touches import touches
from projections.batch import Query, fetch_many
from projections.paging import DEFAULT_LIMIT, split
from projections.plan import queries
from services.actor import Actor
from services.base import CommandResult
from services.plan import Plan

GOALS = "/{person_id:uuid}/plan/goals"
GOAL = GOALS + "/{goal_id:uuid}"
ACTION = GOAL + "/actions/{action_id:uuid}"
T = TypeVar("T")


def _plan(request: Request[Any, Any, Any]) -> Plan:
    state: AppState = request.app.state.barometre
    return state.write.plan


async def _command(request: Request[Any, Any, Any], actor: Actor,
                   command: Callable[[Plan, int | None], CommandResult],
                   data: Any = None) -> Response[CommandView]:
    """Runs `command(plan, expected version)`; the version comes from If-Match."""
    version = expected_version(request)
    return await run_command(request, actor, _plan(request), lambda plan: command(plan, version),
                             data=data)


def _by_goal(rows: Iterable[dict[str, Any]], build: Callable[..., T]) -> dict[UUID, list[T]]:
    grouped: dict[UUID, list[T]] = defaultdict(list)
    for fields in rows:
        grouped[fields["goal_id"]].append(build(**fields))
    return grouped


def _link(cls: Callable[..., T]) -> Callable[..., T]:
    def build(goal_id: UUID, **fields: Any) -> T:
        return cls(**fields)
    return build


def goal_queries(person: UUID, goal_id: UUID | None = None, status: str | None = None,
                 start: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> dict[str, Query]:
    """A page of goal views, fetched in one round trip (`fetch_many`)."""
    goals = queries.goals_query(person, goal_id, status, start, limit)
    return {"goals": goals, "goal_themes": queries.goal_themes_query(goals),
            "goal_strengths": queries.goal_strengths_query(goals),
            "goal_actions": queries.goal_actions_query(goals)}


def _goal_view(goal: dict[str, Any], embedded: dict[str, list[Any]]) -> GoalView:
    cut = {name: rows[:queries.EMBEDDED] for name, rows in embedded.items()}
    truncated = [name for name, rows in embedded.items() if len(rows) > queries.EMBEDDED]
    return GoalView(**goal, **cut, truncated=truncated)


def assemble_goal_views(rows: dict[str, list[dict[str, Any]]],
                        limit: int = DEFAULT_LIMIT) -> tuple[list[GoalView], str | None]:
    """The page of goals with what each embeds, and the next page's cursor."""
    goals, next_cursor = split(queries.GOALS, rows["goals"], limit)
    themes = _by_goal(rows["goal_themes"], _link(GoalTheme))
    strengths = _by_goal(rows["goal_strengths"], _link(GoalStrength))
    actions = _by_goal(rows["goal_actions"], ActionView)
    return [_goal_view(g, {"themes": themes[g["goal_id"]], "strengths": strengths[g["goal_id"]],
                           "actions": actions[g["goal_id"]]}) for g in goals], next_cursor


async def goal_views(db: asyncpg.Connection, person: UUID, goal_id: UUID | None = None,
                     status: str | None = None, start: Sequence[Any] | None = None,
                     limit: int = DEFAULT_LIMIT) -> tuple[list[GoalView], str | None]:
    return assemble_goal_views(
        await fetch_many(db, goal_queries(person, goal_id, status, start, limit)), limit)


class PlanController(Controller):
    path = "/persons"
    tags = ["accomplishment plan"]  # noqa: RUF012
    dependencies = {"person": Provide(reachable_person)}  # noqa: RUF012

    # Goals ---------------------------------------------------------------------
    @post(GOALS, operation_id="setGoal", opt=touches(PLAN, WRITE))
    async def set_goal(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                       data: GoalCreate) -> Response[CommandView]:
        return await run_command(request, actor, _plan(request), lambda service: service.set_goal(
            actor, person_id, data.text, data.themes, data.strengths, data.target_date),
            data=data)

    @put(GOAL + "/text", operation_id="rewordGoal", opt=touches(PLAN, WRITE))
    async def reword_goal(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                          goal_id: UUID, data: TextChange) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.reword_goal(
            actor, person_id, goal_id, data.text, v), data)

    @put(GOAL + "/target-date", operation_id="setGoalTargetDate", opt=touches(PLAN, WRITE))
    async def set_target_date(self, request: Request[Any, Any, Any], actor: Actor,
                              person_id: UUID, goal_id: UUID,
                              data: TargetDateChange) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.set_target_date(
            actor, person_id, goal_id, data.target_date, v), data)

    @post(GOAL + "/status", operation_id="changeGoalStatus", status_code=200,
          opt=touches(PLAN, WRITE))
    async def change_status(self, request: Request[Any, Any, Any], actor: Actor,
                            person_id: UUID, goal_id: UUID,
                            data: StatusChange) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.change_status(
            actor, person_id, goal_id, data.status, v), data)

    @post(GOAL + "/progress", operation_id="rateGoalProgress", status_code=200,
          opt=touches(PLAN, WRITE))
    async def rate_progress(self, request: Request[Any, Any, Any], actor: Actor,
                            person_id: UUID, goal_id: UUID,
                            data: ProgressRating) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.rate_progress(
            actor, person_id, goal_id, data.value, v), data)

    @put(GOAL + "/themes/{theme:str}", operation_id="linkGoalToTheme", opt=touches(PLAN, WRITE))
    async def link_theme(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                         goal_id: UUID, theme: str) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.link_theme(
            actor, person_id, goal_id, theme, v))

    @delete(GOAL + "/themes/{theme:str}", operation_id="unlinkGoalFromTheme", status_code=200,
            opt=touches(PLAN, WRITE))
    async def unlink_theme(self, request: Request[Any, Any, Any], actor: Actor,
                           person_id: UUID, goal_id: UUID, theme: str) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.unlink_theme(
            actor, person_id, goal_id, theme, v))

    @put(GOAL + "/strengths/{strength_id:uuid}", operation_id="linkGoalToStrength",
         opt=touches(PLAN, WRITE))
    async def link_strength(self, request: Request[Any, Any, Any], actor: Actor,
                            person_id: UUID, goal_id: UUID,
                            strength_id: UUID) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.link_strength(
            actor, person_id, goal_id, strength_id, v))

    @delete(GOAL + "/strengths/{strength_id:uuid}", operation_id="unlinkGoalFromStrength",
            status_code=200, opt=touches(PLAN, WRITE))
    async def unlink_strength(self, request: Request[Any, Any, Any], actor: Actor,
                              person_id: UUID, goal_id: UUID,
                              strength_id: UUID) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.unlink_strength(
            actor, person_id, goal_id, strength_id, v))

    # Actions ---------------------------------------------------------------------
    @post(GOAL + "/actions", operation_id="addAction", opt=touches(PLAN, WRITE))
    async def add_action(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                         goal_id: UUID, data: ActionCreate) -> Response[CommandView]:
        """Answers with the new action's id and the goal's new version."""
        return await _command(request, actor, lambda plan, v: plan.add_action(
            actor, person_id, goal_id, data.text, data.who, data.who_name, data.due_date, v),
            data)

    @put(ACTION + "/text", operation_id="rewordAction", opt=touches(PLAN, WRITE))
    async def reword_action(self, request: Request[Any, Any, Any], actor: Actor,
                            person_id: UUID, goal_id: UUID, action_id: UUID,
                            data: TextChange) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.reword_action(
            actor, person_id, goal_id, action_id, data.text, v), data)

    @put(ACTION + "/who", operation_id="assignAction", opt=touches(PLAN, WRITE))
    async def assign_action(self, request: Request[Any, Any, Any], actor: Actor,
                            person_id: UUID, goal_id: UUID, action_id: UUID,
                            data: ActionAssignment) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.assign_action(
            actor, person_id, goal_id, action_id, data.who, data.who_name, v), data)

    @put(ACTION + "/due-date", operation_id="setActionDueDate", opt=touches(PLAN, WRITE))
    async def set_due_date(self, request: Request[Any, Any, Any], actor: Actor,
                           person_id: UUID, goal_id: UUID, action_id: UUID,
                           data: DueDateChange) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.set_action_due_date(
            actor, person_id, goal_id, action_id, data.due_date, v), data)

    @post(ACTION + "/done", operation_id="markActionDone", status_code=200,
          opt=touches(PLAN, WRITE))
    async def mark_done(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                        goal_id: UUID, action_id: UUID) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.mark_action_done(
            actor, person_id, goal_id, action_id, v))

    @post(ACTION + "/reopen", operation_id="reopenAction", status_code=200,
          opt=touches(PLAN, WRITE))
    async def reopen(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     goal_id: UUID, action_id: UUID) -> Response[CommandView]:
        return await _command(request, actor, lambda plan, v: plan.reopen_action(
            actor, person_id, goal_id, action_id, v))

    # Views -----------------------------------------------------------------------
    @get(GOALS, operation_id="listGoals", response_headers=PAGE_HEADERS, opt=touches(PLAN, READ))
    async def goals(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                    person: UUID, status: Status | None = None, limit: int = Limit,
                    cursor: str | None = Cursor) -> Response[list[GoalView]]:
        """Oldest first, each with its themes, strengths and actions (the first 100 of each)."""
        return page(request, *await goal_views(
            db, person, status=status, start=after(queries.GOALS, cursor), limit=limit))

    @get(GOAL, operation_id="getGoal", opt=touches(PLAN, READ))
    async def goal(self, db: asyncpg.Connection, person: UUID, goal_id: UUID) -> GoalView:
        found, _ = await goal_views(db, person, goal_id)
        if not found:
            raise NotFound("goal not found")
        return found[0]

    @get(GOAL + "/history", operation_id="goalHistory", response_headers=PAGE_HEADERS,
         opt=touches(PLAN, READ))
    async def history(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      person: UUID, goal_id: UUID, limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[GoalChange]]:
        """Every change of the goal and its actions, oldest first."""
        if not await queries.goals_of(db, person, goal_id):
            raise NotFound("goal not found")
        rows, next_cursor = await queries.goal_history(
            db, person, goal_id, after(queries.HISTORY, cursor), limit)
        return page(request, [GoalChange(**r) for r in rows], next_cursor)

    @get("/{person_id:uuid}/plan/actions", operation_id="listActions",
         response_headers=PAGE_HEADERS, opt=touches(PLAN, READ))
    async def actions(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      person: UUID, done: bool | None = None, goal_id: UUID | None = None,
                      limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[ActionView]]:
        """The actions of every goal (or of `goal_id`), in the order they were added."""
        rows, next_cursor = await queries.actions_of(
            db, person, goal_id, done, after(queries.ACTIONS, cursor), limit)
        return page(request, [ActionView(**r) for r in rows], next_cursor)
