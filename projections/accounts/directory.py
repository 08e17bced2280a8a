"""The account directory: who is in an organization, with their role and name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from domain.accounts.account import Account
from projections.applied_versions import RecordsAppliedVersions, applied_versions
from projections.batch import Query
from projections.framework import Context, handles
from projections.paging import DEFAULT_LIMIT, Key, Keyset, Page, fetch_page


class AccountDirectory(RecordsAppliedVersions):
    name = "account_directory"
    application = "Accounts"
    tables = ("account_directory", "applied_account_versions")
    versioned = Account.Event
    versions = applied_versions("applied_account_versions", "account_id")

    @handles(Account.Opened)
    def on_opened(self, ctx: Context, e: Account.Opened) -> None:
        ctx.cur.execute(
            "INSERT INTO account_directory (tenant_id, account_id, login, display_name, role,"
            " locale, opened_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (tenant_id, account_id) DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.login, e.display_name, e.role, e.locale, e.timestamp],
        )


ACCOUNTS = Keyset("accounts", (Key("display_name", "text"), Key("account_id", "uuid")))


async def list_accounts(conn: asyncpg.Connection, role: str | None = None,
                        after: Sequence[Any] | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    """By name."""
    return await fetch_page(conn, ACCOUNTS, Query(
        "SELECT account_id, login, display_name, role, locale, opened_at FROM account_directory"
        " WHERE ($1::text IS NULL OR role = $1)", (role,)), after, limit)


async def find_person(conn: asyncpg.Connection, person_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT account_id, display_name, locale FROM account_directory"
        " WHERE account_id = $1 AND role = 'person'", person_id)
