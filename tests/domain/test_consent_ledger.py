"""The rules of a person's consent ledger, on the aggregate alone (no storage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.consent.ledger import ConsentLedger
from domain.consent.vocabulary import TABS
from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound

TENANT, PERSON, PRACTITIONER = uuid4(), uuid4(), uuid4()
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def ledger() -> ConsentLedger:
    return ConsentLedger.open(TENANT, PERSON)


def granted(book: ConsentLedger, tabs: list[str] | None = None, level: str = "read",
            until: datetime | None = None) -> UUID:
    grant_id = uuid4()
    book.grant(grant_id, "practitioner", PRACTITIONER, tabs or ["plan"], level, until, PERSON, NOW)
    return grant_id


def replayed(events: list[ConsentLedger.Event]) -> ConsentLedger:
    copy = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, ConsentLedger)
    return copy


def test_the_ledger_id_is_derived_from_the_tenant_and_the_person() -> None:
    assert ledger().id == ConsentLedger.create_id(TENANT, PERSON) != ConsentLedger.create_id(
        TENANT, PRACTITIONER)


def test_a_grant_is_an_event_naming_the_person_the_author_the_tabs_and_the_level() -> None:
    book = ledger()
    grant_id = granted(book, ["plan", "quality_of_life", "plan"], "co_edit",
                       NOW + timedelta(days=30))
    [_, e] = book.collect_events()
    assert isinstance(e, ConsentLedger.AccessGranted)
    assert (e.person_id, e.author_id, e.grant_id, e.grantee_id) == (PERSON, PERSON, grant_id,
                                                                     PRACTITIONER)
    assert (e.tabs, e.level, e.until, e.recorded_in_person, e.legal_basis) == (
        ["quality_of_life", "plan"], "co_edit", NOW + timedelta(days=30), False, None)


def test_only_the_person_grants_revokes_accepts_and_declines() -> None:
    book = ledger()
    grant_id = granted(book)
    book.request(request_id := uuid4(), PRACTITIONER, ["plan"], "read", "Préparer la rencontre")
    with pytest.raises(Forbidden):
        book.grant(uuid4(), "practitioner", PRACTITIONER, ["plan"], "read", None, PRACTITIONER, NOW)
    with pytest.raises(Forbidden):
        book.revoke(grant_id, PRACTITIONER)
    with pytest.raises(Forbidden):
        book.accept(request_id, uuid4(), None, PRACTITIONER, NOW)
    with pytest.raises(Forbidden):
        book.decline(request_id, PRACTITIONER)


@pytest.mark.parametrize("tabs", [["finances"], [], ["plan", "medication"]])
def test_an_unknown_tab_or_no_tab_is_an_invalid_value(tabs: list[str]) -> None:
    with pytest.raises(InvalidValue):
        ledger().grant(uuid4(), "practitioner", PRACTITIONER, tabs, "read", None, PERSON, NOW)


@pytest.mark.parametrize("level", ["write", "admin", "", "READ"])
def test_an_unknown_level_is_an_invalid_value(level: str) -> None:
    with pytest.raises(InvalidValue, match="level"):
        ledger().grant(uuid4(), "practitioner", PRACTITIONER, ["plan"], level, None, PERSON, NOW)


def test_an_unknown_kind_of_grantee_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue, match="grantee_kind"):
        ledger().grant(uuid4(), "researcher", PRACTITIONER, ["plan"], "read", None, PERSON, NOW)


@pytest.mark.parametrize("until", [NOW, NOW - timedelta(seconds=1), NOW.replace(tzinfo=None)])
def test_an_end_that_is_not_in_the_future_or_has_no_time_zone_is_an_invalid_value(
        until: datetime) -> None:
    with pytest.raises(InvalidValue, match="until"):
        granted(ledger(), until=until)


def test_revoking_an_unknown_grant_is_not_found_and_revoking_twice_is_invalid_state() -> None:
    book = ledger()
    grant_id = granted(book)
    with pytest.raises(NotFound):
        book.revoke(uuid4(), PERSON)
    book.revoke(grant_id, PERSON)
    with pytest.raises(InvalidState, match="already revoked"):
        book.revoke(grant_id, PERSON)
    assert replayed(book.collect_events()).grants[grant_id]["revoked"] is True


def test_consent_given_in_person_is_attributed_to_the_practitioner_with_its_legal_basis() -> None:
    book = ledger()
    given_at = NOW - timedelta(hours=2)
    book.record_given_in_person(grant_id := uuid4(), "practitioner", PRACTITIONER, list(TABS),
                                "co_edit", None, "  Consentement écrit à l'accueil ", given_at,
                                PRACTITIONER, NOW)
    e = book.collect_events()[-1]
    assert isinstance(e, ConsentLedger.AccessGranted)
    assert (e.author_id, e.recorded_in_person, e.legal_basis, e.given_at) == (
        PRACTITIONER, True, "Consentement écrit à l'accueil", given_at)
    book.revoke(grant_id, PERSON)  # the person can revoke it like any other grant
    assert book.grants[grant_id]["revoked"]


@pytest.mark.parametrize(("basis", "given_at"), [
    ("", NOW), ("   ", NOW), ("Écrit", NOW + timedelta(minutes=1)),
    ("Écrit", NOW.replace(tzinfo=None))])
def test_consent_given_in_person_needs_a_legal_basis_and_a_past_instant(
        basis: str, given_at: datetime) -> None:
    with pytest.raises(InvalidValue):
        ledger().record_given_in_person(uuid4(), "practitioner", PRACTITIONER, ["plan"], "read",
                                        None, basis, given_at, PRACTITIONER, NOW)


def test_accepting_a_request_grants_what_was_asked_to_who_asked() -> None:
    book = ledger()
    book.request(request_id := uuid4(), PRACTITIONER, ["strengths", "plan"], "co_edit", "Plan")
    book.accept(request_id, grant_id := uuid4(), NOW + timedelta(days=1), PERSON, NOW)
    events = book.collect_events()
    *_, accepted, grant = events
    assert isinstance(accepted, ConsentLedger.AccessRequestAccepted)
    assert isinstance(grant, ConsentLedger.AccessGranted)
    assert (grant.grant_id, grant.grantee_kind, grant.grantee_id, grant.tabs, grant.level) == (
        grant_id, "practitioner", PRACTITIONER, ["strengths", "plan"], "co_edit")
    assert replayed(events).requests[request_id]["status"] == "accepted"


def test_a_request_is_answered_once_and_an_unknown_request_is_not_found() -> None:
    book = ledger()
    book.request(request_id := uuid4(), PRACTITIONER, ["plan"], "read", "Suivi")
    with pytest.raises(NotFound):
        book.decline(uuid4(), PERSON)
    book.decline(request_id, PERSON)
    with pytest.raises(InvalidState, match="declined"):
        book.accept(request_id, uuid4(), None, PERSON, NOW)


def test_a_request_needs_a_reason_known_tabs_and_a_known_level() -> None:
    cases = ((["plan"], "read", "  "), (["x"], "read", "r"), (["plan"], "x", "r"))
    for tabs, level, reason in cases:
        with pytest.raises(InvalidValue):
            ledger().request(uuid4(), PRACTITIONER, tabs, level, reason)
