"""Use cases of organizations and accounts: register, open accounts, log in, passwords,
two-step login (TOTP), API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from domain.accounts.account import STAFF_CREATABLE, Account, LoginName, normalise_login
from domain.accounts.organization import Organization, check_locale, check_slug
from domain.catalog import DEFAULT_CATALOG_VERSION
from domain.errors import AlreadyExists, DomainError, Forbidden, InvalidValue, NotFound
from services.actor import Actor
from services.base import BarometreApplication, CommandResult
from services.login_security import SecretRejected, new_totp_secret, totp_matches, totp_uri
from services.passwords import hash_password, verify_password
from services.tenancy import tenant_scope


class InvalidCredentials(DomainError):
    """Login, password or token not accepted; deliberately says no more."""

    code = "invalid-credentials"


class TotpCodeNeeded(InvalidCredentials):
    """The password was right, but two-step login is on and no code came with it."""


@dataclass(frozen=True)
class OrganizationView:
    id: UUID
    slug: str
    name: str
    region: str
    default_locale: str
    catalog_version: str


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    uri: str


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: str
    expires_at: datetime


class Accounts(BarometreApplication):
    name = "Accounts"

    # Organizations -----------------------------------------------------------
    def register_organization(self, slug: str, name: str, region: str, admin_login: str,
                              admin_name: str, admin_password: str,
                              catalog_version: str = DEFAULT_CATALOG_VERSION) -> CommandResult:
        """Platform operator: a new tenant and its first admin, in one transaction."""
        organization = Organization.register(slug, name, region, catalog_version)
        tenant_id = organization.id
        with tenant_scope(tenant_id):
            account, index = self._new_account(tenant_id, admin_login, admin_name, "org_admin",
                                               admin_password, organization.default_locale)
            try:
                return self.commit(organization, account, index)
            except IntegrityError:
                raise AlreadyExists(f"an organization with the code {slug!r} exists") from None

    def organization(self, tenant_id: UUID) -> OrganizationView:
        with tenant_scope(tenant_id):
            org = self.load(tenant_id, Organization, "organization")
        return OrganizationView(org.id, org.slug, org.name, org.region, org.default_locale,
                                org.catalog_version)

    def tenant_of(self, slug: str) -> UUID:
        check_slug(slug)
        return Organization.create_id(slug)

    # Accounts ------------------------------------------------------------------
    def _new_account(self, tenant_id: UUID, login: str, display_name: str, role: str,
                     password: str, locale: str,
                     invited_by: UUID | None = None) -> tuple[Account, LoginName]:
        login = normalise_login(login)
        account = Account.open(uuid4(), tenant_id, login, display_name, role,
                               hash_password(password, login), locale, invited_by)
        return account, LoginName(tenant_id=tenant_id, login=login, account_id=account.id)

    def open_account(self, actor: Actor, login: str, display_name: str, role: str,
                     password: str, locale: str | None = None) -> CommandResult:
        """Org admin: any account of their organization; a person: their close persons."""
        if role not in STAFF_CREATABLE.get(actor.role, ()):
            raise Forbidden(f"the role {actor.role} may not create {role} accounts")
        invited_by = actor.user_id if actor.role == "person" else None
        with tenant_scope(actor.tenant_id):
            org = self.load(actor.tenant_id, Organization, "organization")
            if locale is not None:
                check_locale(locale)
            account, index = self._new_account(actor.tenant_id, login, display_name, role,
                                               password, locale or org.default_locale,
                                               invited_by)
            try:
                return self.commit(account, index)
            except IntegrityError:
                raise AlreadyExists(f"the login {account.login!r} is taken") from None

    def account(self, tenant_id: UUID, account_id: UUID) -> Account:
        with tenant_scope(tenant_id):
            return self.load(account_id, Account, "account")

    def actor(self, tenant_id: UUID, account_id: UUID) -> Actor:
        account = self.account(tenant_id, account_id)
        return Actor(account.id, tenant_id, account.role, account.display_name, account.locale)

    def check_person(self, tenant_id: UUID, person_id: UUID) -> None:
        """A person served of this tenant (write-side check, strongly consistent)."""
        try:
            account = self.account(tenant_id, person_id)
        except NotFound:
            raise NotFound("person not found") from None
        if account.role != "person":
            raise NotFound("person not found")

    def authenticate(self, slug: str, login: str, password: str,
                     totp_code: str | None = None) -> Actor:
        try:
            tenant_id = self.tenant_of(slug)
            login = normalise_login(login)
            with tenant_scope(tenant_id):
                index = self.load(LoginName.create_id(tenant_id, login), LoginName, "login")
                account = self.load(index.account_id, Account, "account")
        except DomainError:
            verify_password(None, password)
            raise InvalidCredentials("organization, login or password not accepted") from None
        if not account.active or not verify_password(account.password_hash, password):
            raise InvalidCredentials("organization, login or password not accepted")
        if account.totp_secret is not None:
            if totp_code is None:
                raise TotpCodeNeeded("two-step login is on: send totp_code, the code of your "
                                     "authenticator app")
            if not totp_matches(account.totp_secret, totp_code, self.clock()):
                raise InvalidCredentials("the code of your authenticator app was not accepted")
        return Actor(account.id, tenant_id, account.role, account.display_name, account.locale)

    def change_password(self, actor: Actor, current: str, new: str) -> CommandResult:
        with tenant_scope(actor.tenant_id):
            account = self.load(actor.user_id, Account, "account")
            account.check_active()
            if not verify_password(account.password_hash, current):
                raise SecretRejected("the current password is not correct")
            if verify_password(account.password_hash, new):
                raise InvalidValue("the new password must differ from the current one")
            account.change_password(hash_password(new, account.login))
            return self.commit(account)

    # Two-step login (TOTP) --------------------------------------------------------
    def start_totp_enrolment(self, actor: Actor) -> TotpEnrolment:
        """A new secret, pending until a code from it is confirmed; staff roles only."""
        secret = new_totp_secret()
        with tenant_scope(actor.tenant_id):
            account = self.load(actor.user_id, Account, "account")
            account.start_totp_enrolment(secret)
            org = self.load(actor.tenant_id, Organization, "organization")
            self.commit(account)
        return TotpEnrolment(secret, totp_uri(secret, account.login, org.slug))

    def confirm_totp(self, actor: Actor, code: str) -> CommandResult:
        with tenant_scope(actor.tenant_id):
            account = self.load(actor.user_id, Account, "account")
            pending = account.totp_pending
            if pending is not None and not totp_matches(pending, code, self.clock()):
                raise SecretRejected("the code does not match the secret being enrolled")
            account.enable_totp()
            return self.commit(account)

    def disable_totp(self, actor: Actor, code: str) -> CommandResult:
        with tenant_scope(actor.tenant_id):
            account = self.load(actor.user_id, Account, "account")
            secret = account.totp_secret
            if secret is not None and not totp_matches(secret, code, self.clock()):
                raise SecretRejected("the code of your authenticator app was not accepted")
            account.disable_totp()
            return self.commit(account)

    # API tokens -------------------------------------------------------------------
    def issue_token(self, actor: Actor, name: str, ttl_days: int) -> IssuedToken:
        secret = secrets.token_urlsafe(32)
        token_id = secrets.token_hex(8)
        expires_at = self.clock() + timedelta(days=ttl_days)
        with tenant_scope(actor.tenant_id):
            account = self.load(actor.user_id, Account, "account")
            account.issue_token(token_id, _digest(secret), name, expires_at)
            self.commit(account)
        token = f"bm.{actor.tenant_id.hex}.{actor.user_id.hex}.{token_id}.{secret}"
        return IssuedToken(token, token_id, expires_at)

    def revoke_token(self, actor: Actor, token_id: str) -> CommandResult:
        with tenant_scope(actor.tenant_id):
            account = self.load(actor.user_id, Account, "account")
            account.revoke_token(token_id)
            return self.commit(account)

    def list_tokens(self, actor: Actor) -> list[dict[str, object]]:
        account = self.account(actor.tenant_id, actor.user_id)
        return [{"id": tid, "name": t["name"], "expires_at": t["expires_at"], "revoked": t["revoked"]}
                for tid, t in account.tokens.items()]

    def verify_token(self, token: str) -> Actor:
        try:
            _, tenant_hex, account_hex, token_id, secret = token.split(".", 4)
            tenant_id, account_id = UUID(hex=tenant_hex), UUID(hex=account_hex)
            account = self.account(tenant_id, account_id)
        except (ValueError, DomainError):
            raise InvalidCredentials("API token not accepted") from None
        entry = account.tokens.get(token_id)
        if (entry is None or entry["revoked"] or not account.active
                or not hmac.compare_digest(str(entry["hash"]), _digest(secret))):
            raise InvalidCredentials("API token not accepted")
        expires_at = entry["expires_at"]
        if isinstance(expires_at, datetime) and expires_at <= self.clock():
            raise InvalidCredentials("API token expired")
        return Actor(account.id, tenant_id, account.role, account.display_name, account.locale)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
