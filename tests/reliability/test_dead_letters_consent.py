"""A parked consent event keeps the person's record closed to others (ADR 32); once the
operator skips it, the record opens again as the consent that was projected says."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.utils import get_topic

from domain.consent.ledger import ConsentLedger
from infra.cli import main
from infra.dead_letters import parked
from infra.platform import Servers, WriteSide, all_projections, event_mapper
from infra.projector import application_runners
from tests.reliability.test_dead_letters import open_org


def _catch_up(servers: Servers) -> None:
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
        for runner in application_runners(all_projections(), event_mapper()):
            runner.catch_up(conn)


def _current(admin: psycopg.Connection[Any], tenant: UUID, actor: UUID, person: UUID) -> bool:
    row = admin.execute("SELECT access_inputs_current(%s, %s, %s)",
                        [tenant, actor, person]).fetchone()
    assert row is not None
    return bool(row[0])


def test_a_skipped_consent_event_no_longer_holds_the_record_closed(
        own: tuple[Servers, WriteSide]) -> None:
    servers, side = own
    org = open_org(side)
    person, practitioner = org.open("person"), org.open("practitioner")
    side.consent.grant(person, person.user_id, "practitioner", practitioner.user_id, ["plan"],
                       "read")
    _catch_up(servers)
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        assert _current(admin, org.tenant_id, practitioner.user_id, person.user_id)
        ledger, version = admin.execute(
            "SELECT originator_id, max(originator_version) FROM consent_events"
            " WHERE tenant_id = %s GROUP BY originator_id", [org.tenant_id]).fetchone() or (None, 0)
        admin.execute("SELECT * FROM barometre_insert_into_consent_events(%s, %s, %s, %s, %s)",
                      [org.tenant_id, [ledger], [version + 1],
                       [get_topic(ConsentLedger.AccessRevoked)], [b"\xff not an event"]])
        _catch_up(servers)
        assert [d.originator_id for d in parked(admin, ledger)]
        assert not _current(admin, org.tenant_id, practitioner.user_id, person.user_id)

        assert main(["dead-letters", "skip", str(ledger), "--reason", "lost in a restore",
                     "--by", "ops"]) == 0
        assert parked(admin) == []
        assert _current(admin, org.tenant_id, practitioner.user_id, person.user_id)
