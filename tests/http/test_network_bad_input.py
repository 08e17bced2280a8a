"""Bad input to the ecomap gets a clear 4xx problem and stores nothing.

Limits: a name or a label is 1 to 120 characters, a comment 1 to 2,000 (after trimming)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
import pytest

from tests.conftest import Org
from tests.http.conftest import count_events, grant

PROBLEM = "application/problem+json"
RYW = {"prefer": "read-your-writes"}
VALID = {"name": "Karim", "relationship_type": "friend", "quality": 4, "closeness": "middle",
         "frequency": "weekly"}


def all_events(conn: psycopg.Connection[Any], org: Org) -> int:
    row = conn.execute("SELECT count(*) FROM network_events WHERE tenant_id = %s",
                       [org.tenant_id]).fetchone()
    assert row is not None
    return int(row[0]) + count_events(conn, org)


@pytest.fixture
def mapped(org, login):
    """A practitioner (with co-edit consent) logged in, a person, and one relationship on
    the person's map."""
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    base = f"/persons/{person.user_id}/network"
    added = client.post(base + "/relationships", json=VALID, headers=RYW)
    assert added.status_code == 201, added.text
    return client, base, f"{base}/relationships/{added.json()['id']}", person, practitioner


def assert_refused(response, status, conn, org, before, words=""):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert words.lower() in body["detail"].lower(), body["detail"]
    assert all_events(conn, org) == before


TEXTS = [
    ("name", "", "name: must not be empty"), ("name", "   ", "name must not be empty"),
    ("name", "n" * 121, "at most 120"),
    ("label", "", "label: must not be empty"), ("label", "l" * 121, "at most 120"),
    ("comment", " \n ", "comment must not be empty"), ("comment", "c" * 2001, "at most 2000"),
]
VOCABULARY = [
    ("relationship_type", "enemy", "unknown relationship type"),
    ("quality", 0, "1 to 5"), ("quality", 6, "1 to 5"),
    ("closeness", "galaxy", "unknown closeness"),
    ("supports", ["emotional", "financial"], "unknown kind of support"),
    ("frequency", "hourly", "unknown contact frequency"),
]


@pytest.mark.parametrize("field, value, words", TEXTS + VOCABULARY)
def test_a_bad_value_in_a_new_relationship_is_refused(mapped, org, projector_conn, field,
                                                      value, words):
    client, base, _, _, _ = mapped
    before = all_events(projector_conn, org)
    response = client.post(base + "/relationships", json={**VALID, field: value})
    assert_refused(response, 422, projector_conn, org, before, words)


@pytest.mark.parametrize("field, value, words", TEXTS + VOCABULARY)
def test_a_bad_value_in_a_change_is_refused_with_the_rest_of_the_change(
        mapped, org, projector_conn, field, value, words):
    client, _, url, _, _ = mapped
    before = all_events(projector_conn, org)
    change = {"quality": 1, field: value} if field != "quality" else {"closeness": "inner",
                                                                        field: value}
    assert_refused(client.patch(url, json=change), 422, projector_conn, org, before, words)


@pytest.mark.parametrize("value", ["4", 4.5, True, None])
def test_a_quality_that_is_not_a_json_integer_is_refused(mapped, org, projector_conn, value):
    client, base, url, _, _ = mapped
    before = all_events(projector_conn, org)
    assert_refused(client.post(base + "/relationships", json={**VALID, "quality": value}), 400,
                   projector_conn, org, before, "expected `int`")
    assert_refused(client.patch(url, json={"quality": value}), 400, projector_conn, org, before)


def test_a_missing_field_or_an_unknown_field_is_refused(mapped, org, projector_conn):
    client, base, url, _, _ = mapped
    before = all_events(projector_conn, org)
    incomplete = {k: v for k, v in VALID.items() if k != "closeness"}
    assert_refused(client.post(base + "/relationships", json=incomplete), 400, projector_conn,
                   org, before, "closeness")
    assert_refused(client.patch(url, json={"qualty": 2}), 400, projector_conn, org, before,
                   "qualty")


