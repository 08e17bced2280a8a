"""Consent over HTTP: grant, revoke, expire, request, accept, decline, in-person consent;
each change holds from the very next request."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests.conftest import Org
from tests.http.conftest import grant

ALL = ["quality_of_life", "social_network", "strengths", "plan"]


def consent_events(conn: psycopg.Connection[Any], org: Org) -> int:
    row = conn.execute("SELECT count(*) FROM consent_events WHERE tenant_id = %s",
                       [org.tenant_id]).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def pair(org, login):  # type: ignore[no-untyped-def]
    """A person and a practitioner, both logged in, and the person's record URL."""
    person, practitioner = org.open("person"), org.open("practitioner")
    return (login(org, person.login), login(org, practitioner.login),
            f"/persons/{person.user_id}", person, practitioner)


def granted(me, base: str, grantee, tabs: list[str] | None = None, level: str = "co_edit",
            **extra: Any) -> str:  # type: ignore[no-untyped-def]
    response = me.post(base + "/consent/grants", json={
        "grantee_kind": grantee.role, "grantee_id": str(grantee.user_id), "tabs": tabs or ALL,
        "level": level, **extra})
    assert response.status_code == 201, response.text
    assert response.headers["preference-applied"] == "read-your-writes"
    return str(response.json()["id"])


def test_a_grant_opens_the_record_and_its_revocation_closes_it_on_the_very_next_request(
        pair) -> None:
    me, them, base, _, practitioner = pair
    assert them.get(base + "/ratings").status_code == 403
    grant_id = granted(me, base, practitioner, ["quality_of_life"], "read")
    assert them.get(base + "/ratings").status_code == 200
    assert them.post(base + "/assessments").status_code == 403  # read is not co-edit
    assert them.get(base + "/strengths").status_code == 403  # a tab not granted
    revoked = me.post(f"{base}/consent/grants/{grant_id}/revoke")
    assert revoked.status_code == 200, revoked.text
    assert them.get(base + "/ratings").status_code == 403
    shown = me.get(base + "/consent").json()["grants"]
    assert [(g["grant_id"], g["active"], g["revoked_by"] is not None) for g in shown] == [
        (grant_id, False, True)]


def test_an_expired_grant_stops_working_once_its_end_passes(pair) -> None:
    me, them, base, _, practitioner = pair
    until = datetime.now(UTC) + timedelta(seconds=2)
    granted(me, base, practitioner, ["plan"], "read", until=until.isoformat())
    assert them.get(base + "/plan/goals").status_code == 200
    deadline = time.monotonic() + 15
    while (status := them.get(base + "/plan/goals").status_code) == 200:
        assert time.monotonic() < deadline, "the grant outlived its end"
        time.sleep(0.2)
    assert status == 403 and datetime.now(UTC) >= until


def test_a_practitioner_asks_and_the_person_accepts_with_an_end_or_declines(pair) -> None:
    me, them, base, _, _ = pair
    asked = them.post(base + "/consent/requests", json={
        "tabs": ["strengths"], "level": "co_edit", "reason": "Préparer la rencontre"})
    assert asked.status_code == 201, asked.text
    other = them.post(base + "/consent/requests", json={
        "tabs": ["plan"], "level": "read", "reason": "Suivi du plan"}).json()["id"]
    request_id = asked.json()["id"]
    assert them.post(f"{base}/consent/requests/{request_id}/accept").status_code == 403
    until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    accepted = me.post(f"{base}/consent/requests/{request_id}/accept", json={"until": until})
    assert accepted.status_code == 200, accepted.text
    assert me.post(f"{base}/consent/requests/{other}/decline").status_code == 200
    cooking = {"kind": "skill", "text": "Cuisine"}
    assert them.post(base + "/strengths", json=cooking).status_code == 201
    assert them.get(base + "/plan/goals").status_code == 403
    mine = them.get(base + "/consent").json()
    assert [(g["grant_id"], g["tabs"], g["level"]) for g in mine["grants"]] == [
        (accepted.json()["id"], ["strengths"], "co_edit")]
    assert sorted(r["status"] for r in mine["requests"]) == ["accepted", "declined"]
    assert me.post(f"{base}/consent/requests/{other}/accept").status_code == 409


def test_consent_given_in_person_is_shown_to_the_person_and_revocable_by_them(pair) -> None:
    me, them, base, _, practitioner = pair
    given_at = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    recorded = them.post(base + "/consent/grants/in-person", json={
        "grantee_kind": "practitioner", "grantee_id": str(practitioner.user_id), "tabs": ALL,
        "level": "co_edit", "legal_basis": "Consentement écrit signé à l'accueil",
        "given_at": given_at.isoformat()})
    assert recorded.status_code == 201, recorded.text
    assert them.post(base + "/assessments").status_code == 201
    [shown] = me.get(base + "/consent").json()["grants"]
    assert (shown["recorded_in_person"], shown["granted_by"], shown["legal_basis"]) == (
        True, str(practitioner.user_id), "Consentement écrit signé à l'accueil")
    assert datetime.fromisoformat(shown["given_at"]) == given_at
    assert me.post(f"{base}/consent/grants/{shown['grant_id']}/revoke").status_code == 200
    assert them.post(base + "/assessments").status_code == 403


