"""Idempotency keys live in PostgreSQL, written with the command's events (ADR 28): one
transaction, one answer per key, no pending state, no-ops remembered, 24 hours."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import psycopg
import pytest

from infra.eventstore.answer_in_save import KeyTaken
from infra.http.idempotency import IdempotencyKey
from services.base import Saving
from tests.http.conftest import count_events, grant

RYW = {"prefer": "read-your-writes"}


@pytest.fixture
def sitting(org, login):
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    opened = client.post(f"/persons/{person.user_id}/assessments", headers=RYW)
    assert opened.status_code == 201
    return client, f"/persons/{person.user_id}/assessments/{opened.json()['id']}"


def _key_row(conn: psycopg.Connection[Any], tenant_id: UUID, key: str) -> tuple[Any, ...] | None:
    return conn.execute(
        "SELECT status, record_id, version, notification_id, xmin::text FROM idempotency_keys"
        " WHERE tenant_id = %s AND key = %s", [tenant_id, key]).fetchone()


def test_a_key_and_its_answer_are_committed_in_the_transaction_that_stores_the_events(
        sitting, org, projector_conn):
    client, url = sitting
    answer = client.post(url + "/ratings", json={"ratings": [{"theme": "sleep", "value": 42}]},
                         headers={"idempotency-key": "same-transaction"})
    assert answer.status_code == 200
    row = _key_row(projector_conn, org.tenant_id, "same-transaction")
    assert row is not None
    body = answer.json()
    assert row[:4] == (200, UUID(body["id"]), body["version"], body["notification_id"])
    event_xmin = projector_conn.execute(
        "SELECT xmin::text FROM qualityoflife_events WHERE notification_id = %s",
        [body["notification_id"]]).fetchone()
    assert event_xmin == (row[4],)


def test_a_failed_command_leaves_no_key_behind(sitting, org, projector_conn):
    client, url = sitting
    bad = client.post(url + "/ratings", json={"ratings": [{"theme": "nope", "value": 1}]},
                      headers={"idempotency-key": "failed"})
    assert bad.status_code == 422
    assert _key_row(projector_conn, org.tenant_id, "failed") is None


def test_concurrent_requests_with_one_key_store_one_set_of_events_and_give_one_answer(
        sitting, org, projector_conn):
    client, url = sitting
    before = count_events(projector_conn, org)

    def rate(_: int) -> Any:
        return client.post(url + "/ratings", json={"ratings": [{"theme": "food", "value": 7}]},
                           headers={"idempotency-key": "raced"})
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(rate, range(8)))
    assert [a.status_code for a in answers] == [200] * 8
    assert len({a.text for a in answers}) == 1
    assert sum("idempotent-replayed" not in a.headers for a in answers) == 1
    assert count_events(projector_conn, org) == before + 1


def test_a_save_whose_key_another_command_committed_saves_nothing(org, write_side, projector_conn):
    """The race above, decided: the second save carrying a committed key is refused whole."""
    def claim() -> IdempotencyKey:
        return IdempotencyKey(org.admin, "taken", b"\x01" * 32, 201)

    def teams_events() -> int:
        return projector_conn.execute("SELECT count(*) FROM teams_events WHERE tenant_id = %s",
                                      [org.tenant_id]).fetchone()[0]
    first = claim()
    write_side.teams.under(Saving(claim=first)).create_team(org.admin, "Équipe A")
    assert first.written
    second = claim()
    before = teams_events()
    with pytest.raises(KeyTaken):
        write_side.teams.under(Saving(claim=second)).create_team(org.admin, "Équipe B")
    assert not second.written and teams_events() == before


def test_a_keyed_command_that_stores_nothing_still_answers_its_first_answer_when_retried(
        sitting, org, projector_conn):
    client, url = sitting
    assert client.put(url + "/stars/housing").status_code == 200
    noop = client.put(url + "/stars/housing", headers={"idempotency-key": "no-op"})
    assert noop.status_code == 200 and "idempotent-replayed" not in noop.headers
    assert _key_row(projector_conn, org.tenant_id, "no-op")[3] == 0  # no notification: no event
    assert client.delete(url + "/stars/housing").status_code == 200
    before = count_events(projector_conn, org)
    retried = client.put(url + "/stars/housing", headers={"idempotency-key": "no-op"})
    assert retried.status_code == 200 and retried.headers["idempotent-replayed"] == "true"
    assert retried.json() == noop.json()
    assert count_events(projector_conn, org) == before  # not starred again


def test_an_expired_key_is_free_again(sitting, org, projector_conn):
    client, url = sitting
    body = {"ratings": [{"theme": "sleep", "value": 3}]}
    first = client.post(url + "/ratings", json=body, headers={"idempotency-key": "old"})
    projector_conn.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"
                           " WHERE tenant_id = %s AND key = 'old'", [org.tenant_id])
    before = count_events(projector_conn, org)
    again = client.post(url + "/ratings", json=body, headers={"idempotency-key": "old"})
    assert again.status_code == 200 and "idempotent-replayed" not in again.headers
    assert again.json()["version"] == first.json()["version"] + 1
    assert count_events(projector_conn, org) == before + 1
    assert _key_row(projector_conn, org.tenant_id, "old")[2] == again.json()["version"]


def test_a_key_is_the_callers_own_another_user_with_the_same_key_runs_their_command(
        sitting, org, login, projector_conn):
    client, url = sitting
    person_url = url.split("/assessments/")[0]
    other = org.open("practitioner")
    grant(org, org.side.accounts.actor(org.tenant_id, UUID(person_url.split("/")[-1])), other)
    theirs = login(org, other.login)
    mine = client.post(person_url + "/assessments", headers={"idempotency-key": "shared"})
    before = count_events(projector_conn, org)
    their = theirs.post(person_url + "/assessments", headers={"idempotency-key": "shared"})
    assert their.status_code == mine.status_code == 201 and their.json()["id"] != mine.json()["id"]
    assert count_events(projector_conn, org) == before + 1


@pytest.mark.parametrize("key", ["", "x" * 201, "a\tb"])
def test_a_malformed_key_is_refused_with_400_and_runs_nothing(sitting, org, projector_conn, key):
    client, url = sitting
    before = count_events(projector_conn, org)
    answer = client.post(url + "/ratings", json={"ratings": [{"theme": "sleep", "value": 1}]},
                         headers={"idempotency-key": key})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert count_events(projector_conn, org) == before


def test_the_next_keyed_command_of_the_tenant_purges_its_expired_keys(sitting, org, projector_conn):
    client, url = sitting
    for i in range(3):
        client.post(url + "/ratings", json={"ratings": [{"theme": "sleep", "value": i}]},
                    headers={"idempotency-key": f"stale-{i}"})
    projector_conn.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"
                           " WHERE tenant_id = %s", [org.tenant_id])
    client.post(url + "/ratings", json={"ratings": [{"theme": "sleep", "value": 9}]},
                headers={"idempotency-key": "fresh"})
    keys = projector_conn.execute("SELECT key FROM idempotency_keys WHERE tenant_id = %s",
                                  [org.tenant_id]).fetchall()
    assert keys == [("fresh",)]
