"""Bad input to the strengths and plan tabs gets a clear 4xx problem and stores nothing."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.http.conftest import grant

PROBLEM = "application/problem+json"
RYW = {"prefer": "read-your-writes"}
NOWHERE = "00000000-0000-4000-8000-000000000000"


def count_events(conn: psycopg.Connection[Any], org: Any) -> int:
    """Events of every application this test touches, for this tenant."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM accounts_events WHERE tenant_id = %(t)s)"
        " + (SELECT count(*) FROM qualityoflife_events WHERE tenant_id = %(t)s)"
        " + (SELECT count(*) FROM strengths_events WHERE tenant_id = %(t)s)"
        " + (SELECT count(*) FROM plan_events WHERE tenant_id = %(t)s)",
        {"t": org.tenant_id}).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def refused(org, projector_conn):
    """Sends a request and checks it is refused with a problem, and stored no event."""
    def check(send, status, words=""):
        before = count_events(projector_conn, org)
        response = send()
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        body = response.json()
        assert body["status"] == status and body["title"] and body["detail"]
        assert words.lower() in body["detail"].lower(), body["detail"]
        assert count_events(projector_conn, org) == before
    return check


@pytest.fixture
def record(org, login):
    """A person with a strength and a goal with one action; their practitioner (with co-edit
    consent) logged in."""
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    base = f"/persons/{person.user_id}"
    strength = client.post(base + "/strengths", headers=RYW,
                           json={"kind": "skill", "text": "Je cuisine"}).json()["id"]
    goal = client.post(base + "/plan/goals", headers=RYW, json={"text": "Finir mes cours"})
    assert goal.status_code == 201, goal.text
    goal_url = f"{base}/plan/goals/{goal.json()['id']}"
    action = client.post(goal_url + "/actions", headers=RYW,
                         json={"text": "M'inscrire", "who": "person"}).json()["id"]
    return {"client": client, "base": base, "person": person, "practitioner": practitioner,
            "strength": f"{base}/strengths/{strength}", "strength_id": strength,
            "goal": goal_url, "action": f"{goal_url}/actions/{action}"}


# Text -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "words"), [("", "empty"), ("   ", "empty"),
                                             ("x" * 2001, "at most 2000")])
def test_an_empty_or_too_long_text_is_refused_everywhere(record, refused, text, words):
    c, base = record["client"], record["base"]
    refused(lambda: c.post(base + "/strengths", json={"kind": "skill", "text": text}), 422, words)
    refused(lambda: c.put(record["strength"] + "/text", json={"text": text}), 422, words)
    refused(lambda: c.post(base + "/plan/goals", json={"text": text}), 422, words)
    refused(lambda: c.put(record["goal"] + "/text", json={"text": text}), 422, words)
    refused(lambda: c.post(record["goal"] + "/actions", json={"text": text, "who": "person"}),
            422, words)
    refused(lambda: c.put(record["action"] + "/text", json={"text": text}), 422, words)


# Link targets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [{"theme": "unicorns"}, {"sphere": "magic"},
                                  {"sphere": "health", "theme": "housing"}])
def test_a_strength_linked_to_an_unknown_theme_or_sphere_is_refused(record, refused, body):
    c = record["client"]
    refused(lambda: c.post(record["base"] + "/strengths", json={"kind": "skill", "text": "Je lis",
                                                                **body}), 422)
    refused(lambda: c.put(record["strength"] + "/links", json=body), 422)


def test_a_strength_linked_to_a_network_member_that_is_not_the_persons_is_refused(record, refused):
    c = record["client"]
    body = {"kind": "people", "text": "Mon voisin", "member_id": NOWHERE}
    refused(lambda: c.post(record["base"] + "/strengths", json=body), 422, "network")
    refused(lambda: c.put(record["strength"] + "/links", json={"member_id": NOWHERE}), 422,
            "network")


def test_a_goal_linked_to_an_unknown_theme_is_refused(record, refused):
    c = record["client"]
    refused(lambda: c.post(record["base"] + "/plan/goals",
                           json={"text": "Marcher", "themes": ["unicorns"]}), 422, "unknown theme")
    refused(lambda: c.put(record["goal"] + "/themes/unicorns"), 422, "unknown theme")


def test_a_goal_linked_to_a_missing_strength_or_another_persons_is_refused(
        record, refused, org, login):
    c = record["client"]
    other = org.open("person")
    grant(org, other, record["practitioner"])
    theirs = c.post(f"/persons/{other.user_id}/strengths", headers=RYW,
                    json={"kind": "value", "text": "La patience"}).json()["id"]
    for strength in (NOWHERE, theirs):
        refused(lambda s=strength: c.post(record["base"] + "/plan/goals",
                                          json={"text": "Marcher", "strengths": [s]}),
                422, "not one of this person's strengths")
        refused(lambda s=strength: c.put(f"{record['goal']}/strengths/{s}"), 422,
                "not one of this person's strengths")