def test_a_practitioner_sees_only_the_grants_that_concern_them(org, pair) -> None:
    me, them, base, _, practitioner = pair
    colleague = org.open("practitioner")
    granted(me, base, practitioner, ["plan"], "read")
    granted(me, base, colleague, ["strengths"], "read")
    assert [g["tabs"] for g in them.get(base + "/consent").json()["grants"]] == [["plan"]]
    assert len(me.get(base + "/consent").json()["grants"]) == 2


def test_a_close_person_sees_only_what_the_person_shares_with_them(org, pair, login) -> None:
    me, _, base, person, _ = pair
    invited = me.post("/accounts", json={
        "login": f"{person.login}-soeur", "display_name": "Sœur", "role": "close_person",
        "password": "correct-horse-battery"})
    assert invited.status_code == 201, invited.text
    close = org.side.accounts.actor(org.tenant_id, invited.json()["id"])
    granted(me, base, close, ["strengths"], "read")
    sister = login(org, f"{person.login}-soeur")
    assert sister.get(base + "/strengths").status_code == 200
    assert sister.get(base + "/plan/goals").status_code == 403
    assert sister.get(base + "/consent").status_code == 403
    assert sister.get(base + "/access-log").status_code == 403


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"tabs": ["finances"]}, 422, "unknown tab"),
    ({"tabs": []}, 422, "at least one tab"),
    ({"level": "admin"}, 422, "level"),
    ({"grantee_kind": "researcher"}, 422, "grantee_kind"),
    ({"until": "2020-01-01T00:00:00Z"}, 422, "future"),
    ({"tabs": "plan"}, 400, ""),
    ({"level": 1}, 400, ""),
])
def test_a_bad_grant_is_refused_and_stores_nothing(pair, org, projector_conn, body, status,
                                                   words) -> None:
    me, _, base, _, practitioner = pair
    before = consent_events(projector_conn, org)
    response = me.post(base + "/consent/grants", json={
        "grantee_kind": "practitioner", "grantee_id": str(practitioner.user_id), "tabs": ["plan"],
        "level": "read", **body})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"]
    assert consent_events(projector_conn, org) == before


def test_a_grant_to_someone_who_is_not_a_grantee_of_this_organization_is_refused(
        pair, org, new_org, projector_conn) -> None:
    me, _, base, _, _ = pair
    before = consent_events(projector_conn, org)
    for kind, grantee in (("practitioner", new_org().open("practitioner").user_id),
                          ("practitioner", org.open("auditor").user_id),
                          ("close_person", org.open("practitioner").user_id)):
        response = me.post(base + "/consent/grants", json={
            "grantee_kind": kind, "grantee_id": str(grantee), "tabs": ["plan"], "level": "read"})
        assert response.status_code == 422, response.text
    assert consent_events(projector_conn, org) == before


def test_revoking_an_unknown_or_revoked_grant_is_refused(pair) -> None:
    me, _, base, _, practitioner = pair
    grant_id = granted(me, base, practitioner)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert me.post(f"{base}/consent/grants/{unknown}/revoke").status_code == 404
    assert me.post(f"{base}/consent/grants/{grant_id}/revoke").status_code == 200
    assert me.post(f"{base}/consent/grants/{grant_id}/revoke").status_code == 409


def test_only_the_person_manages_their_consent(org, pair, login) -> None:
    me, them, base, _, practitioner = pair
    other = login(org, org.open("person").login)
    body = {"grantee_kind": "practitioner", "grantee_id": str(practitioner.user_id),
            "tabs": ["plan"], "level": "read"}
    for caller in (them, other, login(org, "admin")):
        assert caller.post(base + "/consent/grants", json=body).status_code == 403
    grant_id = granted(me, base, practitioner)
    assert them.post(f"{base}/consent/grants/{grant_id}/revoke").status_code == 403
    assert other.get(base + "/consent").status_code == 403


def test_a_grant_through_the_helper_gives_co_edit_on_every_tab(org, login) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    them, base = login(org, practitioner.login), f"/persons/{person.user_id}"
    drawing = {"kind": "skill", "text": "Dessin"}
    assert them.post(base + "/strengths", json=drawing).status_code == 201
    assert them.post(base + "/plan/goals", json={"text": "Dessiner"}).status_code == 201


def test_the_summary_shows_only_the_tabs_the_caller_may_read(pair) -> None:
    me, them, base, _, practitioner = pair
    assert them.get(base + "/summary").status_code == 403  # no tab readable
    granted(me, base, practitioner, ["plan", "strengths"], "read")
    summary = them.get(base + "/summary")
    assert summary.status_code == 200, summary.text
    assert summary.json()["tabs"] == ["strengths", "plan"]
    assert summary.json()["quality_of_life"] is None
    assert me.get(base + "/summary").json()["tabs"] == ALL
