"""Organizations and accounts on the aggregates alone: logins, roles, locales, API tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.accounts.account import ROLES, Account, LoginName, check_role, normalise_login
from domain.accounts.organization import ORGANIZATION_NAMESPACE, Organization
from domain.catalog import DEFAULT_CATALOG_VERSION
from domain.errors import InvalidValue, NotFound

EXPIRES = datetime(2030, 1, 1, tzinfo=UTC)


def new_account(**overrides: object) -> Account:
    fields: dict[str, object] = {
        "account_id": uuid4(), "tenant_id": uuid4(), "login": "alice",
        "display_name": "Alice", "role": "person", "password_hash": "hash", "locale": "fr-CA",
    }
    fields.update(overrides)
    return Account.open(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "normal"), [
    ("Alice", "alice"), ("  BOB.Tremblay@Example.ORG ", "bob.tremblay@example.org"),
    ("abc", "abc"), ("x" * 120, "x" * 120),
])
def test_a_login_is_trimmed_and_lowercased(raw: str, normal: str) -> None:
    assert normalise_login(raw) == normal


@pytest.mark.parametrize("raw", ["", "ab", "  ab  ", "x" * 121, "jean tremblay", "a\tb\tc"])
def test_a_login_too_short_too_long_or_with_spaces_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_login(raw)


def test_an_account_keeps_the_normalised_login_and_trimmed_name() -> None:
    account = new_account(login="  Alice.T ", display_name="  Alice T.  ")
    (opened,) = account.collect_events()
    assert isinstance(opened, Account.Opened)
    assert (account.login, account.display_name, opened.login) == ("alice.t", "Alice T.", "alice.t")
    assert account.active and account.tokens == {}


@pytest.mark.parametrize("role", ["admin", "Person", "", "platform_operator"])
def test_an_unknown_role_is_refused(role: str) -> None:
    with pytest.raises(InvalidValue):
        check_role(role)
    with pytest.raises(InvalidValue):
        new_account(role=role)


@pytest.mark.parametrize("role", ROLES)
def test_each_known_role_opens_an_account(role: str) -> None:
    assert new_account(role=role).role == role


@pytest.mark.parametrize("locale", ["fr", "en-US", "de-DE", ""])
def test_an_unknown_locale_is_refused(locale: str) -> None:
    with pytest.raises(InvalidValue):
        new_account(locale=locale)


def test_an_empty_display_name_is_refused() -> None:
    with pytest.raises(InvalidValue):
        new_account(display_name="   ")


def test_issuing_a_token_records_one_event_and_keeps_only_its_hash() -> None:
    account = new_account()
    account.collect_events()
    account.issue_token("t1", "digest", "  Intégration  ", EXPIRES)
    (issued,) = account.collect_events()
    assert isinstance(issued, Account.ApiTokenIssued)
    assert account.tokens == {"t1": {"hash": "digest", "name": "Intégration",
                                     "expires_at": EXPIRES, "revoked": False}}


def test_a_token_without_a_name_is_refused() -> None:
    account = new_account()
    account.collect_events()
    with pytest.raises(InvalidValue):
        account.issue_token("t1", "digest", " ", EXPIRES)
    assert account.collect_events() == [] and account.tokens == {}


def test_revoking_a_token_once_records_one_event_and_again_records_nothing() -> None:
    account = new_account()
    account.issue_token("t1", "digest", "CI", EXPIRES)
    account.collect_events()
    account.revoke_token("t1")
    (revoked,) = account.collect_events()
    assert isinstance(revoked, Account.ApiTokenRevoked)
    assert account.tokens["t1"]["revoked"] is True
    account.revoke_token("t1")
    assert account.collect_events() == []


def test_revoking_an_unknown_token_is_not_found() -> None:
    account = new_account()
    with pytest.raises(NotFound):
        account.revoke_token("nope")


def test_a_login_name_index_id_is_derived_from_tenant_and_login() -> None:
    tenant, other = uuid4(), uuid4()
    index = LoginName(tenant_id=tenant, login="alice", account_id=uuid4())
    assert index.id == LoginName.create_id(tenant, "alice")
    assert index.id != LoginName.create_id(tenant, "bob")
    assert index.id != LoginName.create_id(other, "alice")


def register(slug: str = "cisss-laval", region: str = "qc",
             version: str = DEFAULT_CATALOG_VERSION, name: str = "CISSS de Laval") -> Organization:
    return Organization.register(slug, name, region, version)


def test_an_organizations_id_is_derived_from_its_code() -> None:
    first, again, other = register("acme"), register("acme"), register("acme-2")
    assert first.id == again.id == Organization.create_id("acme")
    assert other.id != first.id
    assert first.id.version == 5 and Organization.create_id("acme") != ORGANIZATION_NAMESPACE


@pytest.mark.parametrize(("region", "locale"), [("qc", "fr-CA"), ("fr", "fr-FR")])
def test_an_organization_takes_the_default_locale_of_its_region(region: str, locale: str) -> None:
    organization = register(region=region, name="  Organisme  ")
    assert (organization.default_locale, organization.name) == (locale, "Organisme")
    assert organization.catalog_version == DEFAULT_CATALOG_VERSION


@pytest.mark.parametrize("slug", ["", "Acme", "acme_2", "-acme", "acme-", "a" * 41, "acmé", "a b"])
def test_a_bad_organization_code_is_refused(slug: str) -> None:
    with pytest.raises(InvalidValue):
        register(slug=slug)


@pytest.mark.parametrize("region", ["", "us", "QC", "ca"])
def test_an_unknown_region_is_refused(region: str) -> None:
    with pytest.raises(InvalidValue):
        register(region=region)


@pytest.mark.parametrize("version", ["", "1999.1", "2026"])
def test_an_unknown_catalog_version_is_refused(version: str) -> None:
    with pytest.raises(InvalidValue):
        register(version=version)
    organization = register()
    organization.collect_events()
    with pytest.raises(InvalidValue):
        organization.pin_catalog(version)
    assert organization.collect_events() == []


def test_an_empty_organization_name_is_refused() -> None:
    with pytest.raises(InvalidValue):
        register(name="  ")
