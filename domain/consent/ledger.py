"""The consent ledger of one person: every grant, revocation and request of access."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.consent.vocabulary import (
    LEGAL_BASIS_MAX,
    REASON_MAX,
    check_grantee_kind,
    check_instant,
    check_level,
    check_tabs,
    check_until,
)
from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound
from domain.text import check_text

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"


class ConsentLedger(Aggregate):
    """One per person (id derived from tenant and person). Only the person grants, revokes,
    accepts and declines; a practitioner may record consent the person gave in person
    (attributed to the practitioner, with its legal basis) and may request access."""

    @staticmethod
    def create_id(tenant_id: UUID, person_id: UUID, **_: object) -> UUID:
        return uuid5(tenant_id, f"consent:{person_id}")

    class Opened(Aggregate.Created):
        tenant_id: UUID
        person_id: UUID

    class AccessGranted(Aggregate.Event):
        person_id: UUID
        grant_id: UUID
        grantee_kind: str
        grantee_id: UUID
        tabs: list[str]
        level: str
        until: datetime | None
        legal_basis: str | None
        recorded_in_person: bool
        given_at: datetime
        author_id: UUID

    class AccessRevoked(Aggregate.Event):
        person_id: UUID
        grant_id: UUID
        author_id: UUID

    class AccessRequested(Aggregate.Event):
        person_id: UUID
        request_id: UUID
        practitioner_id: UUID
        tabs: list[str]
        level: str
        reason: str
        author_id: UUID

    class AccessRequestAccepted(Aggregate.Event):
        person_id: UUID
        request_id: UUID
        grant_id: UUID
        until: datetime | None
        author_id: UUID

    class AccessRequestDeclined(Aggregate.Event):
        person_id: UUID
        request_id: UUID
        author_id: UUID

    @classmethod
    def open(cls, tenant_id: UUID, person_id: UUID) -> ConsentLedger:
        return cls(tenant_id=tenant_id, person_id=person_id)

    @event(Opened)
    def __init__(self, tenant_id: UUID, person_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.person_id = person_id
        self.grants: dict[UUID, dict[str, Any]] = {}
        self.requests: dict[UUID, dict[str, Any]] = {}

    # Rules ---------------------------------------------------------------------------
    def check_is_the_person(self, author_id: UUID) -> None:
        if author_id != self.person_id:
            raise Forbidden("only the person decides who may reach their record")

    def check_grant_is_active(self, grant_id: UUID) -> None:
        if grant_id not in self.grants:
            raise NotFound("grant not found")
        if self.grants[grant_id]["revoked"]:
            raise InvalidState("this grant is already revoked")

    def check_request_is_pending(self, request_id: UUID) -> None:
        if request_id not in self.requests:
            raise NotFound("access request not found")
        if self.requests[request_id]["status"] != PENDING:
            raise InvalidState(f"this request is already {self.requests[request_id]['status']}")

    # Commands ------------------------------------------------------------------------
    def grant(self, grant_id: UUID, grantee_kind: str, grantee_id: UUID, tabs: list[str],
              level: str, until: datetime | None, author_id: UUID, now: datetime) -> None:
        """The person grants access through the platform."""
        self.check_is_the_person(author_id)
        kind, chosen, lvl = check_grantee_kind(grantee_kind), check_tabs(tabs), check_level(level)
        check_until(until, now)
        self._grant(self.person_id, grant_id, kind, grantee_id, chosen, lvl, until, None, False,
                    now, author_id)

    def record_given_in_person(self, grant_id: UUID, grantee_kind: str, grantee_id: UUID,
                               tabs: list[str], level: str, until: datetime | None,
                               legal_basis: str, given_at: datetime, author_id: UUID,
                               now: datetime) -> None:
        """A practitioner records consent the person gave at intake; the author is kept."""
        if author_id == self.person_id:
            raise InvalidValue("a person grants access directly, not as consent given in person")
        kind, chosen, lvl = check_grantee_kind(grantee_kind), check_tabs(tabs), check_level(level)
        basis = check_text(legal_basis, "legal basis", LEGAL_BASIS_MAX)
        check_instant(given_at, "given_at")
        if given_at > now:
            raise InvalidValue("given_at must not be in the future")
        check_until(until, now)
        self._grant(self.person_id, grant_id, kind, grantee_id, chosen, lvl, until, basis, True,
                    given_at, author_id)

    @event(AccessGranted)
    def _grant(self, person_id: UUID, grant_id: UUID, grantee_kind: str, grantee_id: UUID,
               tabs: list[str], level: str, until: datetime | None, legal_basis: str | None,
               recorded_in_person: bool, given_at: datetime, author_id: UUID) -> None:
        self.grants[grant_id] = {"grantee_kind": grantee_kind, "grantee_id": grantee_id,
                                 "tabs": list(tabs), "level": level, "until": until,
                                 "revoked": False}

    def revoke(self, grant_id: UUID, author_id: UUID) -> None:
        self.check_is_the_person(author_id)
        self.check_grant_is_active(grant_id)
        self._revoke(self.person_id, grant_id, author_id)

    @event(AccessRevoked)
    def _revoke(self, person_id: UUID, grant_id: UUID, author_id: UUID) -> None:
        self.grants[grant_id]["revoked"] = True

    def request(self, request_id: UUID, practitioner_id: UUID, tabs: list[str], level: str,
                reason: str) -> None:
        if practitioner_id == self.person_id:
            raise InvalidValue("a person does not request access to their own record")
        self._request(self.person_id, request_id, practitioner_id, check_tabs(tabs),
                      check_level(level), check_text(reason, "reason", REASON_MAX),
                      practitioner_id)

    @event(AccessRequested)
    def _request(self, person_id: UUID, request_id: UUID, practitioner_id: UUID,
                 tabs: list[str], level: str, reason: str, author_id: UUID) -> None:
        self.requests[request_id] = {"practitioner_id": practitioner_id, "tabs": list(tabs),
                                     "level": level, "status": PENDING}

    def accept(self, request_id: UUID, grant_id: UUID, until: datetime | None,
               author_id: UUID, now: datetime) -> None:
        """Accepting grants what was asked, to the practitioner who asked."""
        self.check_is_the_person(author_id)
        self.check_request_is_pending(request_id)
        check_until(until, now)
        asked = self.requests[request_id]
        self._accept(self.person_id, request_id, grant_id, until, author_id)
        self._grant(self.person_id, grant_id, "practitioner", asked["practitioner_id"],
                    asked["tabs"], asked["level"], until, None, False, now, author_id)

    @event(AccessRequestAccepted)
    def _accept(self, person_id: UUID, request_id: UUID, grant_id: UUID,
                until: datetime | None, author_id: UUID) -> None:
        self.requests[request_id]["status"] = ACCEPTED

    def decline(self, request_id: UUID, author_id: UUID) -> None:
        self.check_is_the_person(author_id)
        self.check_request_is_pending(request_id)
        self._decline(self.person_id, request_id, author_id)

    @event(AccessRequestDeclined)
    def _decline(self, person_id: UUID, request_id: UUID, author_id: UUID) -> None:
        self.requests[request_id]["status"] = DECLINED
