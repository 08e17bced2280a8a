"""An account: anyone who logs in — a person served, a practitioner, a close person,
a team manager, an organization admin or an auditor."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.accounts.organization import check_locale
from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound
from domain.text import check_characters, check_text

ROLES = ("person", "practitioner", "close_person", "team_manager", "org_admin", "auditor")
# Who may open which accounts: the admin any; a person invites their close persons.
STAFF_CREATABLE = {"org_admin": ROLES, "person": ("close_person",)}
# Staff may protect their login with a TOTP second factor; persons and close persons may not.
TOTP_ROLES = ("practitioner", "team_manager", "org_admin", "auditor")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidValue(f"role must be one of {', '.join(ROLES)} (got {role!r})")


def normalise_login(login: str) -> str:
    login = check_characters(login, "login").strip().lower()
    if not 3 <= len(login) <= 120 or any(c.isspace() for c in login):
        raise InvalidValue("login: 3 to 120 characters, no spaces")
    return login


class Account(Aggregate):
    """Its id is chosen by the service; the login is made unique by a LoginName index."""

    id: UUID  # given by the service (an annotation the library reads to accept `id=`)

    class Opened(Aggregate.Created):
        tenant_id: UUID
        login: str
        display_name: str
        role: str
        password_hash: str
        locale: str
        invited_by: UUID | None

    class PasswordChanged(Aggregate.Event):
        password_hash: str

    class ApiTokenIssued(Aggregate.Event):
        token_id: str
        token_hash: str
        name: str
        expires_at: datetime

    class ApiTokenRevoked(Aggregate.Event):
        token_id: str

    class TotpEnrolmentStarted(Aggregate.Event):
        secret: str  # personal data: kept in clear until per-person encryption (ADR 0009)

    class TotpEnabled(Aggregate.Event):
        pass

    class TotpDisabled(Aggregate.Event):
        pass

    @classmethod
    def open(cls, account_id: UUID, tenant_id: UUID, login: str, display_name: str,
             role: str, password_hash: str, locale: str,
             invited_by: UUID | None = None) -> Account:
        check_role(role)
        check_locale(locale)
        return cls(  # type: ignore[call-arg]  # `id` is read by the library, not __init__
                   id=account_id, tenant_id=tenant_id, login=normalise_login(login),
                   display_name=check_text(display_name, "display name", 120), role=role,
                   password_hash=password_hash, locale=locale, invited_by=invited_by)

    @event(Opened)
    def __init__(self, tenant_id: UUID, login: str, display_name: str, role: str,
                 password_hash: str, locale: str, invited_by: UUID | None = None) -> None:
        self.tenant_id = tenant_id
        self.login = login
        self.display_name = display_name
        self.role = role
        self.password_hash = password_hash
        self.locale = locale
        self.invited_by = invited_by  # the person who invited this close person
        self.tokens: dict[str, dict[str, object]] = {}
        self.active = True
        self.totp_pending: str | None = None  # a secret shown to the user, not yet confirmed
        self.totp_secret: str | None = None  # set once confirmed: login then needs a code

    @event(PasswordChanged)
    def change_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def issue_token(self, token_id: str, token_hash: str, name: str, expires_at: datetime) -> None:
        self.check_active()
        self._issue_token(token_id, token_hash, check_text(name, "token name", 80), expires_at)

    @event(ApiTokenIssued)
    def _issue_token(self, token_id: str, token_hash: str, name: str, expires_at: datetime) -> None:
        self.tokens[token_id] = {"hash": token_hash, "name": name, "expires_at": expires_at,
                                 "revoked": False}

    def revoke_token(self, token_id: str) -> None:
        if token_id not in self.tokens:
            raise NotFound("no such API token")
        if not self.tokens[token_id]["revoked"]:
            self._revoke_token(token_id)

    @event(ApiTokenRevoked)
    def _revoke_token(self, token_id: str) -> None:
        self.tokens[token_id]["revoked"] = True

    def start_totp_enrolment(self, secret: str) -> None:
        self.check_active()
        self.check_may_use_totp()
        if self.totp_secret is not None:
            raise InvalidState("two-step login is already on; turn it off before enrolling again")
        self._start_totp_enrolment(secret)

    @event(TotpEnrolmentStarted)
    def _start_totp_enrolment(self, secret: str) -> None:
        self.totp_pending = secret

    def enable_totp(self) -> None:
        if self.totp_pending is None:
            raise InvalidState("start the enrolment first (POST /auth/totp)")
        self._enable_totp()

    @event(TotpEnabled)
    def _enable_totp(self) -> None:
        self.totp_secret, self.totp_pending = self.totp_pending, None

    def disable_totp(self) -> None:
        if self.totp_secret is None:
            raise InvalidState("two-step login is not on")
        self._disable_totp()

    @event(TotpDisabled)
    def _disable_totp(self) -> None:
        self.totp_secret = None

    def check_may_use_totp(self) -> None:
        if self.role not in TOTP_ROLES:
            raise Forbidden(f"two-step login is for {', '.join(TOTP_ROLES)} accounts")

    def check_active(self) -> None:
        if not self.active:
            raise InvalidState("this account is deactivated")


class LoginName(Aggregate):
    """Index aggregate: one per login in a tenant, so two accounts cannot share a login."""

    @staticmethod
    def create_id(tenant_id: UUID, login: str, **_: object) -> UUID:
        return uuid5(tenant_id, f"login:{login}")

    class Claimed(Aggregate.Created):
        tenant_id: UUID
        login: str
        account_id: UUID

    @event(Claimed)
    def __init__(self, tenant_id: UUID, login: str, account_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.login = login
        self.account_id = account_id
