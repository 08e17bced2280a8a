"""Tenants share one pool: 200 organizations use no more connections or threads than one."""

from __future__ import annotations

import secrets
import threading
from typing import Any
from uuid import UUID, uuid4

import psycopg

from domain.accounts.account import Account, LoginName
from domain.accounts.organization import Organization
from domain.catalog import DEFAULT_CATALOG_VERSION
from infra.database.params import WEB_ROLE
from infra.platform import WriteSide
from services.actor import Actor
from services.passwords import hash_password
from services.tenancy import tenant_scope

# One hash for every account: argon2 costs ~120 ms a call and is not what is measured here.
PASSWORD_HASH = hash_password("correct-horse-battery")


def use_a_new_tenant(side: WriteSide) -> UUID:
    """Registers an organization with one person, then writes and reads in both applications."""
    organization = Organization.register(f"pool-{secrets.token_hex(5)}", "Pool", "qc",
                                         DEFAULT_CATALOG_VERSION)
    tenant_id = organization.id
    person = Account.open(uuid4(), tenant_id, "person", "Person", "person", PASSWORD_HASH, "fr-CA")
    with tenant_scope(tenant_id):  # what register_organization does, with a precomputed hash
        side.accounts.commit(organization, person,
                             LoginName(tenant_id=tenant_id, login="person", account_id=person.id))
    actor = Actor(person.id, tenant_id, "person")
    assessment = side.quality_of_life.open_assessment(actor, person.id).id
    assert side.quality_of_life.rate(actor, assessment, [("housing", 50)]).version == 2
    assert side.quality_of_life.person_of(actor, assessment) == person.id
    assert side.accounts.organization(tenant_id).slug == organization.slug
    return tenant_id


def web_connections(admin: psycopg.Connection[Any], dbname: str) -> int:
    row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND datname = %s",
                        [WEB_ROLE, dbname]).fetchone()
    assert row is not None
    return int(row[0])


def test_two_hundred_tenants_use_no_more_connections_or_threads_than_one(servers, write_side) -> None:
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        tenants = [use_a_new_tenant(write_side)]
        write_side.datastore.pool.wait(timeout=30)  # the pool at its steady size
        connections, threads = web_connections(admin, servers.admin.dbname), threading.active_count()
        assert connections > 0  # the count does see the web role's sessions

        tenants += [use_a_new_tenant(write_side) for _ in range(199)]

        assert len(set(tenants)) == 200
        assert web_connections(admin, servers.admin.dbname) <= connections
        assert threading.active_count() <= threads
