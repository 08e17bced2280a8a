"""Commands: read-your-writes, optimistic concurrency (409) and idempotency keys."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.http.conftest import count_events, grant

RYW = {"prefer": "read-your-writes"}


@pytest.fixture
def sitting(org, login):
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    opened = client.post(f"/persons/{person.user_id}/assessments", headers=RYW)
    assert opened.status_code == 201
    return client, f"/persons/{person.user_id}", opened.json()


def test_a_command_returns_the_notification_id_and_waits_for_the_views_when_asked(sitting):
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}"
    response = client.post(url + "/ratings", headers=RYW, json={"ratings": [
        {"theme": "housing", "value": 80}, {"theme": "food", "value": 60}]})
    assert response.status_code == 200
    assert response.headers["preference-applied"] == "read-your-writes"
    assert response.json()["notification_id"] > opened["notification_id"]
    ratings = client.get(person_url + "/ratings", params={"perspective": "person"}).json()
    assert {(r["theme"], r["value"]) for r in ratings} == {("housing", 80), ("food", 60)}
    detail = client.get(url).json()
    assert detail["sphere_averages"] == [
        {"sphere": "needs", "perspective": "person", "average": 70.0, "rated_count": 2}]


def test_a_stale_if_match_version_gets_409_and_changes_nothing(sitting, org, projector_conn):
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}/ratings"
    first = client.post(url, json={"ratings": [{"theme": "housing", "value": 10}]},
                        headers={"if-match": f'"{opened["version"]}"'})
    assert first.status_code == 200
    before = count_events(projector_conn, org)
    stale = client.post(url, json={"ratings": [{"theme": "housing", "value": 99}]},
                        headers={"if-match": f'"{opened["version"]}"'})
    assert stale.status_code == 409 and stale.json()["type"].endswith("version-conflict")
    assert count_events(projector_conn, org) == before


def test_concurrent_edits_of_the_same_version_let_exactly_one_through(sitting, org, projector_conn):
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}/ratings"
    before = count_events(projector_conn, org)

    def rate(value: int) -> int:
        return client.post(url, json={"ratings": [{"theme": "housing", "value": value}]},
                           headers={"if-match": f'"{opened["version"]}"'}).status_code
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(rate, range(8)))
    assert statuses == [200] + [409] * 7
    assert count_events(projector_conn, org) == before + 1


def test_concurrent_edits_without_if_match_are_all_applied(sitting, org, projector_conn):
    """Without If-Match a command applies to the current state: one whose save lost the race
    is decided again on the new state (ADR 42), never answered 409."""
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}/ratings"
    before = count_events(projector_conn, org)

    def rate(value: int) -> int:
        return client.post(url, json={"ratings": [{"theme": "housing", "value": value}]}
                           ).status_code
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(rate, range(8)))
    assert statuses == [200] * 8
    assert count_events(projector_conn, org) == before + 8


def test_a_retried_post_with_the_same_idempotency_key_gives_the_same_answer_and_one_event(
        sitting, org, projector_conn):
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}/ratings"
    body = {"ratings": [{"theme": "sleep", "value": 42}]}
    before = count_events(projector_conn, org)
    first = client.post(url, json=body, headers={"idempotency-key": "retry-1"})
    second = client.post(url, json=body, headers={"idempotency-key": "retry-1"})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert count_events(projector_conn, org) == before + 1


def test_an_idempotency_key_reused_for_another_request_is_refused(sitting, org, projector_conn):
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}/ratings"
    client.post(url, json={"ratings": [{"theme": "sleep", "value": 1}]}, headers={"idempotency-key": "k"})
    before = count_events(projector_conn, org)
    other = client.post(url, json={"ratings": [{"theme": "sleep", "value": 2}]}, headers={"idempotency-key": "k"})
    assert other.status_code == 422 and count_events(projector_conn, org) == before


def test_a_failed_command_releases_its_idempotency_key(sitting):
    client, person_url, opened = sitting
    url = f"{person_url}/assessments/{opened['id']}/ratings"
    bad = client.post(url, json={"ratings": [{"theme": "nope", "value": 1}]}, headers={"idempotency-key": "f"})
    assert bad.status_code == 422
    again = client.post(url, json={"ratings": [{"theme": "nope", "value": 1}]}, headers={"idempotency-key": "f"})
    assert again.status_code == 422 and "idempotent-replayed" not in again.headers
