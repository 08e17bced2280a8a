"""Organizations, accounts, log-in and API tokens on real PostgreSQL, with a fake clock."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from domain.errors import AlreadyExists, Forbidden, InvalidValue, NotFound
from services.accounts import InvalidCredentials

PASSWORD = "correct-horse-battery"  # the password tests/conftest.py gives every account


def test_a_registered_organization_has_its_admin_and_its_settings(write_side) -> None:
    slug = f"org-{secrets.token_hex(4)}"
    result = write_side.accounts.register_organization(
        slug, "  Organisme du Val  ", "fr", " Chef ", "Cheffe", PASSWORD)
    view = write_side.accounts.organization(result.id)
    assert (view.id, view.slug, view.name, view.region, view.default_locale) == (
        write_side.accounts.tenant_of(slug), slug, "Organisme du Val", "fr", "fr-FR")
    admin = write_side.accounts.authenticate(slug, "CHEF", PASSWORD)
    assert (admin.tenant_id, admin.role, admin.display_name, admin.locale) == (
        result.id, "org_admin", "Cheffe", "fr-FR")


def test_an_organization_code_can_be_registered_only_once(org, write_side) -> None:
    with pytest.raises(AlreadyExists):
        write_side.accounts.register_organization(org.slug, "Copie", "qc", "other", "O", PASSWORD)
    assert write_side.accounts.organization(org.tenant_id).name == f"Organisme {org.slug}"


def test_a_duplicate_login_in_one_organization_already_exists(org, write_side) -> None:
    accounts = write_side.accounts
    accounts.open_account(org.admin, "jean", "Jean", "person", PASSWORD)
    with pytest.raises(AlreadyExists):
        accounts.open_account(org.admin, "  JEAN ", "Jean bis", "practitioner", PASSWORD)
    assert accounts.authenticate(org.slug, "jean", PASSWORD).display_name == "Jean"


def test_the_same_login_may_exist_in_two_organizations(new_org, write_side) -> None:
    first, second = new_org(), new_org()
    write_side.accounts.open_account(first.admin, "marie", "Marie 1", "person", PASSWORD)
    write_side.accounts.open_account(second.admin, "marie", "Marie 2", "person", PASSWORD)
    assert write_side.accounts.authenticate(first.slug, "marie", PASSWORD).display_name == "Marie 1"
    assert write_side.accounts.authenticate(second.slug, "marie", PASSWORD).display_name == "Marie 2"


@pytest.mark.parametrize("role", ["person", "practitioner"])
def test_only_an_org_admin_opens_accounts(org, write_side, role) -> None:
    actor = org.open(role)
    with pytest.raises(Forbidden):
        write_side.accounts.open_account(actor, f"x-{secrets.token_hex(3)}", "X", "person", PASSWORD)


def test_an_account_with_a_short_password_or_bad_locale_is_refused(org, write_side) -> None:
    with pytest.raises(InvalidValue):
        write_side.accounts.open_account(org.admin, "paul", "Paul", "person", "short")
    with pytest.raises(InvalidValue):
        write_side.accounts.open_account(org.admin, "paul", "Paul", "person", PASSWORD, "de-DE")
    assert write_side.accounts.open_account(
        org.admin, "paul", "Paul", "person", PASSWORD, "en").version == 1


def test_a_new_account_takes_the_organizations_default_locale(new_org, write_side) -> None:
    france = new_org(region="fr")
    person = france.open("person")
    assert person.locale == "fr-FR"


@pytest.mark.parametrize("case", ["wrong password", "unknown org", "unknown login", "bad org code",
                                  "bad login"])
def test_authentication_refuses_wrong_credentials_without_saying_which(org, write_side, case) -> None:
    slug, login, password = org.slug, "admin", PASSWORD
    if case == "wrong password":
        password = "not-the-password"
    elif case == "unknown org":
        slug = f"nobody-{secrets.token_hex(4)}"
    elif case == "unknown login":
        login = "ghost"
    elif case == "bad org code":
        slug = "Not A Code"
    else:
        login = "a b"
    with pytest.raises(InvalidCredentials) as refused:
        write_side.accounts.authenticate(slug, login, password)
    assert str(refused.value) == "organization, login or password not accepted"


def test_the_right_password_in_another_organization_is_refused(new_org, write_side) -> None:
    first, second = new_org(), new_org()
    person = first.open("person")
    with pytest.raises(InvalidCredentials):
        write_side.accounts.authenticate(second.slug, person.login, PASSWORD)


def test_an_api_token_is_verified_as_its_account(org, accounts) -> None:
    practitioner = org.open("practitioner")
    issued = accounts.issue_token(practitioner, "Intégration DME", ttl_days=30)
    actor = accounts.verify_token(issued.token)
    assert (actor.user_id, actor.tenant_id, actor.role) == (
        practitioner.user_id, org.tenant_id, "practitioner")
    assert accounts.list_tokens(practitioner) == [{
        "id": issued.token_id, "name": "Intégration DME", "expires_at": issued.expires_at,
        "revoked": False}]


def test_a_revoked_api_token_is_refused(org, accounts) -> None:
    issued = accounts.issue_token(org.admin, "CI", ttl_days=30)
    other = accounts.issue_token(org.admin, "Backup", ttl_days=30)
    accounts.revoke_token(org.admin, issued.token_id)
    with pytest.raises(InvalidCredentials):
        accounts.verify_token(issued.token)
    assert accounts.verify_token(other.token).user_id == org.admin.user_id
    with pytest.raises(NotFound):
        accounts.revoke_token(org.admin, "no-such-token")


def test_an_api_token_is_refused_once_the_clock_reaches_its_expiry(org, accounts, clock) -> None:
    issued = accounts.issue_token(org.admin, "Rapport", ttl_days=7)
    assert issued.expires_at == clock.now + timedelta(days=7)
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert accounts.verify_token(issued.token).user_id == org.admin.user_id
    clock.advance(timedelta(seconds=1))
    with pytest.raises(InvalidCredentials):
        accounts.verify_token(issued.token)


def test_a_tampered_or_malformed_api_token_is_refused(new_org, accounts) -> None:
    first, second = new_org(), new_org()
    issued = accounts.issue_token(first.admin, "CI", ttl_days=30)
    prefix, tenant_hex, account_hex, token_id, secret = issued.token.split(".", 4)
    forged = [
        f"{prefix}.{tenant_hex}.{account_hex}.{token_id}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        f"{prefix}.{second.tenant_id.hex}.{account_hex}.{token_id}.{secret}",
        f"{prefix}.{tenant_hex}.{second.admin.user_id.hex}.{token_id}.{secret}",
        f"{prefix}.{tenant_hex}.{account_hex}.{'0' * 16}.{secret}",
        "bm.not-hex.x.y.z", "garbage", "",
    ]
    for token in forged:
        assert token != issued.token
        with pytest.raises(InvalidCredentials):
            accounts.verify_token(token)
