"""Consent fails closed whatever the projector is doing (ADR 32): with the projector stopped,
a revocation refuses the practitioner's next request (with kept inputs and without), a grant
is not usable until projected, leaving a team refuses at once; a consent event the views
skipped (as a parked one) keeps the record closed; once the projector catches up, decisions
are normal again. On a database of its own, whose projector these tests stop and start."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import psycopg
import pytest

from infra.access.ticket import CONSENT_BEING_UPDATED
from infra.database.migrate import drop_database
from infra.http.app import create_app
from infra.platform import (
    Servers,
    WriteSide,
    all_projections,
    event_mapper,
    locate_servers,
    prepare_database,
)
from infra.projector import ApplicationFollower, application_runners
from infra.settings import get_settings
from services.actor import Actor
from tests.conftest import Org
from tests.http.conftest import ALL_TABS, count_events, logged_in, open_org, serving


class Projector:
    """The platform's projector (a follower of every application), stopped and started."""

    def __init__(self, servers: Servers) -> None:
        self.conninfo = servers.projector_db().conninfo()
        self.stop_event = threading.Event()
        self.follower: ApplicationFollower | None = None

    def start(self) -> None:
        self.stop_event = threading.Event()
        runners = application_runners(all_projections(), event_mapper())
        self.follower = ApplicationFollower(self.conninfo, "tests", runners, self.stop_event, 0.1)
        self.follower.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self.follower is not None:
            self.follower.join(timeout=10)
            assert not self.follower.is_alive()


@dataclass
class Platform:
    url: str
    side: WriteSide
    servers: Servers
    projector: Projector


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    dbname = f"barometre_test_{secrets.token_hex(4)}"
    servers = locate_servers(get_settings(), dbname=dbname)
    prepare_database(servers)
    side = WriteSide(servers, pool_size=4)
    projector = Projector(servers)
    projector.start()
    # A short wait for the views; no per-address login limit (the machine's Redis is shared).
    settings = replace(get_settings(), read_your_writes_timeout=0.5,
                       login_max_failures_per_ip=1_000_000)
    try:
        with serving(create_app(servers, settings, write_side=side)) as url:
            yield Platform(url, side, servers, projector)
    finally:
        projector.stop()
        side.close()
        drop_database(servers.admin, dbname)


@pytest.fixture
def running(platform: Platform) -> Iterator[Platform]:
    """The platform with its projector running at the start (and again at the end)."""
    yield platform
    if platform.projector.follower is None or not platform.projector.follower.is_alive():
        platform.projector.start()


def _client(platform: Platform, org: Org, actor: Actor) -> httpx.Client:
    return logged_in(platform.url, org, actor.login)  # type: ignore[attr-defined]


