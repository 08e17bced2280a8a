"""Where a signed-in actor lands: a person on their own record, a practitioner on their
caseload, anyone else on a page for their role."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template

from infra.http.auth import require_roles
from infra.web.page import page, see_other
from services.actor import Actor


class HomePages(Controller):
    path = "/app"
    include_in_schema = False

    @get("/")
    async def home(self, actor: Actor) -> Response[Any]:
        if actor.role == "person":
            return see_other(f"/app/persons/{actor.user_id}")
        if actor.role == "practitioner":
            return see_other("/app/caseload")
        return see_other("/app/welcome")

    @get("/caseload", guards=[require_roles("practitioner")])
    async def caseload(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        """The persons who granted this practitioner access (the caseload issue fills it)."""
        return page(request, "caseload.html")

    @get("/welcome")
    async def welcome(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        """The roles whose pages are still to come (close person, manager, admin, auditor)."""
        return page(request, "welcome.html")
