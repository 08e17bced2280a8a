"""De-identified figures for a team's manager: only aggregates, none over fewer than 5 persons."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from domain.catalog import load_catalog

MINIMUM_GROUP = 5

# Persons who currently let the team, or one of its practitioners, read their quality of life.
_COHORT = """WITH cohort AS (
  SELECT DISTINCT g.person_id FROM consent_grants g
  WHERE g.tab = 'quality_of_life' AND g.revoked_at IS NULL AND (g.until IS NULL OR g.until > now())
    AND ((g.grantee_kind = 'team' AND g.grantee_id = $1)
      OR (g.grantee_kind = 'practitioner' AND g.grantee_id IN (
            SELECT m.practitioner_id FROM team_members m WHERE m.team_id = $1))))"""


@dataclass(frozen=True)
class Figure:
    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class SphereFigure:
    sphere: str
    average: Figure


@dataclass(frozen=True)
class TeamStatistics:
    team_id: UUID
    minimum_group: int
    persons: Figure
    completed_assessments_90_days: Figure
    spheres: list[SphereFigure]


def figure(value: float | None, persons: int) -> Figure:
    """A figure computed over fewer than MINIMUM_GROUP persons is not shown."""
    if persons < MINIMUM_GROUP or value is None:
        return Figure(None, True)
    return Figure(value, False)


async def team_statistics(conn: asyncpg.Connection, team_id: UUID) -> TeamStatistics:
    catalog = load_catalog()
    totals = await conn.fetchrow(
        _COHORT + " SELECT (SELECT count(*) FROM cohort) AS persons,"
        " (SELECT count(*) FROM qol_assessments a JOIN cohort c ON c.person_id = a.person_id"
        "  WHERE a.completed_at > now() - interval '90 days') AS completed", team_id)
    spheres = await conn.fetch(
        _COHORT + """, per_person AS (
          SELECT r.person_id, s.sphere, avg(r.value) AS average FROM qol_current_ratings r
          JOIN cohort c ON c.person_id = r.person_id
          JOIN unnest($2::text[], $3::text[]) AS s(theme, sphere) ON s.theme = r.theme
          WHERE r.perspective = 'person' GROUP BY r.person_id, s.sphere)
        SELECT sphere, count(*) AS persons, round(avg(average), 1)::float8 AS average
        FROM per_person GROUP BY sphere""",
        team_id, list(catalog.themes), [t.sphere for t in catalog.themes.values()])
    persons = int(totals["persons"]) if totals else 0
    by_sphere = {r["sphere"]: r for r in spheres}
    return TeamStatistics(
        team_id, MINIMUM_GROUP, figure(persons, persons),
        figure(int(totals["completed"]) if totals else None, persons),
        [SphereFigure(s.key, figure(by_sphere[s.key]["average"], by_sphere[s.key]["persons"])
                      if s.key in by_sphere else Figure(None, True)) for s in catalog.spheres])


async def team_exists(conn: asyncpg.Connection, team_id: UUID) -> tuple[bool, UUID | None]:
    """(whether the team exists in the tenant, its manager)."""
    row = await conn.fetchrow("SELECT manager_id FROM teams WHERE team_id = $1", team_id)
    return (row is not None, row["manager_id"] if row else None)