def _until(check: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the projector did not catch up"
        time.sleep(0.02)


def _new_org(platform: Platform) -> tuple[Org, Actor, httpx.Client]:
    """An organization with a person (projected, so the guard finds them), logged in."""
    return _new_org_person(platform, open_org(platform.side))


def _new_org_person(platform: Platform, org: Org) -> tuple[Org, Actor, httpx.Client]:
    """Another person of the organization (projected), logged in."""
    person = org.open("person")
    client = _client(platform, org, person)
    _until(lambda: client.get(f"/persons/{person.user_id}/summary").status_code == 200)
    return org, person, client


def _grant(person_client: httpx.Client, person: Actor, grantee_kind: str, grantee_id: Any) -> str:
    response = person_client.post(f"/persons/{person.user_id}/consent/grants", json={
        "grantee_kind": grantee_kind, "grantee_id": str(grantee_id), "tabs": list(ALL_TABS),
        "level": "co_edit"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _revoke(person_client: httpx.Client, person: Actor, grant_id: str) -> None:
    started = time.monotonic()
    response = person_client.post(f"/persons/{person.user_id}/consent/grants/{grant_id}/revoke")
    assert response.status_code == 200, response.text  # stored, and in effect at once
    assert time.monotonic() - started < 3


def _refused_as_being_updated(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == CONSENT_BEING_UPDATED


def _rows(platform: Platform, org: Org, actor: Actor, path: str) -> list[tuple[str, str]]:
    """The access-log rows of the actor's requests to the path: (outcome, reason)."""
    with psycopg.connect(platform.servers.web_db().conninfo()) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
        rows = conn.execute("SELECT outcome, reason FROM access_log WHERE path = %s"
                            " AND actor_id = %s ORDER BY id", [path, actor.user_id]).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_a_revocation_refuses_the_next_request_with_kept_inputs_while_the_projector_is_stopped(
        running: Platform) -> None:
    org, person, me = _new_org(running)
    practitioner = org.open("practitioner")
    given = _grant(me, person, "practitioner", practitioner.user_id)
    client = _client(running, org, practitioner)
    summary = f"/persons/{person.user_id}/summary"
    assert client.get(summary).status_code == 200
    assert client.get(summary).status_code == 200  # decided from the kept inputs
    running.projector.stop()
    _revoke(me, person, given)
    with psycopg.connect(running.servers.projector_db().conninfo()) as conn:
        events = count_events(conn, org)
        _refused_as_being_updated(client.get(summary))
        _refused_as_being_updated(client.post(f"/persons/{person.user_id}/assessments"))
        assert count_events(conn, org) == events  # the refused write stored nothing
    rows = _rows(running, org, practitioner, "/api/v1" + summary)
    assert [outcome for outcome, _ in rows] == ["allowed", "allowed", "denied"]
    assert rows[-1][1] == CONSENT_BEING_UPDATED
    assert me.get(summary).status_code == 200  # the person's own record does not wait


def test_a_revocation_refuses_the_first_request_without_kept_inputs_while_stopped(
        running: Platform) -> None:
    org, person, me = _new_org(running)
    practitioner = org.open("practitioner")
    given = _grant(me, person, "practitioner", practitioner.user_id)
    client = _client(running, org, practitioner)  # has not reached the record yet
    running.projector.stop()
    _revoke(me, person, given)
    _refused_as_being_updated(client.get(f"/persons/{person.user_id}/plan/goals"))
    _refused_as_being_updated(client.post(f"/persons/{person.user_id}/strengths",
                                          json={"kind": "skill", "text": "Je cuisine"}))
    path = f"/api/v1/persons/{person.user_id}/plan/goals"
    assert _rows(running, org, practitioner, path) == [("denied", CONSENT_BEING_UPDATED)]


def test_a_grant_given_while_the_projector_is_stopped_is_usable_only_once_projected(
        running: Platform) -> None:
    org, person, me = _new_org(running)
    earlier, later = org.open("practitioner"), org.open("practitioner")
    _grant(me, person, "practitioner", earlier.user_id)
    _, newcomer, newcomer_client = _new_org_person(running, org)  # no consent ledger yet
    client = _client(running, org, later)
    summary, first = f"/persons/{person.user_id}/summary", f"/persons/{newcomer.user_id}/summary"
    running.projector.stop()
    for who, grantor in ((person, me), (newcomer, newcomer_client)):
        response = grantor.post(f"/persons/{who.user_id}/consent/grants", json={
            "grantee_kind": "practitioner", "grantee_id": str(later.user_id),
            "tabs": list(ALL_TABS), "level": "read"})
        assert response.status_code == 503, response.text  # stored, not usable yet
    _refused_as_being_updated(client.get(summary))
    # A first ledger the view has never seen shows no grant at all: refused as such.
    assert client.get(first).status_code == 403
    running.projector.start()
    _until(lambda: client.get(summary).status_code == 200)
    _until(lambda: client.get(first).status_code == 200)


def test_leaving_a_team_while_the_projector_is_stopped_refuses_the_next_request(
        running: Platform) -> None:
    org, person, me = _new_org(running)
    practitioner = org.open("practitioner")
    team = org.side.teams.create_team(org.admin, "Équipe Est").id
    org.side.teams.add_practitioner(org.admin, team, practitioner.user_id)
    client = _client(running, org, practitioner)
    summary = f"/persons/{person.user_id}/summary"
    _grant(me, person, "team", team)
    _until(lambda: client.get(summary).status_code == 200)
    running.projector.stop()
    org.side.teams.remove_practitioner(org.admin, team, practitioner.user_id)
    _refused_as_being_updated(client.get(summary))


def test_once_the_projector_catches_up_decisions_are_normal_again(running: Platform) -> None:
    org, person, me = _new_org(running)
    kept, revoked = org.open("practitioner"), org.open("practitioner")
    _grant(me, person, "practitioner", kept.user_id)
    given = _grant(me, person, "practitioner", revoked.user_id)
    summary = f"/persons/{person.user_id}/summary"
    kept_client, revoked_client = _client(running, org, kept), _client(running, org, revoked)
    running.projector.stop()
    _revoke(me, person, given)
    _refused_as_being_updated(kept_client.get(summary))  # the ledger moved: nobody decides on it
    running.projector.start()
    _until(lambda: kept_client.get(summary).status_code == 200)
    response = revoked_client.get(summary)
    assert response.status_code == 403
    assert response.json()["detail"] != CONSENT_BEING_UPDATED  # refused for want of consent


def test_a_consent_event_the_views_skipped_keeps_the_record_closed(running: Platform) -> None:
    """As when the projector parks a consent event and moves on: the tracking positions pass
    it (so ADR 14's stamp moves), the view never applied it."""
    org, person, me = _new_org(running)
    practitioner = org.open("practitioner")
    given = _grant(me, person, "practitioner", practitioner.user_id)
    client = _client(running, org, practitioner)
    summary = f"/persons/{person.user_id}/summary"
    assert client.get(summary).status_code == 200
    running.projector.stop()
    _revoke(me, person, given)
    with psycopg.connect(running.servers.admin.conninfo(), autocommit=True) as conn:
        conn.execute("UPDATE projection_tracking SET notification_id = ("
                     " SELECT max(notification_id) FROM consent_events WHERE tenant_id = %s)"
                     " WHERE tenant_id = %s AND application = 'Consent'",
                     [org.tenant_id, org.tenant_id])
    running.projector.start()
    time.sleep(0.3)  # the projector runs, with nothing left to apply
    _refused_as_being_updated(client.get(summary))
