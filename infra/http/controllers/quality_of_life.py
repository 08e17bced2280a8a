"""The quality-of-life tab of a person's record: commands and views."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import Provide

from domain.access.policy import QUALITY_OF_LIFE, READ, WRITE
from domain.catalog import load_catalog
from domain.errors import NotFound
from infra.http.commands import expected_version, run_command
from infra.http.paging import PAGE_HEADERS, Cursor, Limit, after, page
from infra.http.reads import reachable_person
from infra.http.schemas import (
    AssessmentDetail,
    AssessmentSummary,
    CommandView,
    CommentRequest,
    CurrentRating,
    PerceptionsRequest,
    Priority,
    RatingsRequest,
    SphereAverage,
    ThemeHistoryEntry,
)
from infra.http.state import AppState
from infra.http.touches import touches
from projections.quality_of_life import queries
from services.actor import Actor

ASSESSMENT = "/{person_id:uuid}/assessments/{assessment_id:uuid}"


def _qol(request: Request[Any, Any, Any]) -> Any:
    state: AppState = request.app.state.barometre
    return state.write.quality_of_life


class QualityOfLifeController(Controller):
    path = "/persons"
    tags = ["quality of life"]  # noqa: RUF012
    dependencies = {"person": Provide(reachable_person)}  # noqa: RUF012

    # Commands ----------------------------------------------------------------
    @post("/{person_id:uuid}/assessments", operation_id="openAssessment",
          opt=touches(QUALITY_OF_LIFE, WRITE))
    async def open_assessment(self, request: Request[Any, Any, Any], actor: Actor,
                              person_id: UUID) -> Response[CommandView]:
        return await run_command(request, actor,
                                 _qol(request), lambda service: service.open_assessment(actor, person_id))

    @post(ASSESSMENT + "/ratings", operation_id="rateThemes", status_code=200,
          opt=touches(QUALITY_OF_LIFE, WRITE))
    async def rate(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                   assessment_id: UUID, data: RatingsRequest) -> Response[CommandView]:
        ratings = [(r.theme, r.value) for r in data.ratings]
        version = expected_version(request)
        return await run_command(request, actor, _qol(request), lambda service: service.rate(
            actor, assessment_id, ratings, version, person_id=person_id), data=data)

    @post(ASSESSMENT + "/perceptions", operation_id="recordPerceptions", status_code=200,
          opt=touches(QUALITY_OF_LIFE, WRITE))
    async def perceive(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                       assessment_id: UUID, data: PerceptionsRequest) -> Response[CommandView]:
        ratings = [(r.theme, r.value) for r in data.ratings]
        version = expected_version(request)
        return await run_command(request, actor, _qol(request), lambda service: service.record_perceptions(
            actor, assessment_id, ratings, data.comment, version, person_id=person_id), data=data)

    @post(ASSESSMENT + "/comments", operation_id="commentTheme", status_code=200,
          opt=touches(QUALITY_OF_LIFE, WRITE))
    async def comment(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                      assessment_id: UUID, data: CommentRequest) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _qol(request), lambda service: service.comment(
            actor, assessment_id, data.theme, data.text, version, person_id=person_id), data=data)

    @put(ASSESSMENT + "/stars/{theme:str}", operation_id="starTheme",
         opt=touches(QUALITY_OF_LIFE, WRITE))
    async def star(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                   assessment_id: UUID, theme: str) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _qol(request), lambda service: service.star(
            actor, assessment_id, theme, version, person_id=person_id))

    @delete(ASSESSMENT + "/stars/{theme:str}", operation_id="unstarTheme", status_code=200,
            opt=touches(QUALITY_OF_LIFE, WRITE))
    async def unstar(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     assessment_id: UUID, theme: str) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _qol(request), lambda service: service.unstar(
            actor, assessment_id, theme, version, person_id=person_id))

    @post(ASSESSMENT + "/complete", operation_id="completeAssessment", status_code=200,
          opt=touches(QUALITY_OF_LIFE, WRITE))
    async def complete(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                       assessment_id: UUID) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _qol(request), lambda service: service.complete(
            actor, assessment_id, version, person_id=person_id))

    # Views -----------------------------------------------------------------------
    @get("/{person_id:uuid}/assessments", operation_id="listAssessments",
         response_headers=PAGE_HEADERS, opt=touches(QUALITY_OF_LIFE, READ))
    async def assessments(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                          person: UUID, limit: int = Limit,
                          cursor: str | None = Cursor) -> Response[list[AssessmentSummary]]:
        """Newest first."""
        rows, next_cursor = await queries.assessments_of(
            db, person, after(queries.ASSESSMENTS, cursor), limit)
        return page(request, [AssessmentSummary(**r) for r in rows], next_cursor)

    @get(ASSESSMENT, operation_id="getAssessment", opt=touches(QUALITY_OF_LIFE, READ))
    async def assessment(self, db: asyncpg.Connection, person: UUID,
                         assessment_id: UUID) -> AssessmentDetail:
        row = await queries.assessment(db, person, assessment_id)
        if row is None:
            raise NotFound("assessment not found")
        spheres = await queries.sphere_averages(db, assessment_id)
        stars = await queries.stars_of(db, assessment_id)
        return AssessmentDetail(AssessmentSummary(**dict(row)),
                                [SphereAverage(**dict(r)) for r in spheres],
                                [Priority(**dict(r)) for r in stars])

    @get("/{person_id:uuid}/ratings", operation_id="currentRatings",
         response_headers=PAGE_HEADERS, opt=touches(QUALITY_OF_LIFE, READ))
    async def ratings(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      person: UUID, perspective: str | None = None, limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[CurrentRating]]:
        """The latest rating of each theme, by perspective then theme."""
        catalog = load_catalog()
        rows, next_cursor = await queries.current_ratings(
            db, person, perspective, after(queries.RATINGS, cursor), limit)
        return page(request, [CurrentRating(sphere=catalog.sphere_of(r["theme"]), **r)
                              for r in rows], next_cursor)

    @get("/{person_id:uuid}/themes/{theme:str}/history", operation_id="themeHistory",
         response_headers=PAGE_HEADERS, opt=touches(QUALITY_OF_LIFE, READ))
    async def history(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      person: UUID, theme: str, limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[ThemeHistoryEntry]]:
        """Every rating, perception and comment of the theme, oldest first."""
        if not load_catalog().has_theme(theme):
            raise NotFound(f"unknown theme {theme!r}")
        rows, next_cursor = await queries.theme_history(
            db, person, theme, after(queries.HISTORY, cursor), limit)
        return page(request, [ThemeHistoryEntry(**r) for r in rows], next_cursor)

    @get("/{person_id:uuid}/priorities", operation_id="currentPriorities",
         response_headers=PAGE_HEADERS, opt=touches(QUALITY_OF_LIFE, READ))
    async def priorities(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                         person: UUID, limit: int = Limit,
                         cursor: str | None = Cursor) -> Response[list[Priority]]:
        rows, next_cursor = await queries.current_priorities(
            db, person, after(queries.PRIORITIES, cursor), limit)
        return page(request, [Priority(**r) for r in rows], next_cursor)
