"""The guard keeps the consent inputs between requests (ADR 14), and any change to them still
takes effect on the very next request: a revocation, an expiry (which moves no projection),
leaving a team, a new grant, and fewer tabs on the summary; each request leaves exactly one
access-log row, and a refused write stores nothing. A row written alone (no read opened)
from stale inputs is the fresh decision's."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import psycopg

from domain.access.policy import Decision
from infra.access import Asked, Ticket
from infra.access.inputs import Check
from infra.platform import Servers
from tests.http.conftest import count_events, grant, wait_for_views


def _outcomes(servers: Servers, org: Any, path: str) -> list[str]:
    with psycopg.connect(servers.web_db().conninfo()) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
        rows = conn.execute("SELECT outcome FROM access_log WHERE path = %s ORDER BY id",
                            [path]).fetchall()
    return [r[0] for r in rows]


def _revoke(org: Any, person: Any, grant_id: Any) -> None:
    result = org.side.consent.revoke(person, person.user_id, grant_id)
    wait_for_views(org, "Consent", result.notification_id)


def test_a_revocation_refuses_the_next_read_and_write(org, login, servers,
                                                      projector_conn) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    given = grant(org, person, practitioner)
    client = login(org, practitioner.login)
    summary = f"/persons/{person.user_id}/summary"
    assert client.get(summary).status_code == 200
    assert client.get(summary).status_code == 200  # decided from the kept inputs
    assert client.post(f"/persons/{person.user_id}/assessments").status_code == 201
    _revoke(org, person, given)
    events = count_events(projector_conn, org)
    assert client.get(summary).status_code == 403
    assert client.post(f"/persons/{person.user_id}/assessments").status_code == 403
    assert count_events(projector_conn, org) == events
    assert _outcomes(servers, org, "/api/v1" + summary) == ["allowed", "allowed", "denied"]
    assert _outcomes(servers, org, f"/api/v1/persons/{person.user_id}/assessments") == [
        "allowed", "denied"]


def test_an_expiry_refuses_the_next_read_though_no_view_moved(org, login, servers) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    until = datetime.now(UTC) + timedelta(seconds=2)
    grant(org, person, practitioner, until=until)
    client = login(org, practitioner.login)
    summary = f"/persons/{person.user_id}/summary"
    assert client.get(summary).status_code == 200
    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.2)
    response = client.get(summary)
    assert response.status_code == 403, response.text
    assert _outcomes(servers, org, "/api/v1" + summary) == ["allowed", "denied"]


def test_leaving_the_team_refuses_the_next_read(org, login) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    teams = org.side.teams
    team = teams.create_team(org.admin, "Équipe").id
    joined = teams.add_practitioner(org.admin, team, practitioner.user_id)
    wait_for_views(org, "Teams", joined.notification_id)
    grant(org, person, team)
    client = login(org, practitioner.login)
    summary = f"/persons/{person.user_id}/summary"
    assert client.get(summary).status_code == 200
    left = teams.remove_practitioner(org.admin, team, practitioner.user_id)
    wait_for_views(org, "Teams", left.notification_id)
    assert client.get(summary).status_code == 403


def test_a_new_grant_allows_the_next_read_and_a_narrower_one_shows_fewer_tabs(org,
                                                                              login) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    client = login(org, practitioner.login)
    summary = f"/persons/{person.user_id}/summary"
    assert client.get(summary).status_code == 403  # kept: no consent
    network = grant(org, person, practitioner, ["social_network"], "read")
    grant(org, person, practitioner, ["quality_of_life"], "read")
    assert client.get(summary).json()["tabs"] == ["quality_of_life", "social_network"]
    _revoke(org, person, network)
    assert client.get(summary).json()["tabs"] == ["quality_of_life"]


def test_a_read_after_a_revocation_fails_validation_as_refused_and_logged_once(
        org, login, servers) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    given = grant(org, person, practitioner)
    client = login(org, practitioner.login)
    assert client.get(f"/persons/{person.user_id}/summary").status_code == 200
    _revoke(org, person, given)
    timeline = f"/persons/{person.user_id}/timeline"
    response = client.get(timeline, params={"limit": 0})  # allowed on the kept inputs only
    assert response.status_code == 403, response.text  # the read's first statement refused it
    assert _outcomes(servers, org, "/api/v1" + timeline) == ["denied"]


async def test_a_row_written_alone_from_stale_inputs_is_the_fresh_decisions(org, servers) -> None:
    """A read that never opened (so read nothing) logs what fresh inputs decide: here, with no
    grant, a refusal, although the ticket was allowed on inputs that are no longer current."""
    person, practitioner = org.open("person"), org.open("practitioner")
    path = f"/probe/{uuid4()}"
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **servers.web_db().asyncpg_kwargs())
    try:
        ticket = Ticket(practitioner, person.user_id, "summary", "read", Asked("GET", path),
                        person_exists=True, decision=Decision(True, "kept inputs"),
                        check=Check([-1, -1, -1], None), pool=pool)  # never current
        await ticket.write_alone()
    finally:
        await pool.close()
    assert ticket.written and not ticket.allowed
    assert _outcomes(servers, org, path) == ["denied"]
