"""Bad input gets a clear 4xx problem and stores nothing."""

from __future__ import annotations

import time

import pytest

from infra.settings import get_settings
from tests.http.conftest import count_events, grant

PROBLEM = "application/problem+json"


@pytest.fixture
def sitting(org, login):
    """A person, their practitioner (with co-edit consent) logged in, and an open assessment."""
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    opened = client.post(f"/persons/{person.user_id}/assessments")
    assert opened.status_code == 201, opened.text
    url = f"/persons/{person.user_id}/assessments/{opened.json()['id']}"
    return client, url, person


def assert_refused(response, status, projector_conn, org, before, words=""):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert words.lower() in body["detail"].lower()
    assert count_events(projector_conn, org) == before


@pytest.mark.parametrize("value", [101, -1, 1000])
def test_a_rating_outside_0_to_100_is_refused(sitting, org, projector_conn, value):
    client, url, _ = sitting
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": value}]})
    assert_refused(response, 422, projector_conn, org, before, "0 to 100")


@pytest.mark.parametrize("value", [70.5, "70", None, True])
def test_a_rating_that_is_not_an_integer_is_refused(sitting, org, projector_conn, value):
    client, url, _ = sitting
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": value}]})
    assert_refused(response, 400, projector_conn, org, before, "expected `int`")


def test_one_bad_rating_in_a_batch_stores_none_of_the_batch(sitting, org, projector_conn):
    client, url, _ = sitting
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [
        {"theme": "housing", "value": 50}, {"theme": "food", "value": 101}]})
    assert_refused(response, 422, projector_conn, org, before)


def test_an_unknown_theme_is_refused(sitting, org, projector_conn):
    client, url, _ = sitting
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [{"theme": "unicorns", "value": 50}]})
    assert_refused(response, 422, projector_conn, org, before, "unknown theme")


def test_a_fourth_star_is_refused(sitting, org, projector_conn):
    client, url, _ = sitting
    for theme in ("housing", "food", "income"):
        assert client.put(f"{url}/stars/{theme}").status_code == 200
    before = count_events(projector_conn, org)
    assert_refused(client.put(f"{url}/stars/sleep"), 409, projector_conn, org, before, "at most 3")


def test_a_rating_in_a_completed_assessment_is_refused(sitting, org, projector_conn):
    client, url, _ = sitting
    assert client.post(url + "/complete").status_code == 200
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]})
    assert_refused(response, 409, projector_conn, org, before, "completed")


def test_another_tenants_person_is_not_found(sitting, new_org, org, projector_conn):
    client, _, _ = sitting
    stranger = new_org().open("person")
    before = count_events(projector_conn, org)
    assert_refused(client.post(f"/persons/{stranger.user_id}/assessments"), 404, projector_conn, org, before)
    assert_refused(client.get(f"/persons/{stranger.user_id}/assessments"), 404, projector_conn, org, before)


def test_another_tenants_assessment_is_not_found(sitting, new_org, login, org, projector_conn):
    _, url, _ = sitting
    other = new_org()
    outsider = login(other, other.open("practitioner").login)
    before = count_events(projector_conn, org)
    response = outsider.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]})
    assert response.status_code == 404 and count_events(projector_conn, org) == before


def test_a_person_cannot_reach_another_persons_record(sitting, org, login, projector_conn):
    _, url, person = sitting
    other = org.open("person")
    client = login(org, other.login)
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]})
    assert_refused(response, 403, projector_conn, org, before)
    assert_refused(client.get(f"/persons/{person.user_id}/ratings"), 403, projector_conn, org, before)


def test_malformed_json_is_refused(sitting, org, projector_conn):
    client, url, _ = sitting
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", content=b'{"ratings": [', headers={"content-type": "application/json"})
    assert_refused(response, 400, projector_conn, org, before, "not valid JSON")


def test_a_body_over_one_mebibyte_is_refused(sitting, org, projector_conn):
    client, url, _ = sitting
    before = count_events(projector_conn, org)
    comment = "x" * (1024 * 1024 + 1)
    response = client.post(url + "/comments", json={"theme": "housing", "text": comment})
    assert_refused(response, 413, projector_conn, org, before)


def test_missing_credentials_are_refused(sitting, anonymous, org, projector_conn):
    _, url, _ = sitting
    before = count_events(projector_conn, org)
    response = anonymous.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]})
    assert_refused(response, 401, projector_conn, org, before)
    assert "Bearer" in response.headers["www-authenticate"]


def test_an_unknown_session_cookie_is_refused(sitting, anonymous, org, projector_conn):
    _, url, _ = sitting
    before = count_events(projector_conn, org)
    anonymous.cookies.set("barometre_session", "forged-or-expired")
    response = anonymous.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]})
    assert_refused(response, 401, projector_conn, org, before, "expired")


def test_an_expired_session_is_refused(sitting, org, projector_conn, servers):
    import redis

    client, url, _ = sitting
    token = client.cookies["barometre_session"]
    from infra.http.sessions import _key
    with redis.Redis.from_url(servers.redis_url) as r:
        assert r.expire(_key(token), 0)  # what the session TTL does when it runs out
    # The TTL runs out only after that long without use, by which time the web process no
    # longer remembers the session either (it does for a second after a lookup, ADR 23).
    time.sleep(get_settings().session_cache_ms / 1000 + 0.1)
    before = count_events(projector_conn, org)
    response = client.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]})
    assert_refused(response, 401, projector_conn, org, before, "expired")


def test_an_expired_api_token_is_refused(sitting, org, write_side, anonymous, projector_conn):
    from datetime import UTC, datetime, timedelta

    from infra.eventstore.factory import factory_builder
    from services.accounts import Accounts

    _, url, person = sitting
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    past = Accounts(factory_builder(write_side.datastore), clock=lambda: ten_days_ago)
    issued = past.issue_token(person, "old script", ttl_days=1)
    before = count_events(projector_conn, org)
    response = anonymous.post(url + "/ratings", json={"ratings": [{"theme": "housing", "value": 5}]},
                              headers={"authorization": f"Bearer {issued.token}"})
    assert_refused(response, 401, projector_conn, org, before, "expired")
