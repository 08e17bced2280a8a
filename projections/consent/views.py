"""Current consent: one row per grant and tab (revoked ones kept), and access requests."""

from __future__ import annotations

from typing import Any

from domain.consent.ledger import ACCEPTED, DECLINED, PENDING, ConsentLedger
from projections.applied_versions import RecordsAppliedVersions, applied_versions
from projections.framework import Context, Projection, handles


class ConsentGrants(RecordsAppliedVersions):
    name = "consent_grants"
    application = "Consent"
    tables = ("consent_grants", "applied_consent_versions")
    versioned = ConsentLedger.Event
    versions = applied_versions("applied_consent_versions", "person_id",
                                (("ledger_id", "uuid"),), stream_column="ledger_id")

    def version_row(self, ctx: Context, event: Any) -> tuple[Any, ...]:
        """A ledger is found by its person: every ledger event names them."""
        return (ctx.tenant_id, event.person_id, event.originator_id, event.originator_version)

    @handles(ConsentLedger.AccessGranted)
    def on_granted(self, ctx: Context, e: ConsentLedger.AccessGranted) -> None:
        ctx.cur.executemany(
            "INSERT INTO consent_grants (tenant_id, grant_id, tab, person_id, grantee_kind,"
            " grantee_id, level, until, legal_basis, recorded_in_person, given_at, granted_by,"
            " granted_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [(ctx.tenant_id, e.grant_id, tab, e.person_id, e.grantee_kind, e.grantee_id, e.level,
              e.until, e.legal_basis, e.recorded_in_person, e.given_at, e.author_id, e.timestamp)
             for tab in e.tabs])

    @handles(ConsentLedger.AccessRevoked)
    def on_revoked(self, ctx: Context, e: ConsentLedger.AccessRevoked) -> None:
        ctx.cur.execute(
            "UPDATE consent_grants SET revoked_at = %s, revoked_by = %s"
            " WHERE tenant_id = %s AND grant_id = %s",
            [e.timestamp, e.author_id, ctx.tenant_id, e.grant_id])


class ConsentRequests(Projection):
    name = "consent_requests"
    application = "Consent"
    tables = ("consent_requests",)

    @handles(ConsentLedger.AccessRequested)
    def on_requested(self, ctx: Context, e: ConsentLedger.AccessRequested) -> None:
        ctx.cur.execute(
            "INSERT INTO consent_requests (tenant_id, request_id, person_id, practitioner_id,"
            " tabs, level, reason, requested_at, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
            " %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.request_id, e.person_id, e.practitioner_id, list(e.tabs), e.level,
             e.reason, e.timestamp, PENDING])

    @handles(ConsentLedger.AccessRequestAccepted)
    def on_accepted(self, ctx: Context, e: ConsentLedger.AccessRequestAccepted) -> None:
        ctx.cur.execute(
            "UPDATE consent_requests SET status = %s, answered_at = %s, grant_id = %s, until = %s"
            " WHERE tenant_id = %s AND request_id = %s",
            [ACCEPTED, e.timestamp, e.grant_id, e.until, ctx.tenant_id, e.request_id])

    @handles(ConsentLedger.AccessRequestDeclined)
    def on_declined(self, ctx: Context, e: ConsentLedger.AccessRequestDeclined) -> None:
        ctx.cur.execute(
            "UPDATE consent_requests SET status = %s, answered_at = %s"
            " WHERE tenant_id = %s AND request_id = %s",
            [DECLINED, e.timestamp, ctx.tenant_id, e.request_id])


PROJECTIONS = (ConsentGrants, ConsentRequests)
