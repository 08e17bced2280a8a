"""The access log: every read and write of a record, allowed or denied; the person sees
theirs, the org admin and the auditor the organization's; nobody can change it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from infra.platform import Servers
from tests.http.conftest import grant

SET_TENANT = "SELECT set_config('app.tenant_id', %s, true)"


@pytest.fixture
def visited(org, login):  # type: ignore[no-untyped-def]
    """A practitioner reads the plan (allowed), then tries the strengths (denied)."""
    person, practitioner = org.open("person", "Marie"), org.open("practitioner", "Alex")
    grant(org, person, practitioner, ["plan"], "read")
    them, base = login(org, practitioner.login), f"/persons/{person.user_id}"
    assert them.get(base + "/plan/goals").status_code == 200
    assert them.post(base + "/strengths", json={"kind": "skill", "text": "x"}).status_code == 403
    return login(org, person.login), base, person, practitioner


def test_the_person_sees_who_accessed_their_record_newest_first(visited) -> None:
    me, base, _, practitioner = visited
    entries = me.get(base + "/access-log").json()["entries"]
    theirs = [(e["actor_name"], e["role"], e["tab"], e["action"], e["method"], e["outcome"])
              for e in entries if e["actor_id"] == str(practitioner.user_id)]
    assert theirs == [("Alex", "practitioner", "strengths", "write", "POST", "denied"),
                      ("Alex", "practitioner", "plan", "read", "GET", "allowed")]
    assert entries[0]["tab"] == "access_log"  # reading the log is itself an access
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    assert all(e["reason"] and e["path"].startswith("/api/v1" + base) for e in entries)


def test_the_access_log_is_paginated(visited) -> None:
    me, base, _, _ = visited
    first = me.get(base + "/access-log", params={"limit": 1}).json()
    assert len(first["entries"]) == 1 and first["next_before"] == first["entries"][0]["id"]
    second = me.get(base + "/access-log", params={"limit": 1, "before": first["next_before"]})
    assert second.json()["entries"][0]["id"] < first["next_before"]
    assert me.get(base + "/access-log", params={"limit": 0}).status_code == 400


def test_no_one_but_the_person_reads_their_access_log(org, visited, login) -> None:
    _, base, _, practitioner = visited
    for caller in (login(org, practitioner.login), login(org, org.open("person").login),
                   login(org, "admin"), login(org, org.open("auditor").login)):
        assert caller.get(base + "/access-log").status_code == 403


@pytest.mark.parametrize("role", ["org_admin", "auditor"])
def test_the_org_admin_and_the_auditor_list_the_organizations_log_by_person_or_actor(
        org, visited, login, role) -> None:
    _, _, person, practitioner = visited
    client = login(org, "admin" if role == "org_admin" else org.open(role).login)
    by_actor = client.get("/access-log", params={"actor_id": str(practitioner.user_id)}).json()
    assert [(e["tab"], e["outcome"]) for e in by_actor["entries"]] == [
        ("strengths", "denied"), ("plan", "allowed")]
    by_person = client.get("/access-log", params={"person_id": str(person.user_id)}).json()
    assert {e["person_id"] for e in by_person["entries"]} == {str(person.user_id)}
    assert len(by_person["entries"]) == 2


def test_other_roles_cannot_list_the_organizations_log(org, visited, login) -> None:
    _, _, person, practitioner = visited
    for caller in (login(org, practitioner.login), login(org, person.login),
                   login(org, org.open("team_manager").login)):
        assert caller.get("/access-log").status_code == 403


def test_an_admin_sees_only_their_own_organizations_log(org, visited, new_org, login) -> None:
    other = new_org()
    entries = login(other, "admin").get("/access-log").json()["entries"]
    assert entries == []


@pytest.fixture
def web(servers: Servers) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(servers.web_db().conninfo()) as conn:
        yield conn


@pytest.mark.parametrize("statement", ["UPDATE access_log SET outcome = 'allowed'",
                                       "DELETE FROM access_log", "TRUNCATE access_log"])
def test_the_web_role_may_not_change_or_delete_the_access_log(
        org, visited, web, servers, statement) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), web.transaction():
        web.execute(SET_TENANT, [str(org.tenant_id)])
        web.execute(statement)
    # Even the administrator, past every grant, meets the append-only trigger.
    with (psycopg.connect(servers.admin.conninfo()) as admin,
          pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
          admin.transaction(force_rollback=True)):
        admin.execute(statement)


def test_the_web_role_appends_to_its_own_tenants_log_only(org, new_org, web) -> None:
    insert = sql.SQL("INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action,"
                     " method, path, outcome, reason) VALUES (%s, %s, 'practitioner', %s, 'plan',"
                     " 'read', 'GET', '/x', 'allowed', 'probe')")
    with web.transaction(force_rollback=True):
        web.execute(SET_TENANT, [str(org.tenant_id)])
        web.execute(insert, [org.tenant_id, uuid4(), uuid4()])  # allowed, rolled back
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"), \
            web.transaction():
        web.execute(SET_TENANT, [str(org.tenant_id)])
        web.execute(insert, [new_org().tenant_id, uuid4(), uuid4()])
