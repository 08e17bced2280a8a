"""Use cases of consent: the person grants, revokes, accepts or declines; a practitioner
records consent given in person or requests access. Every change is an event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID, uuid4

from domain.access.policy import check_role
from domain.accounts.team import Team
from domain.consent.ledger import ConsentLedger
from domain.consent.vocabulary import check_grantee_kind
from domain.errors import Forbidden, InvalidValue, NotFound
from services.accounts import Accounts
from services.actor import Actor
from services.base import BarometreApplication, Clock, CommandResult, FactoryBuilder, utc_now
from services.teams import Teams
from services.tenancy import tenant_scope


class Consent(BarometreApplication):
    """Commands answer with the id of the grant or request they concern (not the ledger's)."""

    name = "Consent"

    def __init__(self, build_factory: FactoryBuilder, accounts: Accounts, teams: Teams,
                 clock: Clock = utc_now) -> None:
        self.accounts = accounts
        self.teams = teams
        super().__init__(build_factory, clock)

    # Rules checked on the write side (strongly consistent) --------------------------------
    @staticmethod
    def check_is_the_person(actor: Actor, person_id: UUID) -> None:
        if actor.role != "person" or actor.user_id != person_id:
            raise Forbidden("only the person decides who may reach their record")

    def check_grantee(self, actor: Actor, person_id: UUID, kind: str, grantee_id: UUID) -> None:
        """A practitioner of the organization, a team of it, or a close person this person
        invited."""
        if check_grantee_kind(kind) == "team":
            try:
                with tenant_scope(actor.tenant_id):
                    self.teams.load(grantee_id, Team, "team")
            except NotFound:
                raise InvalidValue("no such team in this organization") from None
            return
        label = kind.replace("_", " ")
        try:
            account = self.accounts.account(actor.tenant_id, grantee_id)
        except NotFound:
            raise InvalidValue(f"no such {label} in this organization") from None
        if account.role != kind:
            raise InvalidValue(f"this account is not a {label}")
        if kind == "close_person" and account.invited_by != person_id:
            raise InvalidValue("this close person was not invited by the person")

    # Commands --------------------------------------------------------------------------
    def grant(self, actor: Actor, person_id: UUID, grantee_kind: str, grantee_id: UUID,
              tabs: list[str], level: str, until: datetime | None = None,
              expected_version: int | None = None) -> CommandResult:
        self.check_is_the_person(actor, person_id)
        self.check_grantee(actor, person_id, grantee_kind, grantee_id)
        grant_id = uuid4()
        return self._change(
            actor, person_id, expected_version, grant_id, lambda ledger: ledger.grant(
                grant_id, grantee_kind, grantee_id, tabs, level, until, actor.user_id,
                self.clock()))

    def record_given_in_person(self, actor: Actor, person_id: UUID, grantee_kind: str,
                               grantee_id: UUID, tabs: list[str], level: str,
                               legal_basis: str, given_at: datetime,
                               until: datetime | None = None,
                               expected_version: int | None = None) -> CommandResult:
        check_role(actor, "practitioner")
        self.accounts.check_person(actor.tenant_id, person_id)
        self.check_grantee(actor, person_id, grantee_kind, grantee_id)
        grant_id = uuid4()
        return self._change(
            actor, person_id, expected_version, grant_id,
            lambda ledger: ledger.record_given_in_person(
                grant_id, grantee_kind, grantee_id, tabs, level, until, legal_basis, given_at,
                actor.user_id, self.clock()))

    def revoke(self, actor: Actor, person_id: UUID, grant_id: UUID,
               expected_version: int | None = None) -> CommandResult:
        self.check_is_the_person(actor, person_id)
        return self._change(actor, person_id, expected_version, grant_id,
                            lambda ledger: ledger.revoke(grant_id, actor.user_id), create=False)

    def request_access(self, actor: Actor, person_id: UUID, tabs: list[str], level: str,
                       reason: str, expected_version: int | None = None) -> CommandResult:
        check_role(actor, "practitioner")
        self.accounts.check_person(actor.tenant_id, person_id)
        request_id = uuid4()
        return self._change(actor, person_id, expected_version, request_id,
                            lambda ledger: ledger.request(request_id, actor.user_id, tabs, level,
                                                          reason))

    def accept_request(self, actor: Actor, person_id: UUID, request_id: UUID,
                       until: datetime | None = None,
                       expected_version: int | None = None) -> CommandResult:
        """Answers with the id of the new grant."""
        self.check_is_the_person(actor, person_id)
        grant_id = uuid4()
        return self._change(actor, person_id, expected_version, grant_id,
                            lambda ledger: ledger.accept(request_id, grant_id, until,
                                                         actor.user_id, self.clock()),
                            create=False, missing="access request not found")

    def decline_request(self, actor: Actor, person_id: UUID, request_id: UUID,
                        expected_version: int | None = None) -> CommandResult:
        self.check_is_the_person(actor, person_id)
        return self._change(actor, person_id, expected_version, request_id,
                            lambda ledger: ledger.decline(request_id, actor.user_id),
                            create=False, missing="access request not found")

    # Plumbing ---------------------------------------------------------------------------
    def _change(self, actor: Actor, person_id: UUID, expected_version: int | None,
                subject_id: UUID, change: Callable[[ConsentLedger], None], create: bool = True,
                missing: str = "grant not found") -> CommandResult:
        with tenant_scope(actor.tenant_id):
            ledger_id = ConsentLedger.create_id(actor.tenant_id, person_id)
            try:
                ledger = self.load(ledger_id, ConsentLedger, "consent ledger")
            except NotFound:
                if not create:
                    raise NotFound(missing) from None
                ledger = ConsentLedger.open(actor.tenant_id, person_id)
            self.check_version(ledger, expected_version)
            change(ledger)
            return self.commit(ledger, answer_id=subject_id)
