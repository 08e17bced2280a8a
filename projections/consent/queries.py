"""Queries of current consent and of the access log. Except for the two guard functions,
the connection already carries the tenant (RLS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from domain.consent.vocabulary import TABS
from projections.batch import Query
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page

_GRANT_COLUMNS = (
    "grant_id, grantee_kind, grantee_id,"
    " array_agg(tab ORDER BY array_position($2::text[], tab)) AS tabs, level, until,"
    " legal_basis, recorded_in_person, given_at, granted_by, granted_at, revoked_at, revoked_by,"
    " (revoked_at IS NULL AND (until IS NULL OR until > now())) AS active")
_GRANT_GROUP = (" GROUP BY grant_id, grantee_kind, grantee_id, level, until, legal_basis,"
                " recorded_in_person, given_at, granted_by, granted_at, revoked_at, revoked_by")


async def access_inputs(conn: asyncpg.Connection, tenant_id: UUID, person_id: UUID,
                        actor_id: UUID) -> list[asyncpg.Record]:
    """Everything the consent decision needs, in one round trip on a connection outside any
    transaction: the database's now, whether the person exists in the tenant, the actor's
    teams, and the grants of this person to the actor or their teams (one row at least)."""
    return await conn.fetch("SELECT * FROM access_inputs($1, $2, $3)",
                            tenant_id, person_id, actor_id)


GRANTS = Keyset("grants", (Key("granted_at", "timestamptz", True), Key("grant_id", "uuid", True)))
REQUESTS = Keyset("requests", (Key("requested_at", "timestamptz", True),
                               Key("request_id", "uuid", True)))


async def grants_of(conn: asyncpg.Connection, person_id: UUID,
                    grantee_ids: list[UUID] | None = None, after: Sequence[Any] | None = None,
                    limit: int = DEFAULT_LIMIT) -> Page:
    """The person's grants, newest first; with grantee_ids, only those given to them."""
    return await fetch_page(conn, GRANTS, Query(
        f"SELECT {_GRANT_COLUMNS} FROM consent_grants WHERE person_id = $1"
        f" AND ($3::uuid[] IS NULL OR grantee_id = ANY($3)){_GRANT_GROUP}",
        (person_id, list(TABS), grantee_ids)), after, limit)


async def requests_of(conn: asyncpg.Connection, person_id: UUID,
                      practitioner_id: UUID | None = None, after: Sequence[Any] | None = None,
                      limit: int = DEFAULT_LIMIT) -> Page:
    """Newest first; with practitioner_id, only theirs."""
    return await fetch_page(conn, REQUESTS, Query(
        "SELECT request_id, practitioner_id, tabs, level, reason, requested_at, status,"
        " answered_at, grant_id, until FROM consent_requests WHERE person_id = $1"
        " AND ($2::uuid IS NULL OR practitioner_id = $2)", (person_id, practitioner_id)),
        after, limit)


async def access_log(conn: asyncpg.Connection, *, person_id: UUID | None = None,
                     actor_id: UUID | None = None, before: int | None = None,
                     limit: int = 50) -> list[asyncpg.Record]:
    """Newest first; `before` is the id of the last entry of the previous page. Only the
    filters given become conditions, so each combination uses its index."""
    conditions, args = [], []
    for column, value in (("l.person_id =", person_id), ("l.actor_id =", actor_id),
                          ("l.id <", before)):
        if value is not None:
            args.append(value)
            conditions.append(f"{column} ${len(args)}")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return await conn.fetch(
        "SELECT l.id, l.at, l.actor_id, d.display_name AS actor_name, l.role, l.person_id,"
        " l.tab, l.action, l.method, l.path, l.outcome, l.reason FROM access_log l"
        " LEFT JOIN account_directory d ON d.tenant_id = l.tenant_id AND d.account_id = l.actor_id"
        f"{where} ORDER BY l.id DESC LIMIT ${len(args) + 1}", *args, limit)
