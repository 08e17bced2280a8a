"""The strengths tab of a person's record: commands and views."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post, put
from litestar.di import Provide

from domain.access.policy import READ, STRENGTHS, WRITE
from domain.errors import NotFound
from infra.http.commands import expected_version, run_command
from infra.http.paging import PAGE_HEADERS, Cursor, Limit, after, page
from infra.http.reads import reachable_person
from infra.http.schemas import CommandView
from infra.http.schemas_strengths import (
    StrengthChange,
    StrengthCreate,
    StrengthDetail,
    StrengthLinks,
    StrengthReword,
    StrengthView,
)
from infra.http.state import AppState
from infra.http.touches import touches
from projections.strengths import queries
from services.actor import Actor
from services.strengths import Strengths

STRENGTH = "/{person_id:uuid}/strengths/{strength_id:uuid}"


def _strengths(request: Request[Any, Any, Any]) -> Strengths:
    state: AppState = request.app.state.barometre
    return state.write.strengths


class StrengthsController(Controller):
    path = "/persons"
    tags = ["strengths"]  # noqa: RUF012
    dependencies = {"person": Provide(reachable_person)}  # noqa: RUF012

    # Commands ----------------------------------------------------------------
    @post("/{person_id:uuid}/strengths", operation_id="noteStrength", opt=touches(STRENGTHS, WRITE))
    async def note(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                   data: StrengthCreate) -> Response[CommandView]:
        return await run_command(request, actor, _strengths(request), lambda service: service.note(
            actor, person_id, data.kind, data.text, data.sphere, data.theme, data.member_id),
            data=data)

    @put(STRENGTH + "/text", operation_id="rewordStrength", opt=touches(STRENGTHS, WRITE))
    async def reword(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     strength_id: UUID, data: StrengthReword) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _strengths(request), lambda service: service.reword(
            actor, person_id, strength_id, data.text, version), data=data)

    @put(STRENGTH + "/links", operation_id="linkStrength", opt=touches(STRENGTHS, WRITE))
    async def link(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                   strength_id: UUID, data: StrengthLinks) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _strengths(request), lambda service: service.link(
            actor, person_id, strength_id, data.sphere, data.theme, data.member_id, version),
            data=data)

    @post(STRENGTH + "/retire", operation_id="retireStrength", status_code=200,
          opt=touches(STRENGTHS, WRITE))
    async def retire(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     strength_id: UUID) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _strengths(request), lambda service: service.retire(
            actor, person_id, strength_id, version))

    # Views -----------------------------------------------------------------------
    @get("/{person_id:uuid}/strengths", operation_id="listStrengths",
         response_headers=PAGE_HEADERS, opt=touches(STRENGTHS, READ))
    async def strengths(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                        person: UUID, include_retired: bool = False, limit: int = Limit,
                        cursor: str | None = Cursor) -> Response[list[StrengthView]]:
        """Personal strengths first, then those of the environment; oldest first in each."""
        rows, next_cursor = await queries.strengths_of(
            db, person, include_retired, after(queries.STRENGTHS, cursor), limit)
        return page(request, [StrengthView(**r) for r in rows], next_cursor)

    @get(STRENGTH, operation_id="getStrength", opt=touches(STRENGTHS, READ))
    async def strength(self, db: asyncpg.Connection, person: UUID,
                       strength_id: UUID) -> StrengthDetail:
        """The strength and its first changes (history_next_cursor: the rest, from /history)."""
        row = await queries.strength(db, person, strength_id)
        if row is None:
            raise NotFound("strength not found")
        history, next_cursor = await queries.strength_history(db, person, strength_id)
        return StrengthDetail(StrengthView(**dict(row)),
                              [StrengthChange(**r) for r in history], next_cursor)

    @get(STRENGTH + "/history", operation_id="strengthHistory", response_headers=PAGE_HEADERS,
         opt=touches(STRENGTHS, READ))
    async def history(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      person: UUID, strength_id: UUID, limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[StrengthChange]]:
        """Every change, oldest first; the rows with a text are the successive wordings."""
        if await queries.strength(db, person, strength_id) is None:
            raise NotFound("strength not found")
        rows, next_cursor = await queries.strength_history(
            db, person, strength_id, after(queries.HISTORY, cursor), limit)
        return page(request, [StrengthChange(**r) for r in rows], next_cursor)
