"""The one door serves code outside HTTP (a job, an auditor's replay) exactly as it serves
requests: `Door.admit` decides and logs, a read runs under its ticket, a command is given the
ticket through the service (`service.under(Saving(access=ticket))`), and a ticket found stale
at its save is decided again there: refused, nothing is stored and the refusal is logged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import psycopg
import pytest

from domain.access.policy import PLAN, READ, WRITE
from domain.errors import Forbidden
from infra.access import Asked, Door, Ticket
from infra.access.inputs import InputsCache
from infra.access.read import fetch_record
from infra.platform import Servers
from projections.batch import Query
from services.base import Saving
from tests.http.conftest import grant, wait_for_views

JOB = Asked("JOB", "export of the plan")


@pytest.fixture
async def door(servers: Servers, projector: None) -> AsyncIterator[Door]:
    pool = await asyncpg.create_pool(min_size=1, max_size=3, **servers.web_db().asyncpg_kwargs())
    try:
        yield Door(pool, InputsCache(100))
    finally:
        pool.terminate()  # a failed test may leave a ticket holding a connection


def _log(servers: Servers, org: Any) -> list[tuple[str, str, str]]:
    with psycopg.connect(servers.web_db().conninfo()) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
        return [tuple(r) for r in conn.execute(
            "SELECT method, action, outcome FROM access_log WHERE method = 'JOB' ORDER BY id")]


def _goals(servers: Servers, org: Any) -> int:
    with psycopg.connect(servers.projector_db().conninfo()) as conn:
        row = conn.execute("SELECT count(*) FROM plan_events WHERE tenant_id = %s",
                           [org.tenant_id]).fetchone()
    assert row is not None
    return int(row[0])


async def _read_plan(ticket: Ticket) -> dict[str, list[dict[str, Any]]]:
    return await fetch_record(ticket, lambda: {"goals": Query(
        "SELECT count(*) AS n FROM plan_goals WHERE person_id = $1", (ticket.person_id,))})


async def test_a_job_reads_under_a_ticket_and_is_refused_once_consent_is_revoked(
        org, servers, door) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    given = grant(org, person, practitioner, [PLAN], "read")
    ticket = await door.admit(practitioner, person.user_id, PLAN, READ, JOB)
    assert ticket.allowed
    assert (await _read_plan(ticket))["goals"] == [{"n": 0}]
    assert ticket.written
    result = org.side.consent.revoke(person, person.user_id, given)
    wait_for_views(org, "Consent", result.notification_id)
    kept = await door.admit(practitioner, person.user_id, PLAN, READ, JOB)
    assert kept.allowed  # on the inputs kept from the first ticket: its read checks them
    with pytest.raises(Forbidden):
        await _read_plan(kept)
    assert kept.written and not kept.allowed and kept.renewals == 1
    refused = await door.admit(practitioner, person.user_id, PLAN, READ, JOB)
    assert isinstance(refused.refusal(), Forbidden) and refused.written  # kept: the fresh ones
    assert _log(servers, org) == [("JOB", "read", "allowed"), ("JOB", "read", "denied"),
                                  ("JOB", "read", "denied")]


async def test_a_jobs_command_saves_its_ticket_row_with_its_events(org, servers, door) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner, [PLAN], "co_edit")
    ticket = await door.admit(practitioner, person.user_id, PLAN, WRITE, JOB)
    assert ticket.allowed and not ticket.written  # its save writes the row
    org.side.plan.under(Saving(access=ticket)).set_goal(practitioner, person.user_id,
                                                        "Trouver un logement")
    assert ticket.written
    assert _log(servers, org) == [("JOB", "write", "allowed")]


async def test_a_ticket_revoked_before_its_save_is_decided_again_there(org, servers,
                                                                       door) -> None:
    """Decided on inputs that were current, then consent is revoked: the save finds the
    ticket stale, decides again from inputs read now, logs the refusal and stores nothing.
    The command itself ran once."""
    person, practitioner = org.open("person"), org.open("practitioner")
    given = grant(org, person, practitioner, [PLAN], "co_edit")
    ticket = await door.admit(practitioner, person.user_id, PLAN, WRITE, JOB)
    result = org.side.consent.revoke(person, person.user_id, given)
    wait_for_views(org, "Consent", result.notification_id)
    before = _goals(servers, org)
    with pytest.raises(Forbidden):
        org.side.plan.under(Saving(access=ticket)).set_goal(practitioner, person.user_id,
                                                            "Trouver un logement")
    assert _goals(servers, org) == before
    assert ticket.written and not ticket.allowed and ticket.renewals == 1
    assert _log(servers, org) == [("JOB", "write", "denied")]


async def test_a_save_under_a_refused_ticket_fails_closed(org, door) -> None:
    person, stranger = org.open("person"), org.open("practitioner")
    ticket = await door.admit(stranger, person.user_id, PLAN, WRITE, JOB)
    assert ticket.refusal() is not None
    with pytest.raises(RuntimeError, match="refused ticket"):
        org.side.plan.under(Saving(access=ticket)).set_goal(stranger, person.user_id, "x")


async def test_a_read_ticket_tells_which_tabs_its_inputs_let_the_actor_write(org, door) -> None:
    """A page shows edit controls only where writing is allowed: co-edit on the plan, read on
    the strengths, nothing on the network."""
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner, [PLAN], "co_edit")
    grant(org, person, practitioner, ["strengths"], "read")
    for _ in range(2):  # from fresh inputs, then from kept ones
        ticket = await door.admit(practitioner, person.user_id, PLAN, READ, JOB)
        assert ticket.may(WRITE, PLAN) and ticket.may(READ, "strengths")
        assert not ticket.may(WRITE, "strengths") and not ticket.may(READ, "social_network")
        await ticket.release()
