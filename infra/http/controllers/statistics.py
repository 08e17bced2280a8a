"""De-identified statistics of a team's caseload, for its manager and the org admin."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from litestar import Controller, get

from domain.access.policy import check_may_see_team_statistics
from domain.errors import NotFound
from infra.http.auth import require_roles
from infra.http.schemas_consent import FigureView, SphereFigureView, TeamStatisticsView
from projections.consent.statistics import team_exists, team_statistics
from services.actor import Actor


class TeamStatisticsController(Controller):
    path = "/teams"
    tags = ["teams"]  # noqa: RUF012

    @get("/{team_id:uuid}/statistics", operation_id="teamStatistics",
         guards=[require_roles("team_manager", "org_admin")])
    async def statistics(self, actor: Actor, db: asyncpg.Connection,
                         team_id: UUID) -> TeamStatisticsView:
        """Over the persons who let the team, or one of its practitioners, read their quality
        of life: how many, per-sphere averages of their own current ratings, and assessments
        completed in the last 90 days. No ids, no names; small groups are suppressed."""
        exists, manager_id = await team_exists(db, team_id)
        if not exists:
            raise NotFound("team not found")
        check_may_see_team_statistics(actor, manager_id)
        s = await team_statistics(db, team_id)
        return TeamStatisticsView(
            s.team_id, s.minimum_group, FigureView(s.persons.value, s.persons.suppressed),
            FigureView(s.completed_assessments_90_days.value,
                       s.completed_assessments_90_days.suppressed),
            [SphereFigureView(f.sphere, FigureView(f.average.value, f.average.suppressed))
             for f in s.spheres])
