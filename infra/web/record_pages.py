"""A person's record in the browser. Every route takes `person_id` in its path and declares
what it touches (`opt=touches(TAB, READ|WRITE)`), so the consent guard decides and logs it
exactly as for the API; handlers read through the same queries as the JSON controllers.

The pattern a tab's page copies: a GET on `/app/persons/{person_id:uuid}/<tab>` declaring
`touches(<tab>, READ)`, reading with `fetch_record` (or the `db` dependency, the guard's
connection), rendering a template that extends `record/layout.html`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from domain.access.policy import READ, SUMMARY
from domain.catalog import load_catalog
from infra.access.read import fetch_record
from infra.http.access_guard import readable_tabs, ticket_of
from infra.http.controllers.record import TAB_ORDER, summary_queries
from infra.http.reads import checked_person
from infra.http.touches import touches
from infra.web.page import page, page_locale
from services.actor import Actor

# Each tab of a record and the last part of its page's path.
TAB_PATHS = {"quality_of_life": "quality-of-life", "social_network": "network",
             "strengths": "strengths", "plan": "plan"}


def record_context(request: Request[Any, Any, Any], actor: Actor, person: UUID,
                   current: str | None) -> dict[str, Any]:
    """What `record/layout.html` needs: whose record, the tabs this actor may open (in the
    order of the record), and which one is shown."""
    tabs = readable_tabs(request)
    return {"person_id": person, "own_record": actor.user_id == person, "current_tab": current,
            "tabs": [(tab, f"/app/persons/{person}/{TAB_PATHS[tab]}")
                     for tab in TAB_ORDER if tab in tabs]}


class RecordPages(Controller):
    path = "/app/persons"
    include_in_schema = False

    @get("/{person_id:uuid}", opt=touches(SUMMARY, READ),
         dependencies={"person": Provide(checked_person)})
    async def overview(self, request: Request[Any, Any, Any], actor: Actor,
                       person: UUID) -> Template:
        """The record's home: the four tabs, each with what it holds now (the summary's read,
        one statement with the access-log row)."""
        rows = await fetch_record(ticket_of(request),
                                  lambda: summary_queries(person, readable_tabs(request)))
        locale = page_locale(request)
        averages = {r["sphere"]: r["average"] / 100 for r in rows.get("sphere_averages", [])
                    if r["perspective"] == "person"}
        assessments = rows.get("assessments", [])
        return page(request, "record/overview.html",
                    **record_context(request, actor, person, None),
                    last_reading=assessments[0]["opened_at"] if assessments else None,
                    spheres=[(s.label[locale], averages.get(s.key))
                             for s in load_catalog().spheres])
