"""The social network (ecomap) tab of a person's record: commands and views."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from msgspec import UNSET

from domain.access.policy import READ, SOCIAL_NETWORK, WRITE
from domain.errors import NotFound
from domain.network.vocabulary import QUALITIES
from infra.http.commands import expected_version, run_command
from infra.http.paging import PAGE_HEADERS, Cursor, Limit, after, page
from infra.http.problems import Problem
from infra.http.reads import reachable_person
from infra.http.schemas import CommandView
from infra.http.schemas_network import (
    HistoryEntry,
    NetworkChangesView,
    NetworkMapView,
    RelationshipChange,
    RelationshipCreate,
    RelationshipUpdate,
    RelationshipView,
)
from infra.http.state import AppState
from infra.http.touches import touches
from projections.network import queries
from services.actor import Actor
from services.network import KEEP, Network, NewRelationship, Revision

NETWORK = "/{person_id:uuid}/network"
RELATIONSHIP = NETWORK + "/relationships/{relationship_id:uuid}"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _network(request: Request[Any, Any, Any]) -> Network:
    state: AppState = request.app.state.barometre
    return state.write.network


def parse_instant(value: str, what: str) -> datetime:
    """A date means the end of that day (UTC); a date-time without offset is UTC."""
    try:
        if _DATE.fullmatch(value):
            next_day = datetime.combine(date.fromisoformat(value) + timedelta(days=1), time(), UTC)
            return next_day - timedelta(microseconds=1)
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise Problem(400, "bad-request", f"{what} must be a date (YYYY-MM-DD) or an ISO 8601"
                                          f" date-time, e.g. 2026-03-01T12:00:00Z (got {value!r})"
                      ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def _revision(data: RelationshipUpdate) -> Revision:
    return Revision(**{field: KEEP if value is UNSET else value
                       for field, value in ((f, getattr(data, f)) for f in data.__struct_fields__)})


def relationship_view(row: asyncpg.Record | dict[str, Any]) -> RelationshipView:
    return RelationshipView(quality_name=QUALITIES[row["quality"]], **dict(row))


class NetworkController(Controller):
    path = "/persons"
    tags = ["social network"]  # noqa: RUF012
    dependencies = {"person": Provide(reachable_person)}  # noqa: RUF012

    # Commands ----------------------------------------------------------------
    @post(NETWORK + "/relationships", operation_id="addRelationship",
          opt=touches(SOCIAL_NETWORK, WRITE))
    async def add(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                  data: RelationshipCreate) -> Response[CommandView]:
        new = NewRelationship(data.name, data.relationship_type, data.quality, data.closeness,
                              data.frequency, data.label, data.supports, data.comment)
        return await run_command(request, actor, _network(request), lambda service: service.add(
            actor, person_id, new), data=data)

    @patch(RELATIONSHIP, operation_id="reviseRelationship", opt=touches(SOCIAL_NETWORK, WRITE))
    async def revise(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                     relationship_id: UUID, data: RelationshipUpdate) -> Response[CommandView]:
        revision, version = _revision(data), expected_version(request)
        return await run_command(request, actor, _network(request), lambda service: service.revise(
            actor, person_id, relationship_id, revision, version), data=data)

    @post(RELATIONSHIP + "/end", operation_id="endRelationship", status_code=200,
          opt=touches(SOCIAL_NETWORK, WRITE))
    async def end(self, request: Request[Any, Any, Any], actor: Actor, person_id: UUID,
                  relationship_id: UUID) -> Response[CommandView]:
        version = expected_version(request)
        return await run_command(request, actor, _network(request), lambda service: service.end(
            actor, person_id, relationship_id, version))

    # Views -----------------------------------------------------------------------
    @get(NETWORK, operation_id="networkMap", opt=touches(SOCIAL_NETWORK, READ))
    async def map(self, db: asyncpg.Connection, person: UUID, as_of: str | None = None,
                  include_ended: bool = False, limit: int = Limit,
                  cursor: str | None = Cursor) -> NetworkMapView:
        """The current map, or with `as_of` (a date: its end, UTC; or a date-time) the map
        as it stood then; inner circle first, then by name (next_cursor: the next page)."""
        start = after(queries.MAP, cursor)
        if as_of is None:
            at, (rows, next_cursor) = None, await queries.current_map(
                db, person, include_ended, start, limit)
        else:
            at = parse_instant(as_of, "as_of")
            rows, next_cursor = await queries.map_as_of(db, person, at, include_ended, start, limit)
        return NetworkMapView(at, [relationship_view(r) for r in rows], next_cursor)

    @get(RELATIONSHIP, operation_id="getRelationship", opt=touches(SOCIAL_NETWORK, READ))
    async def relationship(self, db: asyncpg.Connection, person: UUID,
                           relationship_id: UUID) -> Response[RelationshipView]:
        row = await queries.relationship(db, person, relationship_id)
        if row is None:
            raise NotFound("relationship not found")
        return Response(relationship_view(row), headers={"ETag": f'"{row["version"]}"'})

    @get(RELATIONSHIP + "/history", operation_id="relationshipHistory",
         response_headers=PAGE_HEADERS, opt=touches(SOCIAL_NETWORK, READ))
    async def history(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      person: UUID, relationship_id: UUID, limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[HistoryEntry]]:
        """The state after each change, oldest first."""
        rows, next_cursor = await queries.history(db, person, relationship_id,
                                                  after(queries.HISTORY, cursor), limit)
        if not rows and cursor is None:
            raise NotFound("relationship not found")
        return page(request, [HistoryEntry(quality_name=QUALITIES[r["quality"]], **r)
                              for r in rows], next_cursor)

    @get(NETWORK + "/changes", operation_id="networkChanges", opt=touches(SOCIAL_NETWORK, READ))
    async def changes(self, db: asyncpg.Connection, person: UUID,
                      start: str = Parameter(query="from"),
                      end: str = Parameter(query="to"), limit: int = Limit,
                      cursor: str | None = Cursor) -> NetworkChangesView:
        """What changed between the map at `from` and the map at `to`; a page holds `limit`
        changes in all, in the order added, ended, improved, worsened (next_cursor: the next)."""
        since, until = parse_instant(start, "from"), parse_instant(end, "to")
        if since > until:
            raise Problem(400, "bad-request", "from must not be after to")
        rows, next_cursor = await queries.changes_between(
            db, person, since, until, after(queries.CHANGES, cursor), limit)
        view = NetworkChangesView(since, until, next_cursor=next_cursor)
        for row in rows:
            fields = {k: v for k, v in row.items() if k != "change"}
            getattr(view, row["change"]).append(RelationshipChange(**fields))
        return view