def test_a_goal_linked_to_a_retired_strength_is_refused(record, refused):
    c = record["client"]
    assert c.post(record["strength"] + "/retire", headers=RYW).status_code == 200
    refused(lambda: c.put(f"{record['goal']}/strengths/{record['strength_id']}"), 422, "retired")


# Missing or foreign records -------------------------------------------------------------------
def test_actions_on_a_missing_goal_or_action_are_not_found(record, refused):
    c, goals = record["client"], record["base"] + "/plan/goals"
    refused(lambda: c.post(f"{goals}/{NOWHERE}/actions", json={"text": "Appeler", "who": "person"}),
            404, "goal not found")
    refused(lambda: c.post(f"{goals}/{NOWHERE}/progress", json={"value": 5}), 404, "goal")
    refused(lambda: c.post(f"{record['goal']}/actions/{NOWHERE}/done"), 404, "action not found")
    refused(lambda: c.get(f"{goals}/{NOWHERE}"), 404)
    refused(lambda: c.put(f"{record['base']}/strengths/{NOWHERE}/text", json={"text": "x"}), 404)


def test_a_goal_or_strength_reached_through_another_persons_record_is_not_found(record, refused, org):
    c, other = record["client"], org.open("person")
    grant(org, other, record["practitioner"])  # so the guard lets the request reach the service
    goal_id, strength_id = record["goal"].rsplit("/", 1)[1], record["strength_id"]
    refused(lambda: c.post(f"/persons/{other.user_id}/plan/goals/{goal_id}/progress",
                           json={"value": 5}), 404)
    refused(lambda: c.post(f"/persons/{other.user_id}/strengths/{strength_id}/retire"), 404)


def test_a_person_cannot_write_into_another_persons_plan(record, refused, org, login):
    stranger = login(org, org.open("person").login)
    refused(lambda: stranger.post(record["goal"] + "/progress", json={"value": 5}), 403)
    refused(lambda: stranger.post(record["base"] + "/strengths",
                                  json={"kind": "skill", "text": "x"}), 403)


# States ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "new"), [(["paused"], "achieved"), ([], "active"),
                                           (["achieved"], "paused"), (["abandoned"], "achieved")])
def test_an_illegal_status_change_is_refused(record, refused, path, new):
    c, url = record["client"], record["goal"] + "/status"
    for status in path:
        assert c.post(url, headers=RYW, json={"status": status}).status_code == 200
    refused(lambda: c.post(url, json={"status": new}), 409, "cannot go from")


def test_an_unknown_status_or_doer_is_refused(record, refused):
    c = record["client"]
    refused(lambda: c.post(record["goal"] + "/status", json={"status": "done"}), 400)
    refused(lambda: c.post(record["goal"] + "/actions", json={"text": "x", "who": "neighbour"}), 400)
    refused(lambda: c.post(record["base"] + "/strengths", json={"kind": "magic", "text": "x"}), 400)


def test_an_action_done_twice_and_a_retired_strength_reworded_are_refused(record, refused):
    c = record["client"]
    assert c.post(record["action"] + "/done", headers=RYW).status_code == 200
    refused(lambda: c.post(record["action"] + "/done"), 409, "already done")
    assert c.post(record["strength"] + "/retire", headers=RYW).status_code == 200
    refused(lambda: c.put(record["strength"] + "/text", json={"text": "autre"}), 409, "retired")


def test_a_stale_if_match_is_refused(record, refused):
    c = record["client"]
    refused(lambda: c.put(record["goal"] + "/text", headers={"if-match": '"1"'},
                          json={"text": "Autre"}), 409, "version")


# Dates and progress ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "31/01/2026", 20260131, True])
def test_a_date_that_is_not_a_date_is_refused(record, refused, value):
    c = record["client"]
    refused(lambda: c.post(record["base"] + "/plan/goals",
                           json={"text": "Marcher", "target_date": value}), 400)
    refused(lambda: c.put(record["goal"] + "/target-date", json={"target_date": value}), 400)
    refused(lambda: c.post(record["goal"] + "/actions",
                           json={"text": "Appeler", "who": "person", "due_date": value}), 400)
    refused(lambda: c.put(record["action"] + "/due-date", json={"due_date": value}), 400)


@pytest.mark.parametrize("value", [101, -1, 1000])
def test_progress_outside_0_to_100_is_refused(record, refused, value):
    refused(lambda: record["client"].post(record["goal"] + "/progress", json={"value": value}),
            422, "0 to 100")


@pytest.mark.parametrize("value", [50.5, "50", None, True])
def test_progress_that_is_not_an_integer_is_refused(record, refused, value):
    refused(lambda: record["client"].post(record["goal"] + "/progress", json={"value": value}),
            400, "expected `int`")
