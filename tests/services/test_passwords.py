"""The password policy, changing a password, and two-step login (TOTP) with a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest

from domain.errors import Forbidden, InvalidState, InvalidValue
from infra.eventstore.factory import factory_builder
from services.accounts import Accounts, InvalidCredentials
from services.login_security import SecretRejected
from services.passwords import check_password_policy, common_passwords

PASSWORD = "correct-horse-battery"  # the password tests/conftest.py gives every account


@pytest.mark.parametrize(("password", "message"), [
    ("eleven-char", "at least 12 characters"),
    ("x" * 257, "at most 256 characters"),
    ("aaaaaaaaaaaaaaaa", "one character repeated"),
    ("julie.martin-2026!", "must not contain the login"),
    ("JULIE.MARTIN-2026!", "must not contain the login"),
    ("Password1234", "most common"),
    ("azertyuiop123", "most common"),
])
def test_a_password_breaking_a_rule_is_refused_with_the_rule_in_the_message(password, message) -> None:
    with pytest.raises(InvalidValue, match=message):
        check_password_policy(password, login="julie.martin")


@pytest.mark.parametrize("password", ["correct-horse-battery", "xy" * 128, "twelve chars", "é" * 11 + "e"])
def test_a_long_uncommon_password_without_the_login_is_accepted(password) -> None:
    check_password_policy(password, login="julie.martin")


def test_the_built_in_list_holds_about_a_hundred_lowercase_common_passwords() -> None:
    listed = common_passwords()
    assert 90 <= len(listed) <= 200
    assert "123456" in listed and "motdepasse123" in listed
    assert all(p == p.lower() and not p.startswith("#") for p in listed)


def test_opening_an_account_whose_password_contains_its_login_is_refused(org, write_side) -> None:
    with pytest.raises(InvalidValue, match="login"):
        write_side.accounts.open_account(org.admin, "gabrielle", "G", "person", "gabrielle-2026-x")


def test_a_password_changes_only_with_the_current_one_and_then_only_the_new_one_works(org, accounts) -> None:
    person = org.open("person")
    with pytest.raises(SecretRejected):
        accounts.change_password(person, "not-the-password", "a-brand-new-secret")
    result = accounts.change_password(person, PASSWORD, "a-brand-new-secret")
    assert result.version == 2
    with pytest.raises(InvalidCredentials):
        accounts.authenticate(org.slug, person.login, PASSWORD)  # type: ignore[attr-defined]
    assert accounts.authenticate(org.slug, person.login, "a-brand-new-secret").user_id == person.user_id  # type: ignore[attr-defined]


@pytest.mark.parametrize("new", [PASSWORD, "short", "password1234"])
def test_a_new_password_equal_to_the_current_one_or_weak_is_refused(org, accounts, new) -> None:
    person = org.open("person")
    with pytest.raises(InvalidValue):
        accounts.change_password(person, PASSWORD, new)


def wrong_code(secret: str, at: datetime) -> str:
    """A six-digit code that none of the accepted steps (±30 s) produces."""
    valid = {pyotp.TOTP(secret).at(at + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def enrol(accounts: Accounts, actor, clock) -> str:  # type: ignore[no-untyped-def]
    enrolment = accounts.start_totp_enrolment(actor)
    accounts.confirm_totp(actor, pyotp.TOTP(enrolment.secret).at(clock()))
    return enrolment.secret


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "org_admin", "auditor"])
def test_a_staff_member_enrols_and_then_logs_in_only_with_a_code(org, accounts, clock, role) -> None:
    staff = org.open(role)
    enrolment = accounts.start_totp_enrolment(staff)
    assert enrolment.uri.startswith("otpauth://totp/") and enrolment.secret in enrolment.uri
    accounts.confirm_totp(staff, pyotp.TOTP(enrolment.secret).at(clock()))
    login = staff.login  # type: ignore[attr-defined]
    with pytest.raises(InvalidCredentials, match="totp_code"):
        accounts.authenticate(org.slug, login, PASSWORD)
    with pytest.raises(InvalidCredentials, match="not accepted"):
        accounts.authenticate(org.slug, login, PASSWORD, wrong_code(enrolment.secret, clock()))
    code = pyotp.TOTP(enrolment.secret).at(clock())
    assert accounts.authenticate(org.slug, login, PASSWORD, code).user_id == staff.user_id


def test_a_code_is_accepted_thirty_seconds_late_but_not_ninety(org, accounts, clock) -> None:
    staff = org.open("practitioner")
    secret = enrol(accounts, staff, clock)
    code = pyotp.TOTP(secret).at(clock())
    clock.advance(timedelta(seconds=30))
    assert accounts.authenticate(org.slug, staff.login, PASSWORD, code)  # type: ignore[attr-defined]
    clock.advance(timedelta(seconds=60))
    with pytest.raises(InvalidCredentials):
        accounts.authenticate(org.slug, staff.login, PASSWORD, code)  # type: ignore[attr-defined]


def test_a_pending_enrolment_does_not_change_how_one_logs_in(org, accounts) -> None:
    staff = org.open("practitioner")
    accounts.start_totp_enrolment(staff)
    assert accounts.authenticate(org.slug, staff.login, PASSWORD).user_id == staff.user_id  # type: ignore[attr-defined]


def test_a_wrong_confirmation_code_leaves_the_enrolment_pending(org, accounts, clock) -> None:
    staff = org.open("practitioner")
    secret = accounts.start_totp_enrolment(staff).secret
    with pytest.raises(SecretRejected):
        accounts.confirm_totp(staff, wrong_code(secret, clock()))
    account = accounts.account(org.tenant_id, staff.user_id)
    assert account.totp_pending == secret and account.totp_secret is None


def test_confirming_without_an_enrolment_or_enrolling_twice_conflicts(org, accounts, clock) -> None:
    staff = org.open("practitioner")
    with pytest.raises(InvalidState):
        accounts.confirm_totp(staff, "123456")
    enrol(accounts, staff, clock)
    with pytest.raises(InvalidState):
        accounts.start_totp_enrolment(staff)


@pytest.mark.parametrize("role", ["person", "close_person"])
def test_persons_and_close_persons_cannot_enrol(org, accounts, role) -> None:
    with pytest.raises(Forbidden):
        accounts.start_totp_enrolment(org.open(role))


def test_two_step_login_turns_off_only_with_a_current_code(org, accounts, clock) -> None:
    staff = org.open("auditor")
    secret = enrol(accounts, staff, clock)
    with pytest.raises(SecretRejected):
        accounts.disable_totp(staff, wrong_code(secret, clock()))
    accounts.disable_totp(staff, pyotp.TOTP(secret).at(clock()))
    assert accounts.authenticate(org.slug, staff.login, PASSWORD).user_id == staff.user_id  # type: ignore[attr-defined]
    with pytest.raises(InvalidState):
        accounts.disable_totp(staff, pyotp.TOTP(secret).at(clock()))


def test_the_enabled_secret_is_rebuilt_from_the_stored_events(org, accounts, write_side, clock) -> None:
    staff = org.open("practitioner")
    secret = enrol(accounts, staff, clock)
    fresh = Accounts(factory_builder(write_side.datastore), clock)
    account = fresh.account(org.tenant_id, staff.user_id)
    assert (account.totp_secret, account.totp_pending, account.version) == (secret, None, 3)
