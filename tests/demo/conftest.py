"""The demo seeded as `barometre up` seeds it, in a database of its own (its year of events
would otherwise weigh on every other test of the session), then projected."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
import pytest

from domain.accounts.organization import Organization
from infra.database.migrate import drop_database
from infra.demo import DemoLogin, seed_demo
from infra.platform import Servers, all_projections, event_mapper, locate_servers, prepare_database
from infra.projector import ProjectionRunner
from infra.settings import get_settings


@dataclass
class Demo:
    servers: Servers
    conn: psycopg.Connection[Any]  # as the projector role: every tenant's rows
    logins: list[DemoLogin]

    def catch_up(self) -> int:
        runners = [ProjectionRunner(p, event_mapper()) for p in all_projections()]
        return sum(r.catch_up(self.conn) for r in runners)

    def account(self, slug: str, login: str) -> tuple[UUID, UUID]:
        """(tenant id, account id) of a demo login, from the projected directory."""
        tenant_id = Organization.create_id(slug)
        row = self.conn.execute("SELECT account_id FROM account_directory WHERE tenant_id = %s"
                                " AND login = %s", [tenant_id, login]).fetchone()
        assert row is not None, f"{login} is not in {slug}"
        return tenant_id, row[0]

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    dbname = f"barometre_test_demo_{secrets.token_hex(4)}"
    servers = locate_servers(get_settings(), dbname=dbname)
    prepare_database(servers)
    try:
        logins = seed_demo(servers)
        with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
            found = Demo(servers, conn, logins)
            found.catch_up()
            yield found
    finally:
        drop_database(servers.admin, dbname)
