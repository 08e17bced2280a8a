"""The team directory: teams, their manager and their practitioners."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from domain.accounts.team import Team
from projections.applied_versions import RecordsAppliedVersions, applied_versions
from projections.framework import Context, handles


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


async def list_teams(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT t.team_id, t.name, t.manager_id, t.created_at, coalesce(array_agg(m.practitioner_id)"
        " FILTER (WHERE m.practitioner_id IS NOT NULL), '{}') AS members FROM teams t"
        " LEFT JOIN team_members m USING (tenant_id, team_id) GROUP BY t.tenant_id, t.team_id"
        " ORDER BY t.name")


async def teams_of(conn: asyncpg.Connection, practitioner_id: UUID) -> list[UUID]:
    rows = await conn.fetch("SELECT team_id FROM team_members WHERE practitioner_id = $1",
                            practitioner_id)
    return [r["team_id"] for r in rows]
