"""Routes declare the part of the record they touch, not their URL text: the app refuses to
start if a route on a person's record declares nothing or something unknown, and a page under
another prefix than the API's is decided and logged like the API route (ADR 37)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from litestar import Controller, Litestar, Request, get, post
from litestar.di import Provide
from litestar.exceptions import ImproperlyConfiguredException

import infra.http.app
from domain.access.policy import PLAN, READ, WRITE
from infra.http.access_guard import readable_tabs
from infra.http.app import create_app
from infra.http.reads import reachable_person
from infra.http.touches import check_routes_declare_touches, touches
from infra.platform import Servers, WriteSide
from services.actor import Actor
from tests.conftest import Org
from tests.http.conftest import grant, open_org, serving

RECORD = "/persons/{person_id:uuid}/plan"


@get(RECORD)
async def undeclared(person_id: UUID) -> None: ...


@get(RECORD, opt=touches("finances", READ))
async def unknown_page(person_id: UUID) -> None: ...


@get(RECORD, opt=touches(PLAN, "erase"))
async def unknown_action(person_id: UUID) -> None: ...


@post(RECORD, opt=touches(PLAN, READ))
async def write_declared_as_read(person_id: UUID) -> None: ...


@get("/teams/{team_id:uuid}", opt=touches(PLAN, READ))
async def declared_without_person(team_id: UUID) -> None: ...


@pytest.mark.parametrize(("route", "says"), [
    (undeclared, "declares no part of the record"),
    (unknown_page, "unknown page 'finances'"),
    (unknown_action, "unknown action 'erase'"),
    (write_declared_as_read, "changes something (POST) but declares READ"),
    (declared_without_person, "its path takes no person_id"),
])
def test_a_route_that_declares_nothing_or_something_unknown_is_refused_by_name(
        route: Any, says: str) -> None:
    with pytest.raises(ImproperlyConfiguredException) as refused:
        check_routes_declare_touches(Litestar([route]).routes)
    assert says in str(refused.value)
    assert route.handler_name in str(refused.value)


@get(RECORD, opt=touches(PLAN, READ))
async def read_plan(person_id: UUID) -> None: ...


@post(RECORD, opt=touches(PLAN, WRITE))
async def write_plan(person_id: UUID) -> None: ...


def test_litestar_options_answer_on_a_record_path_touches_the_paths_page_as_a_write() -> None:
    app = Litestar([read_plan, write_plan])
    check_routes_declare_touches(app.routes)
    options = [h for r in app.routes if "person_id" in r.path_parameters
               for h in r.route_handlers if h.http_methods == {"OPTIONS"}]
    assert [h.opt["touches"] for h in options] == [touches(PLAN, WRITE)["touches"]]


class UndeclaredRecordRoute(Controller):
    path = "/persons"

    @get("/{person_id:uuid}/plan/secrets")
    async def secrets(self, person_id: UUID) -> None: ...


def test_create_app_refuses_to_start_with_a_record_route_that_declares_nothing(
        servers: Servers, monkeypatch: pytest.MonkeyPatch) -> None:
    create_app(servers)  # every route of the API declares what it touches
    monkeypatch.setattr(infra.http.app, "TeamStatisticsController", UndeclaredRecordRoute)
    with pytest.raises(ImproperlyConfiguredException, match=r"secrets \(/api/v1/persons/"):
        create_app(servers)


# A page outside /api/v1, as the web pages will be: the same guard decides it ----------------
@get(RECORD, opt=touches(PLAN, READ), dependencies={"person": Provide(reachable_person)})
async def plan_page(request: Request[Any, Any, Any], db: asyncpg.Connection,
                    person: UUID) -> dict[str, Any]:
    tenant = await db.fetchval("SELECT current_setting('app.tenant_id')")
    return {"tenant": tenant, "tabs": sorted(readable_tabs(request))}


@pytest.fixture(scope="module")
def pages(servers: Servers, write_side: WriteSide, projector: None) -> Iterator[str]:
    app = create_app(servers, write_side=write_side)
    app.register(plan_page)
    check_routes_declare_touches(app.routes)
    with serving(app) as url:
        yield url


def _client(base: str, org: Org, actor: Actor) -> httpx.Client:
    token = org.side.accounts.issue_token(actor, "tests", 1).token
    return httpx.Client(base_url=base, timeout=30, headers={"authorization": f"Bearer {token}"})


def _logged(projector_conn: Any, actor: Actor) -> list[tuple[str, str, str, str]]:
    return [tuple(r) for r in projector_conn.execute(
        "SELECT tab, action, path, outcome FROM access_log WHERE tenant_id = %s"
        " AND actor_id = %s ORDER BY id", [actor.tenant_id, actor.user_id]).fetchall()]


def test_a_page_under_another_prefix_is_decided_and_logged_like_the_api_route(
        pages: str, write_side: WriteSide, projector_conn: Any) -> None:
    org = open_org(write_side)
    person, consented, other = org.open("person"), org.open("practitioner"), org.open("practitioner")
    grant(org, person, consented, tabs=[PLAN], level="read")
    page, api = f"/persons/{person.user_id}/plan", f"/api/v1/persons/{person.user_id}/plan/goals"
    for actor, status in ((consented, 200), (other, 403), (person, 200)):
        with _client(pages, org, actor) as client:
            answer = client.get(page)
            assert answer.status_code == status, answer.text
            assert client.get(api).status_code == status
        outcome = "allowed" if status == 200 else "denied"
        assert _logged(projector_conn, actor) == [("plan", "read", page, outcome),
                                                  ("plan", "read", api, outcome)]
        if status == 200:
            assert answer.json()["tenant"] == str(org.tenant_id)
    with _client(pages, org, consented) as client:
        assert client.get(page).json()["tabs"] == [PLAN]
