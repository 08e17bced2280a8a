"""The record across its tabs: one summary call, and one timeline of every change."""

from __future__ import annotations

import json
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.params import Parameter

from domain.access import policy
from domain.access.policy import READ, SUMMARY
from domain.catalog import load_catalog
from infra.access.read import fetch_record
from infra.http.access_guard import readable_tabs, ticket_of
from infra.http.controllers.network import relationship_view
from infra.http.controllers.plan import assemble_goal_views, goal_queries
from infra.http.paging import Cursor, after
from infra.http.reads import checked_person, reachable_person
from infra.http.schemas import AssessmentSummary, CurrentRating, Priority, SphereAverage
from infra.http.schemas_record import (
    QualityOfLifeSummary,
    RecordSummary,
    TimelineEntry,
    TimelinePage,
)
from infra.http.schemas_strengths import StrengthView
from infra.http.touches import touches
from projections.batch import Query
from projections.network import queries as network
from projections.paging import DEFAULT_LIMIT, split
from projections.quality_of_life import queries as qol
from projections.record.timeline import TIMELINE, timeline
from projections.strengths import queries as strengths

TAB_ORDER = ("quality_of_life", "social_network", "strengths", "plan")


def summary_queries(person: UUID, tabs: frozenset[str]) -> dict[str, Query]:
    """Everything the summary shows of the tabs the caller may read, each list its first page
    (as the list's own route gives it): one round trip."""
    wanted: dict[str, Query] = {}
    if "quality_of_life" in tabs:
        wanted |= {"assessments": qol.assessments_query(person, limit=1),
                   "sphere_averages": qol.latest_sphere_averages_query(person),
                   "current_ratings": qol.current_ratings_query(person, None),
                   "priorities": qol.current_priorities_query(person)}
    if "social_network" in tabs:
        wanted["relationships"] = network.current_map_query(person)
    if "strengths" in tabs:
        wanted["strengths"] = strengths.strengths_query(person)
    if "plan" in tabs:
        wanted |= goal_queries(person)
    return wanted


# The summary's lists cut at a page, by name: their keyset (the list route continues them).
_PAGED = {"current_ratings": qol.RATINGS, "priorities": qol.PRIORITIES,
          "relationships": network.MAP, "strengths": strengths.STRENGTHS}


def _first_pages(rows: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Cuts each list of the summary at its first page; the cursors of the lists cut."""
    more = {}
    for name, keyset in _PAGED.items():
        if name in rows:
            rows[name], cursor = split(keyset, rows[name], DEFAULT_LIMIT)
            if cursor:
                more[name] = cursor
    return more


def _quality_of_life(rows: dict[str, list[dict[str, Any]]]) -> QualityOfLifeSummary:
    assessments = split(qol.ASSESSMENTS, rows["assessments"], 1)[0]
    catalog = load_catalog()
    return QualityOfLifeSummary(
        latest_assessment=AssessmentSummary(**assessments[0]) if assessments else None,
        sphere_averages=[SphereAverage(**r) for r in rows["sphere_averages"]],
        current_ratings=[CurrentRating(sphere=catalog.sphere_of(r["theme"]), **r)
                         for r in rows["current_ratings"]],
        priorities=[Priority(**r) for r in rows["priorities"]])


class RecordController(Controller):
    path = "/persons"
    tags = ["record"]  # noqa: RUF012
    dependencies = {"person": Provide(reachable_person)}  # noqa: RUF012

    @get("/{person_id:uuid}/summary", operation_id="recordSummary",
         dependencies={"person": Provide(checked_person)}, opt=touches(SUMMARY, READ))
    async def summary(self, request: Request[Any, Any, Any], person: UUID) -> RecordSummary:
        """The four tabs in one call, each only if the caller may read it: one statement with
        the access-log row (`fetch_record`). Each list is its route's first page; `more`
        gives the cursor of those that go on (pass it as `cursor` to the list's route)."""
        rows = await fetch_record(ticket_of(request),
                                  lambda: summary_queries(person, readable_tabs(request)))
        tabs = readable_tabs(request)  # after the read: a stale decision is redone by it
        more = _first_pages(rows)
        plan = None
        if "plan" in tabs:
            plan, goals_cursor = assemble_goal_views(rows)
            if goals_cursor:
                more["goals"] = goals_cursor
        return RecordSummary(
            person_id=person, tabs=[t for t in TAB_ORDER if t in tabs],
            quality_of_life=_quality_of_life(rows) if "quality_of_life" in tabs else None,
            social_network=[relationship_view(r) for r in rows["relationships"]]
            if "social_network" in tabs else None,
            strengths=[StrengthView(**r) for r in rows["strengths"]]
            if "strengths" in tabs else None,
            plan=plan, more=more)

    @get("/{person_id:uuid}/timeline", operation_id="recordTimeline",
         opt=touches(policy.TIMELINE, READ))
    async def timeline(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                       person: UUID, before: str | None = Cursor,
                       limit: Annotated[int, Parameter(ge=1, le=200)] = 50) -> TimelinePage:
        """Every change to the record, newest first, in the tabs the caller may read; pass
        next_cursor as `before` for the next page."""
        start = after(TIMELINE, before, "before")
        tabs = [t for t in TAB_ORDER if t in readable_tabs(request)]
        rows, next_cursor = await timeline(db, person, tabs, start, limit)
        return TimelinePage([TimelineEntry(**{**r, "details": json.loads(r["details"])})
                             for r in rows], next_cursor)
