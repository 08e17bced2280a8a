"""Current consent built event by event equals current consent rebuilt from position 0."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.errors import DomainError
from infra.platform import all_projections, event_mapper
from infra.rebuild import rebuild
from services.actor import Actor

PASSWORD = "correct-horse-battery"
PROJECTIONS = [p for p in all_projections() if p.application == "Consent"]
TABS = ("quality_of_life", "social_network", "strengths", "plan")

index = st.integers(0, 7)
tabs = st.lists(st.sampled_from(TABS), min_size=1, max_size=4)
commands = st.lists(st.one_of(
    st.tuples(st.just("grant"), index, index, tabs, st.sampled_from(("read", "co_edit")),
              st.booleans()),
    st.tuples(st.just("revoke"), index),
    st.tuples(st.just("request"), index, tabs),
    st.tuples(st.just("accept"), index, st.booleans()),
    st.tuples(st.just("decline"), index),
    st.just(("catch_up",)),
), min_size=1, max_size=20)


def contents(conn: psycopg.Connection[Any], tenant_id: UUID) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(conn.execute(sql.SQL("SELECT * FROM {} WHERE tenant_id = %s").format(
        sql.Identifier(t)), [tenant_id]).fetchall(), key=repr)
        for p in PROJECTIONS for t in p.tables}


class Scenario:
    def __init__(self, side: Any) -> None:
        slug = f"consent-{secrets.token_hex(5)}"
        self.tenant_id = side.accounts.register_organization(slug, slug, "qc", "admin", "Admin",
                                                             PASSWORD).id
        admin = side.accounts.authenticate(slug, "admin", PASSWORD)

        def account(role: str, n: int) -> Actor:
            opened = side.accounts.open_account(admin, f"{role}-{n}", role, role, PASSWORD)
            return side.accounts.actor(self.tenant_id, opened.id)
        self.persons = [account("person", n) for n in range(2)]
        self.practitioners = [account("practitioner", n) for n in range(2)]
        self.consent = side.consent
        self.grants: list[tuple[Actor, UUID]] = []
        self.requests: list[tuple[Actor, UUID]] = []

    def run(self, command: tuple[Any, ...], catch_up: Any) -> None:
        kind, *args = command
        try:
            if kind == "catch_up":
                catch_up()
            elif kind == "grant":
                person, practitioner = self.persons[args[0] % 2], self.practitioners[args[1] % 2]
                until = datetime.now(UTC) + timedelta(days=1) if args[4] else None
                self.grants.append((person, self.consent.grant(
                    person, person.user_id, "practitioner", practitioner.user_id, args[2],
                    args[3], until).id))
            elif kind == "request":
                person, practitioner = self.persons[args[0] % 2], self.practitioners[args[0] % 2]
                self.requests.append((person, self.consent.request_access(
                    practitioner, person.user_id, args[1], "read", "Suivi").id))
            elif kind == "revoke" and self.grants:
                person, grant_id = self.grants[args[0] % len(self.grants)]
                self.consent.revoke(person, person.user_id, grant_id)
            elif kind in ("accept", "decline") and self.requests:
                person, request_id = self.requests[args[0] % len(self.requests)]
                if kind == "accept":
                    self.consent.accept_request(person, person.user_id, request_id)
                else:
                    self.consent.decline_request(person, person.user_id, request_id)
        except DomainError:
            pass  # revoked twice, answered twice: refused, nothing stored


@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(script=commands)
def test_consent_built_incrementally_equals_consent_rebuilt_from_zero(
        write_side, catch_up, projector_conn, script) -> None:  # type: ignore[no-untyped-def]
    scenario = Scenario(write_side)
    for command in [("grant", 0, 0, ["plan"], "read", False), *script]:
        scenario.run(command, catch_up)
    catch_up()
    incremental = contents(projector_conn, scenario.tenant_id)
    assert incremental["consent_grants"]
    for projection in PROJECTIONS:
        rebuild(projector_conn, [projection], event_mapper(), batch_size=7)
    assert contents(projector_conn, scenario.tenant_id) == incremental
