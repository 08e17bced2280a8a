"""The account directory: who is in an organization, with their role and name."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from domain.accounts.account import Account
from projections.applied_versions import RecordsAppliedVersions, applied_versions
from projections.framework import Context, handles


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


async def list_accounts(conn: asyncpg.Connection, role: str | None = None) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT account_id, login, display_name, role, locale, opened_at FROM account_directory"
        " WHERE ($1::text IS NULL OR role = $1) ORDER BY display_name, account_id", role)


async def find_person(conn: asyncpg.Connection, person_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT account_id, display_name, locale FROM account_directory"
        " WHERE account_id = $1 AND role = 'person'", person_id)
