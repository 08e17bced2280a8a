"""The door for HTTP: every request to a person's record, whatever its prefix (the JSON API,
the web pages), is admitted here before its handler, dependencies and body decoding run.

The tab and the action are what the route declares (`opt=touches(...)`, infra/http/touches.py;
the app refuses to start if a record route declares none). The ticket the door answers is the
request's: a read opens its transaction with it (infra/http/reads.py), a command passes it to
its save (infra/http/commands.py), and `access_row_middleware` writes its row if nothing did."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from domain.access.policy import WRITE
from domain.errors import NotFound
from infra.access import Asked, Ticket
from infra.http.auth import current_actor
from infra.http.inputs_prefetch import start
from infra.http.state import AppState
from infra.http.touches import Touches, declared

TICKET = "barometre_ticket"  # scope key: the request's Ticket
UNKNOWN = "unknown"
# A route the start-up check has not seen (registered later) declares nothing: denied.
UNDECLARED = Touches(UNKNOWN, WRITE)


def ticket_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Ticket | None:
    """The request's ticket (None on a route without a person)."""
    ticket = connection.scope.get(TICKET)
    return ticket if isinstance(ticket, Ticket) else None


def readable_tabs(connection: ASGIConnection[Any, Any, Any, Any]) -> frozenset[str]:
    """The tabs of the record in the path that the caller may read (empty if none); a ticket
    decided again after a stale read answers its new decision's."""
    ticket = ticket_of(connection)
    return ticket.readable_tabs if ticket else frozenset()


async def consent_guard(connection: ASGIConnection[Any, Any, Any, Any],
                        route_handler: BaseRouteHandler) -> None:
    """Admits the request, or raises 404 (no such person here) or 403; logged either way."""
    raw = connection.path_params.get("person_id")
    if raw is None:
        return
    state: AppState = connection.app.state.barometre
    try:
        person_id: UUID | None = raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        person_id = None
    prefetch = start(connection, state.session_owners, state.door.kept, state.read_pool,
                     person_id) if person_id else None
    try:
        actor = await current_actor(connection)  # type: ignore[arg-type]
        if person_id is None:
            raise NotFound("person not found")
    except BaseException:
        if prefetch:
            await prefetch.discard(state.read_pool)
        raise
    touched = declared(route_handler) or UNDECLARED
    path = connection.url.path
    asked = Asked(str(connection.scope.get("method", "GET")),
                  path if touched is not UNDECLARED else f"{path} (undeclared route)")
    early = await prefetch.inputs_for(actor) if prefetch else (None, None)
    ticket = await state.door.admit(actor, person_id, touched.page, touched.action, asked, early)
    if (refusal := ticket.refusal()) is not None:
        raise refusal
    connection.scope[TICKET] = ticket  # type: ignore[literal-required]