def test_a_change_that_names_no_field_is_refused(mapped, org, projector_conn):
    client, _, url, _, _ = mapped
    before = all_events(projector_conn, org)
    assert_refused(client.patch(url, json={}), 422, projector_conn, org, before,
                   "nothing to change")


def test_a_relationship_that_does_not_exist_is_not_found(mapped, org, projector_conn):
    client, base, _, _, _ = mapped
    missing = f"{base}/relationships/{uuid4()}"
    before = all_events(projector_conn, org)
    assert_refused(client.patch(missing, json={"quality": 1}), 404, projector_conn, org, before)
    assert_refused(client.post(missing + "/end"), 404, projector_conn, org, before)
    assert_refused(client.get(missing + "/history"), 404, projector_conn, org, before)
    assert_refused(client.get(missing), 404, projector_conn, org, before)


def test_a_relationship_of_another_person_is_not_found(mapped, org, projector_conn):
    client, _, url, person, practitioner = mapped
    other = org.open("person")
    grant(org, other, practitioner)  # so that it is the relationship, not consent, that fails
    elsewhere = url.replace(str(person.user_id), str(other.user_id))
    before = all_events(projector_conn, org)
    assert_refused(client.patch(elsewhere, json={"quality": 1}), 404, projector_conn, org, before)
    assert_refused(client.post(elsewhere + "/end"), 404, projector_conn, org, before)
    assert_refused(client.get(elsewhere + "/history"), 404, projector_conn, org, before)


def test_a_relationship_of_another_tenant_is_not_found(mapped, new_org, login, org,
                                                       projector_conn):
    _, _, url, _, _ = mapped
    other = new_org()
    outsider = login(other, other.open("practitioner").login)
    before = all_events(projector_conn, org)
    assert_refused(outsider.patch(url, json={"quality": 1}), 404, projector_conn, org, before)
    assert_refused(outsider.post(url + "/end"), 404, projector_conn, org, before)


def test_changing_or_ending_an_ended_relationship_is_a_conflict(mapped, org, projector_conn):
    client, _, url, _, _ = mapped
    assert client.post(url + "/end", headers=RYW).status_code == 200
    before = all_events(projector_conn, org)
    assert_refused(client.patch(url, json={"quality": 5}), 409, projector_conn, org, before,
                   "ended")
    assert_refused(client.patch(url, json={"name": "Karim"}), 409, projector_conn, org, before,
                   "ended")
    assert_refused(client.post(url + "/end"), 409, projector_conn, org, before, "ended")


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30", "2026-13-01", "01/02/2026",
                                   "2026-01-01T25:00"])
def test_an_as_of_that_is_not_a_date_is_refused(mapped, org, projector_conn, value):
    client, base, _, _, _ = mapped
    before = all_events(projector_conn, org)
    assert_refused(client.get(base, params={"as_of": value}), 400, projector_conn, org, before,
                   "as_of must be a date (YYYY-MM-DD) or an ISO 8601 date-time")


@pytest.mark.parametrize("start, end, words", [
    ("last week", "2026-01-01", "from must be a date"),
    ("2026-01-01", "2026-01-32", "to must be a date"),
    ("2026-02-01", "2026-01-01", "from must not be after to"),
])
def test_changes_between_dates_that_are_not_dates_are_refused(mapped, org, projector_conn,
                                                              start, end, words):
    client, base, _, _, _ = mapped
    before = all_events(projector_conn, org)
    assert_refused(client.get(base + "/changes", params={"from": start, "to": end}), 400,
                   projector_conn, org, before, words)


def test_changes_without_both_dates_are_refused(mapped, org, projector_conn):
    client, base, _, _, _ = mapped
    before = all_events(projector_conn, org)
    assert_refused(client.get(base + "/changes", params={"from": "2026-01-01"}), 400,
                   projector_conn, org, before, "to")
