"""The team directory: teams, their manager and their practitioners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from domain.accounts.team import Team
from projections.applied_versions import RecordsAppliedVersions, applied_versions
from projections.batch import Query
from projections.framework import Context, handles
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page


class TeamDirectory(RecordsAppliedVersions):
    name = "team_directory"
    application = "Teams"
    tables = ("teams", "team_members", "applied_team_versions")
    versioned = Team.Event
    versions = applied_versions("applied_team_versions", "team_id")

    @handles(Team.Created)
    def on_created(self, ctx: Context, e: Team.Created) -> None:
        ctx.cur.execute(
            "INSERT INTO teams (tenant_id, team_id, name, created_at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING", [ctx.tenant_id, e.originator_id, e.name, e.timestamp])

    @handles(Team.Renamed)
    def on_renamed(self, ctx: Context, e: Team.Renamed) -> None:
        ctx.cur.execute("UPDATE teams SET name = %s WHERE tenant_id = %s AND team_id = %s",
                        [e.name, ctx.tenant_id, e.originator_id])

    @handles(Team.ManagerAssigned)
    def on_manager(self, ctx: Context, e: Team.ManagerAssigned) -> None:
        ctx.cur.execute("UPDATE teams SET manager_id = %s WHERE tenant_id = %s AND team_id = %s",
                        [e.manager_id, ctx.tenant_id, e.originator_id])

    @handles(Team.PractitionerJoined)
    def on_joined(self, ctx: Context, e: Team.PractitionerJoined) -> None:
        ctx.cur.execute(
            "INSERT INTO team_members (tenant_id, team_id, practitioner_id, joined_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.practitioner_id, e.timestamp])

    @handles(Team.PractitionerLeft)
    def on_left(self, ctx: Context, e: Team.PractitionerLeft) -> None:
        ctx.cur.execute(
            "DELETE FROM team_members WHERE tenant_id = %s AND team_id = %s AND practitioner_id = %s",
            [ctx.tenant_id, e.originator_id, e.practitioner_id])


TEAMS = Keyset("teams", (Key("name", "text"), Key("team_id", "uuid")))
MEMBERS_SHOWN = 100  # members listed within a team; member_count tells how many there are


async def list_teams(conn: asyncpg.Connection, manager_id: UUID | None = None,
                     after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    """By name; with manager_id, only the teams they manage."""
    return await fetch_page(conn, TEAMS, Query(
        "SELECT t.team_id, t.name, t.manager_id, t.created_at, coalesce(m.members, '{}')"
        " AS members, coalesce(m.member_count, 0) AS member_count FROM teams t"
        " LEFT JOIN LATERAL (SELECT (array_agg(practitioner_id ORDER BY joined_at, practitioner_id))"
        f"[1:{MEMBERS_SHOWN}] AS members, count(*) AS member_count FROM team_members m"
        " WHERE m.tenant_id = t.tenant_id AND m.team_id = t.team_id) m ON true"
        " WHERE ($1::uuid IS NULL OR t.manager_id = $1)", (manager_id,)), after, limit)


async def teams_of(conn: asyncpg.Connection, practitioner_id: UUID) -> list[UUID]:
    rows = await conn.fetch("SELECT team_id FROM team_members WHERE practitioner_id = $1",
                            practitioner_id)
    return [r["team_id"] for r in rows]
