"""The caller's organization, its accounts (admin) and its persons served (practitioners)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post

from domain.catalog import load_catalog
from infra.http.auth import require_roles
from infra.http.commands import run_command
from infra.http.paging import PAGE_HEADERS, Cursor, Limit, after, page
from infra.http.schemas import (
    AccountCreate,
    AccountView,
    CatalogView,
    CommandView,
    OrganizationView,
    SessionsRevokedView,
    SphereView,
    ThemeView,
)
from infra.http.state import AppState, in_thread
from projections.accounts.directory import ACCOUNTS, list_accounts
from services.actor import Actor


class OrganizationController(Controller):
    path = "/"
    tags = ["organization"]  # noqa: RUF012

    @get("/organization", operation_id="getOrganization")
    async def organization(self, request: Request[Any, Any, Any], actor: Actor) -> OrganizationView:
        state: AppState = request.app.state.barometre
        org = await in_thread(state.write.accounts.organization, actor.tenant_id)
        return OrganizationView(org.id, org.slug, org.name, org.region, org.default_locale,
                                org.catalog_version)

    @get("/catalog", operation_id="getCatalog")
    async def catalog(self, request: Request[Any, Any, Any], actor: Actor,
                      locale: str | None = None) -> CatalogView:
        """The organization's pinned theme catalog, in the requested or the user's locale."""
        state: AppState = request.app.state.barometre
        org = await in_thread(state.write.accounts.organization, actor.tenant_id)
        catalog = load_catalog(org.catalog_version)
        chosen = locale if locale in ("fr-CA", "fr-FR", "en") else actor.locale
        spheres = [SphereView(s.key, s.label[chosen], [
            ThemeView(k, catalog.themes[k].label[chosen], catalog.themes[k].help[chosen])
            for k in s.theme_keys]) for s in catalog.spheres]
        return CatalogView(catalog.version, chosen, spheres)

    @post("/accounts", operation_id="openAccount", guards=[require_roles("org_admin", "person")])
    async def open_account(self, request: Request[Any, Any, Any], actor: Actor,
                           data: AccountCreate) -> Response[CommandView]:
        state: AppState = request.app.state.barometre
        return await run_command(request, actor, state.write.accounts, lambda service: service.open_account(
            actor, data.login, data.display_name, data.role, data.password, data.locale), data=data)

    @post("/accounts/{account_id:uuid}/sessions/revoke", operation_id="revokeAccountSessions",
          guards=[require_roles("org_admin")], status_code=200)
    async def revoke_sessions(self, request: Request[Any, Any, Any], actor: Actor,
                              account_id: UUID) -> SessionsRevokedView:
        """Org admin: ends every session of an account of their organization (ADR 0009)."""
        state: AppState = request.app.state.barometre
        await in_thread(state.write.accounts.account, actor.tenant_id, account_id)  # 404 if not ours
        ended = await state.sessions().close_all(account_id)
        return SessionsRevokedView(ended)

    @get("/accounts", operation_id="listAccounts", guards=[require_roles("org_admin")],
         response_headers=PAGE_HEADERS)
    async def accounts(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                       role: str | None = None, limit: int = Limit,
                       cursor: str | None = Cursor) -> Response[list[AccountView]]:
        """By name."""
        rows, next_cursor = await list_accounts(db, role, after(ACCOUNTS, cursor), limit)
        return page(request, [AccountView(**r) for r in rows], next_cursor)

    @get("/persons", operation_id="listPersons", guards=[require_roles("practitioner")],
         response_headers=PAGE_HEADERS)
    async def persons(self, request: Request[Any, Any, Any], db: asyncpg.Connection,
                      limit: int = Limit,
                      cursor: str | None = Cursor) -> Response[list[AccountView]]:
        """The persons served, by name."""
        rows, next_cursor = await list_accounts(db, "person", after(ACCOUNTS, cursor), limit)
        return page(request, [AccountView(**r) for r in rows], next_cursor)
