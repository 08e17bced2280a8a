"""Fixtures on real PostgreSQL and Redis: the URLs in the environment, embedded ones otherwise.

Each test session gets its own database, so sessions can run side by side; each test
gets its own organization (tenant), so tests do not see each other's data."""

from __future__ import annotations

import os

# Before the services are imported: the same argon2id, with the cheapest parameters.
os.environ.setdefault("BAROMETRE_PASSWORD_HASHING", "fast")
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from infra.database.migrate import drop_database
from infra.platform import (
    Servers,
    WriteSide,
    all_projections,
    event_mapper,
    locate_servers,
    prepare_database,
)
from infra.projector import ProjectionRunner
from infra.settings import get_settings
from services.actor import Actor

PASSWORD = "correct-horse-battery"
os.environ.setdefault("BAROMETRE_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    dbname = f"barometre_test_{secrets.token_hex(4)}"
    found = locate_servers(get_settings(), dbname=dbname)
    prepare_database(found)
    yield found
    drop_database(found.admin, dbname)


@pytest.fixture(scope="session")
def write_side(servers: Servers) -> Iterator[WriteSide]:
    side = WriteSide(servers, pool_size=8)
    yield side
    side.close()


@pytest.fixture(scope="session")
def projector_conn(servers: Servers) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def catch_up(projector_conn: psycopg.Connection[Any]) -> Callable[[], int]:
    """Runs every projection up to the end of the log, in this thread (no projector process)."""
    runners = [ProjectionRunner(p, event_mapper()) for p in all_projections()]

    def run() -> int:
        return sum(r.catch_up(projector_conn) for r in runners)
    return run


@dataclass
class Org:
    tenant_id: UUID
    slug: str
    admin: Actor
    side: WriteSide

    def open(self, role: str, name: str | None = None) -> Actor:
        login = f"{role}-{secrets.token_hex(3)}"
        result = self.side.accounts.open_account(self.admin, login, name or login, role, PASSWORD)
        actor = self.side.accounts.actor(self.tenant_id, result.id)
        object.__setattr__(actor, "login", login)
        return actor


@pytest.fixture
def new_org(write_side: WriteSide) -> Callable[..., Org]:
    def make(region: str = "qc") -> Org:
        slug = f"org-{secrets.token_hex(4)}"
        result = write_side.accounts.register_organization(
            slug, f"Organisme {slug}", region, "admin", "Admin", PASSWORD)
        admin = write_side.accounts.authenticate(slug, "admin", PASSWORD)
        return Org(result.id, slug, admin, write_side)
    return make


@pytest.fixture
def org(new_org: Callable[..., Org]) -> Org:
    return new_org()
