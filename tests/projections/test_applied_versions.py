"""The views the consent guard reads record the version of every stream they applied (ADR 32),
handled events or not, and migration 024 fills the same rows for views built before it."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import psycopg

from infra.database.params import OWNER_ROLE
from infra.platform import Servers
from tests.conftest import Org

TABLES = ("applied_account_versions", "applied_team_versions", "applied_consent_versions")


def _rows(conn: psycopg.Connection[Any], org: Org) -> dict[str, set[tuple[Any, ...]]]:
    return {t: set(conn.execute(f"SELECT * FROM {t} WHERE tenant_id = %s",
                                [org.tenant_id]).fetchall()) for t in TABLES}


def _latest(conn: psycopg.Connection[Any], table: str, org: Org, stream: Any) -> int:
    row = conn.execute(f"SELECT max(originator_version) FROM {table}"
                       " WHERE tenant_id = %s AND originator_id = %s",
                       [org.tenant_id, stream]).fetchone()
    assert row is not None
    return int(row[0])


def _backfill() -> str:
    """The DO block of migration 024 that fills the rows from the events and tracking."""
    text = files("infra.database").joinpath("migrations/024_access_inputs_current.sql")
    found = re.search(r"^DO \$\$.*?^END \$\$;", text.read_text(encoding="utf-8"),
                      re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.group(0)


def test_views_record_each_streams_latest_version_and_the_migration_finds_the_same(
        org: Org, servers: Servers, catch_up: Callable[[], int]) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    side = org.side
    side.accounts.issue_token(person, "phone", 1)  # an event no view handles
    team = side.teams.create_team(org.admin, "Équipe").id
    side.teams.add_practitioner(org.admin, team, practitioner.user_id)
    side.teams.remove_practitioner(org.admin, team, practitioner.user_id)
    given = side.consent.grant(person, person.user_id, "practitioner", practitioner.user_id,
                               ["plan"], "read", None)
    side.consent.revoke(person, person.user_id, given.id)
    catch_up()
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as conn:
        recorded = _rows(conn, org)
        accounts = {(a, v) for _, a, v in recorded["applied_account_versions"]}
        assert (person.user_id, _latest(conn, "accounts_events", org, person.user_id)) in accounts
        assert (practitioner.user_id, 1) in accounts
        assert {(t, v) for _, t, v in recorded["applied_team_versions"]} == {(team, 3)}
        ledger_row = next(iter(recorded["applied_consent_versions"]))
        assert ledger_row[1] == person.user_id
        assert ledger_row[3] == _latest(conn, "consent_events", org, ledger_row[2]) >= 3
        for table in TABLES:
            conn.execute(f"DELETE FROM {table} WHERE tenant_id = %s",
                         [org.tenant_id])
        with conn.transaction():
            conn.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
            conn.execute(_backfill())  # type: ignore[call-overload]
        assert _rows(conn, org) == recorded
