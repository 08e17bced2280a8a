"""Text that could not be stored or projected (NUL, control characters, lone surrogates,
over-long values) is refused where it enters, naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.http.conftest import grant

PROBLEM = "application/problem+json"
RYW = {"prefer": "read-your-writes"}
TABLES = ("accounts", "qualityoflife", "strengths", "plan", "consent", "network", "teams")


def count_events(conn: psycopg.Connection[Any], tenant_id: Any) -> int:
    """Every event stored for the tenant, in every application."""
    row = conn.execute(" + ".join(f"(SELECT count(*) FROM {t}_events WHERE tenant_id = %(t)s)"
                                  for t in TABLES).join(("SELECT ", "")), {"t": tenant_id}).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def refused(org, projector_conn):
    """Sends a request; checks its problem (status, and the words of its detail) and that it
    stored no event."""
    def check(send, status, *words):
        before = count_events(projector_conn, org.tenant_id)
        response = send()
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        body = response.json()
        assert body["status"] == status and body["title"], body
        for word in words:
            assert word.lower() in body["detail"].lower(), body["detail"]
        assert count_events(projector_conn, org.tenant_id) == before
        return body
    return check


@pytest.fixture
def sitting(org, login):
    """A person, their practitioner (with co-edit consent) logged in, an open assessment."""
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    base = f"/persons/{person.user_id}"
    opened = client.post(base + "/assessments", headers=RYW)
    assert opened.status_code == 201, opened.text
    return client, base, f"{base}/assessments/{opened.json()['id']}"


CONTROL = "control characters"


@pytest.mark.parametrize(("text", "words"), [
    ("a\u0000b", ("text:", CONTROL)), ("a\u0007b", ("text:", CONTROL)),
    ("a\u001bb", ("text:", CONTROL)), ("a\u007fb", ("text:", CONTROL)),
    ("a\u0085b", ("text:", CONTROL)), ("a\u009fb", ("text:", CONTROL)),
    ("x" * 2001, ("text:", "at most 2000")),
])
def test_a_strength_with_a_control_character_or_too_long_is_refused_naming_the_field(
        sitting, refused, text, words):
    client, base, _ = sitting
    refused(lambda: client.post(base + "/strengths", json={"kind": "skill", "text": text}),
            422, *words)


def test_an_access_request_reason_with_nul_is_refused(org, login, refused):
    person, practitioner = org.open("person"), org.open("practitioner")
    client = login(org, practitioner.login)
    refused(lambda: client.post(f"/persons/{person.user_id}/consent/requests", json={
        "tabs": ["plan"], "level": "read", "reason": "suivi\u0000"}), 422, "reason:", CONTROL)


def test_a_lone_surrogate_in_json_is_refused_naming_the_field(sitting, refused):
    client, base, _ = sitting
    body = b'{"kind": "skill", "text": "je cuisine \\ud800 bien"}'
    problem = refused(lambda: client.post(base + "/strengths", content=body,
                                          headers={"content-type": "application/json"}),
                      422, "text:", "surrogate")
    assert problem["errors"][0]["key"] == "text"


def test_a_lone_surrogate_in_a_nested_field_is_named_by_its_path(sitting, refused):
    client, _, assessment = sitting
    body = b'{"ratings": [{"theme": "housing", "value": 5}], "comment": "\\udc00"}'
    refused(lambda: client.post(assessment + "/perceptions", content=body,
                                headers={"content-type": "application/json"}),
            422, "comment:", "surrogate")


def test_a_valid_surrogate_pair_is_a_character_like_any_other(sitting, projector_conn, catch_up):
    client, base, _ = sitting
    body = b'{"kind": "skill", "text": "je cuisine \\ud83c\\udf73"}'
    response = client.post(base + "/strengths", content=body, headers={
        "content-type": "application/json", **RYW})
    assert response.status_code == 201, response.text
    catch_up()
    strength = client.get(f"{base}/strengths/{response.json()['id']}").json()
    assert strength["strength"]["text"] == "je cuisine \U0001f373"


def test_tabs_and_line_breaks_are_kept_and_carriage_returns_become_line_breaks(
        sitting, catch_up):
    client, base, _ = sitting
    response = client.post(base + "/plan/goals", headers=RYW,
                           json={"text": "Finir\tmes cours\r\nde chimie\rcet hiver"})
    assert response.status_code == 201, response.text
    catch_up()
    goal = client.get(f"{base}/plan/goals/{response.json()['id']}").json()
    assert goal["text"] == "Finir\tmes cours\nde chimie\ncet hiver"


def test_a_team_name_with_a_control_character_is_refused(org, login, refused):
    admin = login(org, "admin")
    refused(lambda: admin.post("/teams", json={"name": "Équipe\u0001"}), 422, "name:", CONTROL)


def test_an_account_display_name_with_nul_is_refused(org, login, refused):
    admin = login(org, "admin")
    refused(lambda: admin.post("/accounts", json={
        "login": "sophie", "display_name": "Sophie\u0000", "role": "person",
        "password": "correct-horse-battery"}), 422, "display_name:", CONTROL)


# Path segments, query parameters and headers -------------------------------------------------
def test_a_nul_in_a_path_segment_is_a_bad_request_not_a_server_error(sitting, refused):
    client, base, assessment = sitting
    refused(lambda: client.get(base + "/themes/a%00/history"), 400, "theme", "U+0000")
    refused(lambda: client.put(assessment + "/stars/x%00"), 400, "theme", "U+0000")
    refused(lambda: client.delete(assessment + "/stars/x%00"), 400, "theme", "U+0000")


def test_a_nul_in_a_query_parameter_is_a_bad_request_not_a_server_error(sitting, refused):
    client, base, _ = sitting
    refused(lambda: client.get(base + "/ratings?perspective=%00"), 400, "perspective", "U+0000")
    refused(lambda: client.get(base + "/ratings?perspective%00=x"), 400, "U+0000")


def test_a_c1_control_in_an_idempotency_key_is_a_bad_request(sitting, refused):
    client, base, _ = sitting
    refused(lambda: client.post(base + "/strengths", json={"kind": "skill", "text": "Je lis"},
                                headers={"idempotency-key": b"k\x85k"}),
            400, "Idempotency-Key", "U+0085")
