"""Every role × tab × action × consent state, over HTTP: allowed, or refused (403; 404 when
the record is in another tenant). The organizations, people and grants are made once for
the module; the routes of each tab are read from the OpenAPI document."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from infra.eventstore.factory import factory_builder
from services.actor import Actor
from services.consent import Consent
from tests.conftest import PASSWORD, Org
from tests.http.conftest import (
    ALL_TABS,
    KNOWN_BODIES,
    RECORD_PREFIX,
    grant,
    open_org,
    openapi_document,
    record_operations,
    token_client,
    wait_for_views,
)

TAB_SEGMENTS = {"quality_of_life": ("assessments", "ratings", "themes", "priorities"),
                "social_network": ("network",), "strengths": ("strengths",), "plan": ("plan",)}
ALLOWED = "allowed"
# (who, consent state) -> expected outcome of (read, write)
CASES: dict[tuple[str, str], tuple[Any, Any]] = {
    ("person", "own record"): (ALLOWED, ALLOWED),
    ("other person", "none"): (403, 403),
    **{(role, state): outcome for role in ("practitioner", "close person") for state, outcome in (
        ("none", (403, 403)), ("read", (ALLOWED, 403)), ("co-edit", (ALLOWED, ALLOWED)),
        ("expired", (403, 403)), ("revoked", (403, 403)), ("other tenant", (404, 404)))},
    ("practitioner", "co-edit to their team"): (ALLOWED, ALLOWED),
    ("team manager", "co-edit to their team"): (403, 403),
    ("org admin", "none"): (403, 403),
    ("auditor", "none"): (403, 403),
}


@dataclass
class World:
    org: Org
    person: Actor
    clients: dict[tuple[str, str], httpx.Client]
    routes: dict[str, dict[str, tuple[str, Any]]]


def _close_person(org: Org, person: Actor) -> Actor:
    login = f"{person.login}-proche-{secrets.token_hex(3)}"
    result = org.side.accounts.open_account(person, login, "Proche", "close_person", PASSWORD)
    return org.side.accounts.actor(org.tenant_id, result.id)


def _expired_grant(org: Org, person: Actor, grantee: Actor) -> None:
    """Granted yesterday until an hour ago: recorded with yesterday's clock."""
    now = datetime.now(UTC)
    past = Consent(factory_builder(org.side.datastore), org.side.accounts, org.side.teams,
                   clock=lambda: now - timedelta(days=1))
    result = past.grant(person, person.user_id, grantee.role, grantee.user_id, list(ALL_TABS),
                        "co_edit", until=now - timedelta(hours=1))
    wait_for_views(org, "Consent", result.notification_id)


def _grantees(org: Org, person: Actor, role: str) -> dict[str, Actor]:
    """One grantee of this role per consent state, with the grants that make the state."""
    make = (lambda: _close_person(org, person)) if role == "close_person" else (
        lambda: org.open(role))
    actors = {state: make() for state in ("none", "read", "co-edit", "expired", "revoked")}
    grant(org, person, actors["read"], level="read")
    grant(org, person, actors["co-edit"])
    _expired_grant(org, person, actors["expired"])
    revoked = grant(org, person, actors["revoked"])
    result = org.side.consent.revoke(person, person.user_id, revoked)
    wait_for_views(org, "Consent", result.notification_id)
    return actors


def _routes(document: dict[str, Any]) -> dict[str, dict[str, tuple[str, Any]]]:
    """Per tab, one GET and one POST taking only the person: {"read": (path, None), ...}."""
    routes: dict[str, dict[str, tuple[str, Any]]] = {}
    for method, path, op in sorted(record_operations(document), key=lambda o: len(o[1])):
        rest = path.removeprefix(RECORD_PREFIX)
        params = [p for p in op.get("parameters", []) if p["in"] == "path"]
        if [p["name"] for p in params] != ["person_id"] or method not in ("GET", "POST"):
            continue
        tab = next((t for t, segments in TAB_SEGMENTS.items()
                    if rest.split("/")[1:2] and rest.split("/")[1] in segments), None)
        action = "read" if method == "GET" else "write"
        if tab is None or (action == "write" and rest not in KNOWN_BODIES):
            continue
        body = KNOWN_BODIES.get(rest) if action == "write" else None
        routes.setdefault(tab, {}).setdefault(action, (path.removeprefix("/api/v1"), body))
    return routes


@pytest.fixture(scope="module")
def world(write_side, base_url) -> Iterator[World]:  # type: ignore[no-untyped-def]
    org, elsewhere = open_org(write_side), open_org(write_side)
    person = org.open("person")
    actors: dict[tuple[str, str], Actor] = {("person", "own record"): person,
                                            ("other person", "none"): org.open("person"),
                                            ("org admin", "none"): org.admin,
                                            ("auditor", "none"): org.open("auditor")}
    for role, label in (("practitioner", "practitioner"), ("close_person", "close person")):
        actors |= {(label, state): a for state, a in _grantees(org, person, role).items()}
    member, manager = org.open("practitioner"), org.open("team_manager")
    teams = write_side.teams
    team = teams.create_team(org.admin, "Équipe Soutien").id
    teams.add_practitioner(org.admin, team, member.user_id)
    done = teams.assign_manager(org.admin, team, manager.user_id)
    wait_for_views(org, "Teams", done.notification_id)
    grant(org, person, team)
    actors |= {("practitioner", "co-edit to their team"): member,
               ("team manager", "co-edit to their team"): manager}
    # Consent in another tenant does not reach this one.
    their_person = elsewhere.open("person")
    for label, grantee in (("practitioner", elsewhere.open("practitioner")),
                           ("close person", _close_person(elsewhere, their_person))):
        grant(elsewhere, their_person, grantee)
        actors[(label, "other tenant")] = grantee
    clients = {key: token_client(base_url, org if key[1] != "other tenant" else elsewhere, actor)
               for key, actor in actors.items()}
    yield World(org, person, clients, _routes(openapi_document(base_url)))
    for client in clients.values():
        client.close()


def test_the_matrix_covers_every_case_it_names(world: World) -> None:
    assert set(world.clients) == set(CASES)


@pytest.mark.parametrize("action", ["read", "write"])
@pytest.mark.parametrize("tab", list(TAB_SEGMENTS))
@pytest.mark.parametrize(("who", "state"), list(CASES))
def test_access_to_a_tab_follows_the_role_and_the_consent_state(
        world: World, who: str, state: str, tab: str, action: str) -> None:
    if action not in world.routes.get(tab, {}):
        pytest.skip(f"no {action} route of the {tab} tab taking only the person in the API")
    path, body = world.routes[tab][action]
    url = path.replace("{person_id}", str(world.person.user_id))
    client = world.clients[(who, state)]
    response = client.get(url) if action == "read" else client.post(url, json=body)
    expected = CASES[(who, state)][action == "write"]
    if expected == ALLOWED:
        assert response.is_success, (who, state, url, response.status_code, response.text)
    else:
        assert response.status_code == expected, (who, state, url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
