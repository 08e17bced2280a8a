"""Consent use cases on real PostgreSQL: who may grant what to whom, requests, revocation,
and current consent as the projection shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound
from services.base import VersionConflict

ALL = ["quality_of_life", "social_network", "strengths", "plan"]


def consent_rows(conn: psycopg.Connection[Any], person_id: UUID) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT grantee_id, tab, level, revoked_at IS NOT NULL FROM consent_grants"
        " WHERE person_id = %s ORDER BY granted_at, tab", [person_id]).fetchall()


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    return org.open("person"), org.open("practitioner")


def test_a_person_grants_and_revokes_and_current_consent_follows(
        org, people, write_side, catch_up, projector_conn) -> None:
    person, practitioner = people
    consent = write_side.consent
    granted = consent.grant(person, person.user_id, "practitioner", practitioner.user_id,
                            ["plan", "strengths"], "co_edit")
    catch_up()
    assert consent_rows(projector_conn, person.user_id) == [
        (practitioner.user_id, "plan", "co_edit", False),
        (practitioner.user_id, "strengths", "co_edit", False)]
    consent.revoke(person, person.user_id, granted.id)
    catch_up()
    assert [r[3] for r in consent_rows(projector_conn, person.user_id)] == [True, True]
    with pytest.raises(InvalidState):
        consent.revoke(person, person.user_id, granted.id)
    with pytest.raises(NotFound):
        consent.revoke(person, person.user_id, uuid4())


def test_only_the_person_grants_on_their_record(org, people, write_side) -> None:
    person, practitioner = people
    other = org.open("person")
    for who in (practitioner, other, org.admin):
        with pytest.raises(Forbidden):
            write_side.consent.grant(who, person.user_id, "practitioner", practitioner.user_id,
                                     ["plan"], "read")


def test_the_grantee_must_exist_with_the_right_role(org, people, write_side, new_org) -> None:
    person, practitioner = people
    consent = write_side.consent
    manager, stranger = org.open("team_manager"), new_org().open("practitioner")
    cases = [("practitioner", manager.user_id), ("practitioner", uuid4()),
             ("practitioner", stranger.user_id), ("team", uuid4()), ("team", practitioner.user_id),
             ("close_person", practitioner.user_id)]
    for kind, grantee in cases:
        with pytest.raises(InvalidValue):
            consent.grant(person, person.user_id, kind, grantee, ["plan"], "read")


def test_a_close_person_must_be_invited_by_this_person(org, people, write_side) -> None:
    person, _ = people
    other = org.open("person")
    mine = write_side.accounts.open_account(person, f"{person.login}-sis", "Sœur", "close_person",
                                            "correct-horse-battery").id
    theirs = write_side.accounts.open_account(other, f"{other.login}-bro", "Frère", "close_person",
                                              "correct-horse-battery").id
    write_side.consent.grant(person, person.user_id, "close_person", mine, ["plan"], "read")
    with pytest.raises(InvalidValue, match="not invited"):
        write_side.consent.grant(person, person.user_id, "close_person", theirs, ["plan"], "read")


def test_a_team_of_the_organization_can_be_granted(org, people, write_side) -> None:
    person, _ = people
    team = write_side.teams.create_team(org.admin, "Équipe").id
    result = write_side.consent.grant(person, person.user_id, "team", team, ["quality_of_life"],
                                      "read", datetime.now(UTC) + timedelta(days=90))
    assert result.id != team and result.notification_id > 0


def test_a_practitioner_records_consent_given_in_person_and_the_person_revokes_it(
        org, people, write_side, catch_up, projector_conn) -> None:
    person, practitioner = people
    given_at = datetime.now(UTC) - timedelta(hours=1)
    recorded = write_side.consent.record_given_in_person(
        practitioner, person.user_id, "practitioner", practitioner.user_id, ALL, "co_edit",
        "Consentement verbal à l'accueil, devant témoin", given_at)
    catch_up()
    row = projector_conn.execute(
        "SELECT granted_by, recorded_in_person, legal_basis, given_at FROM consent_grants"
        " WHERE grant_id = %s LIMIT 1", [recorded.id]).fetchone()
    assert row == (practitioner.user_id, True, "Consentement verbal à l'accueil, devant témoin",
                   given_at)
    write_side.consent.revoke(person, person.user_id, recorded.id)
    with pytest.raises(Forbidden):  # a person does not record "in person" consent
        write_side.consent.record_given_in_person(
            person, person.user_id, "practitioner", practitioner.user_id, ALL, "read", "x",
            given_at)


def test_a_practitioner_requests_access_and_the_person_accepts_or_declines(
        org, people, write_side, catch_up, projector_conn) -> None:
    person, practitioner = people
    consent = write_side.consent
    first = consent.request_access(practitioner, person.user_id, ["plan"], "co_edit", "Plan commun")
    second = consent.request_access(practitioner, person.user_id, ["strengths"], "read", "Forces")
    with pytest.raises(Forbidden):
        consent.accept_request(practitioner, person.user_id, first.id)
    accepted = consent.accept_request(person, person.user_id, first.id)
    consent.decline_request(person, person.user_id, second.id)
    with pytest.raises(InvalidState):
        consent.accept_request(person, person.user_id, second.id)
    catch_up()
    statuses = projector_conn.execute(
        "SELECT request_id, status, grant_id FROM consent_requests WHERE person_id = %s",
        [person.user_id]).fetchall()
    assert sorted(statuses, key=lambda r: r[1]) == [(first.id, "accepted", accepted.id),
                                                     (second.id, "declined", None)]
    assert consent_rows(projector_conn, person.user_id) == [
        (practitioner.user_id, "plan", "co_edit", False)]


def test_a_request_for_a_person_of_another_organization_is_not_found(
        people, write_side, new_org) -> None:
    _, practitioner = people
    stranger = new_org().open("person")
    with pytest.raises(NotFound):
        write_side.consent.request_access(practitioner, stranger.user_id, ["plan"], "read", "?")


def test_a_stale_version_of_the_ledger_is_a_conflict(people, write_side) -> None:
    person, practitioner = people
    first = write_side.consent.grant(person, person.user_id, "practitioner",
                                     practitioner.user_id, ["plan"], "read")
    write_side.consent.grant(person, person.user_id, "practitioner", practitioner.user_id,
                             ["strengths"], "read", expected_version=first.version)
    with pytest.raises(VersionConflict):
        write_side.consent.revoke(person, person.user_id, first.id, expected_version=first.version)
