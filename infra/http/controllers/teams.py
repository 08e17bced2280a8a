"""Teams of practitioners: the org admin forms them; managers see their own team."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, delete, get, post, put

from infra.http.auth import require_roles
from infra.http.commands import expected_version, run_command
from infra.http.paging import PAGE_HEADERS, Cursor, Limit, after, page
from infra.http.schemas import CommandView, TeamCreate, TeamManagerAssign, TeamMemberAdd, TeamView
from infra.http.state import AppState
from projections.accounts.teams import TEAMS, list_teams
from services.actor import Actor


def _teams(request: Request[Any, Any, Any]) -> Any:
    state: AppState = request.app.state.barometre
    return state.write.teams


class TeamsController(Controller):
    path = "/teams"
    tags = ["teams"]  # noqa: RUF012

    @post("/", operation_id="createTeam", guards=[require_roles("org_admin")])
    async def create(self, request: Request[Any, Any, Any], actor: Actor,
                     data: TeamCreate) -> Response[CommandView]:
        return await run_command(request, actor, _teams(request), lambda service: service.create_team(
            actor, data.name), data=data)

    @get("/", operation_id="listTeams", guards=[require_roles("org_admin", "team_manager")],
         response_headers=PAGE_HEADERS)
    async def list(self, request: Request[Any, Any, Any], actor: Actor, db: asyncpg.Connection,
                   limit: int = Limit, cursor: str | None = Cursor) -> Response[list[TeamView]]:
        """By name; a team manager sees the teams they manage."""
        manager = actor.user_id if actor.role == "team_manager" else None
        rows, next_cursor = await list_teams(db, manager, after(TEAMS, cursor), limit)
        return page(request, [TeamView(**r) for r in rows], next_cursor)

    @post("/{team_id:uuid}/members", operation_id="addTeamMember",
          guards=[require_roles("org_admin")], status_code=200)
    async def add(self, request: Request[Any, Any, Any], actor: Actor, team_id: UUID,
                  data: TeamMemberAdd) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _teams(request), lambda service: service.add_practitioner(
            actor, team_id, data.practitioner_id, version), data=data)

    @delete("/{team_id:uuid}/members/{practitioner_id:uuid}", operation_id="removeTeamMember",
            guards=[require_roles("org_admin")], status_code=200)
    async def remove(self, request: Request[Any, Any, Any], actor: Actor, team_id: UUID,
                     practitioner_id: UUID) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _teams(request), lambda service: service.remove_practitioner(
            actor, team_id, practitioner_id, version))

    @put("/{team_id:uuid}/manager", operation_id="assignTeamManager", guards=[require_roles("org_admin")])
    async def manager(self, request: Request[Any, Any, Any], actor: Actor, team_id: UUID,
                      data: TeamManagerAssign) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _teams(request), lambda service: service.assign_manager(
            actor, team_id, data.manager_id, version), data=data)
