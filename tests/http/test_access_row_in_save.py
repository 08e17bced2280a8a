"""An allowed write's access-log row is written by the statement that saves its events (ADR 22):
committed by the same transaction, after the same check of the kept consent inputs. A save
refused because those inputs changed saves nothing and is decided again; a write that saves
nothing still leaves its row before its answer, and on changed inputs answers the fresh
decision."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import psycopg

from infra.platform import Servers
from services.quality_of_life import QualityOfLife
from tests.http.conftest import count_events, grant, wait_for_views


def _rows(servers: Servers, org: Any, path: str) -> list[tuple[str, str]]:
    """(outcome, transaction id) of each access-log row of `path`, oldest first."""
    with psycopg.connect(servers.web_db().conninfo()) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
        rows = conn.execute("SELECT outcome, xmin::text FROM access_log WHERE path = %s"
                            " ORDER BY id", [path]).fetchall()
    return [(r[0], r[1]) for r in rows]


def _saving_transactions(projector_conn: psycopg.Connection[Any], assessment: UUID) -> list[str]:
    rows = projector_conn.execute(
        "SELECT xmin::text FROM qualityoflife_events WHERE originator_id = %s"
        " ORDER BY originator_version", [assessment]).fetchall()
    return [r[0] for r in rows]


def _revoke(org: Any, person: Any, grant_id: Any) -> None:
    result = org.side.consent.revoke(person, person.user_id, grant_id)
    wait_for_views(org, "Consent", result.notification_id)


def _sitting(org: Any, login: Any) -> tuple[Any, Any, Any, str]:
    """A practitioner with consent, logged in, who opened an assessment for the person:
    (person, grant, client, the assessment's ratings path)."""
    person, practitioner = org.open("person"), org.open("practitioner")
    given = grant(org, person, practitioner)
    client = login(org, practitioner.login)
    assessment = client.post(f"/persons/{person.user_id}/assessments").json()["id"]
    return person, given, client, f"/persons/{person.user_id}/assessments/{assessment}/ratings"


def _outcomes(servers: Servers, org: Any, path: str) -> list[str]:
    return [outcome for outcome, _ in _rows(servers, org, "/api/v1" + path)]


def test_a_writes_row_is_committed_by_the_transaction_that_saves_its_events(
        org, login, servers, projector_conn) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    opened = client.post(f"/persons/{person.user_id}/assessments")  # decided on fresh inputs
    assert opened.status_code == 201, opened.text
    assessment = opened.json()["id"]
    ratings = f"/persons/{person.user_id}/assessments/{assessment}/ratings"
    rated = client.post(ratings, json={"ratings": [{"theme": "housing", "value": 70}]})  # kept
    assert rated.status_code == 200, rated.text
    saves = _saving_transactions(projector_conn, assessment)
    assert len(saves) == 2 and saves[0] != saves[1]
    assert _rows(servers, org, f"/api/v1/persons/{person.user_id}/assessments") == [
        ("allowed", saves[0])]
    assert _rows(servers, org, "/api/v1" + ratings) == [("allowed", saves[1])]


def test_a_save_on_changed_inputs_that_still_allow_it_is_saved_once_with_one_row(
        org, login, servers, projector_conn) -> None:
    person, practitioner, other = (org.open("person"), org.open("practitioner"),
                                   org.open("practitioner"))
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    assessment = client.post(f"/persons/{person.user_id}/assessments").json()["id"]
    grant(org, person, other)  # the consent view moves: the kept inputs' stamp is stale
    events = count_events(projector_conn, org)
    ratings = f"/persons/{person.user_id}/assessments/{assessment}/ratings"
    rated = client.post(ratings, json={"ratings": [{"theme": "housing", "value": 70}]})
    assert rated.status_code == 200, rated.text
    assert count_events(projector_conn, org) == events + 1  # the refused save stored nothing
    saves = _saving_transactions(projector_conn, assessment)
    assert _rows(servers, org, "/api/v1" + ratings) == [("allowed", saves[-1])]


def test_a_save_on_inputs_revoked_since_is_refused_and_stores_nothing(
        org, login, servers, projector_conn) -> None:
    person, given, client, ratings = _sitting(org, login)
    _revoke(org, person, given)
    events = count_events(projector_conn, org)
    refused = client.post(ratings, json={"ratings": [{"theme": "housing", "value": 70}]})
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert count_events(projector_conn, org) == events
    assert _outcomes(servers, org, ratings) == ["denied"]


def test_a_write_that_saves_nothing_leaves_its_row_before_its_answer(
        org, login, servers, projector_conn) -> None:
    _, _, client, ratings = _sitting(org, login)
    events = count_events(projector_conn, org)
    invalid = client.post(ratings, json={"ratings": [{"theme": "housing", "value": 170}]})
    assert invalid.status_code == 422, invalid.text
    unknown = client.post(ratings, json={"ratings": [{"theme": "no-such-theme", "value": 7}]})
    assert unknown.status_code == 422, unknown.text
    assert count_events(projector_conn, org) == events
    assert _outcomes(servers, org, ratings) == ["allowed", "allowed"]


def test_a_write_that_saves_nothing_on_revoked_inputs_answers_the_refusal(
        org, login, servers, projector_conn) -> None:
    person, given, client, ratings = _sitting(org, login)
    _revoke(org, person, given)
    response = client.post(ratings, json={"ratings": [{"theme": "housing", "value": 170}]})
    assert response.status_code == 403, response.text  # not the 422 of the kept decision
    assert response.json()["status"] == 403
    assert _outcomes(servers, org, ratings) == ["denied"]


def test_a_write_decided_on_fresh_inputs_is_checked_again_at_its_save(
        org, login, servers, projector_conn, write_side, monkeypatch) -> None:
    """Consent revoked after the guard read fresh inputs (say, while a slow body arrived)
    and before the save: the save refuses, and nothing is stored."""
    person, practitioner = org.open("person"), org.open("practitioner")
    given = grant(org, person, practitioner)
    client = login(org, practitioner.login)
    opening = QualityOfLife.open_assessment

    def revoked_meanwhile(service: QualityOfLife, *args: Any) -> Any:
        # by the person, elsewhere: a thread of its own
        elsewhere = threading.Thread(target=_revoke, args=(org, person, given))
        elsewhere.start()
        elsewhere.join()
        return opening(service, *args)  # the service bound to the request's ticket
    monkeypatch.setattr(QualityOfLife, "open_assessment", revoked_meanwhile)
    events = count_events(projector_conn, org)
    path = f"/persons/{person.user_id}/assessments"
    refused = client.post(path)  # the first request about this person: fresh inputs
    assert refused.status_code == 403, refused.text
    assert count_events(projector_conn, org) == events
    assert _outcomes(servers, org, path) == ["denied"]
