"""Log in and out, who am I, passwords, two-step login, ending sessions, personal API tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post

from infra.http.commands import run_command
from infra.http.openapi_problems import RATE_LIMITED
from infra.http.rate_limit import user_key
from infra.http.schemas import (
    CommandView,
    LoginRequest,
    LoginView,
    PasswordChange,
    SessionsRevokedView,
    SessionView,
    TokenCreate,
    TokenIssuedView,
    TokenView,
    TotpCode,
    TotpEnrolmentView,
)
from infra.http.sessions import COOKIE, SessionStore
from infra.http.signing_in import (
    app_state,
    client_address,
    ended_cookies,
    login_limiter,
    open_session,
    session_cookies,
)
from infra.http.state import AppState, in_thread
from services.accounts import Accounts
from services.actor import Actor
from services.base import CommandResult

LIMITED = {RATE_LIMITED: True}  # wrong secrets count as failed logins: 429 after too many


def _view(actor: Actor) -> SessionView:
    return SessionView(actor.user_id, actor.tenant_id, actor.role, actor.display_name, actor.locale)


def _state(request: Request[Any, Any, Any]) -> AppState:
    return app_state(request)


def _store(request: Request[Any, Any, Any]) -> SessionStore:
    return _state(request).sessions()


async def _proving_secret(request: Request[Any, Any, Any], actor: Actor, accounts: Accounts,
                          command: Callable[[Accounts], CommandResult],
                          data: msgspec.Struct) -> Response[CommandView]:
    """A command that checks the caller's password or code: wrong ones count as failed logins."""
    return await login_limiter(request).guard(
        user_key(actor.user_id), client_address(request),
        lambda: run_command(request, actor, accounts, command, data=data))


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]  # noqa: RUF012

    @post("/login", operation_id="login", security=[], status_code=200, opt=LIMITED)
    async def login(self, request: Request[Any, Any, Any], data: LoginRequest) -> Response[LoginView]:
        """Organization code, login, password (and totp_code once two-step login is on);
        too many failures for the account or from the address answer 429 with Retry-After."""
        actor, opened = await open_session(request, data.organization, data.login,
                                           data.password, data.totp_code)
        view = LoginView(actor.user_id, actor.tenant_id, actor.role, actor.display_name,
                         actor.locale, opened.csrf_token)
        return Response(view, cookies=session_cookies(request, opened))

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, request: Request[Any, Any, Any], actor: Actor) -> Response[None]:
        if token := request.cookies.get(COOKIE):
            await _store(request).close(token)
        return Response(None, status_code=204, cookies=ended_cookies())

    @get("/me", operation_id="whoAmI")
    async def me(self, actor: Actor) -> SessionView:
        return _view(actor)

    @post("/sessions/revoke-all", operation_id="revokeAllMySessions", status_code=200)
    async def revoke_all(self, request: Request[Any, Any, Any],
                         actor: Actor) -> Response[SessionsRevokedView]:
        """Ends every session of the caller, this one included (a lost phone, a shared computer)."""
        ended = await _store(request).close_all(actor.user_id)
        return Response(SessionsRevokedView(ended), cookies=ended_cookies())

    @post("/password", operation_id="changePassword", status_code=200, opt=LIMITED)
    async def change_password(self, request: Request[Any, Any, Any], actor: Actor,
                              data: PasswordChange) -> Response[CommandView]:
        """Needs the current password (wrong ones count as failed logins); ends the other sessions."""
        accounts = _state(request).write.accounts
        response = await _proving_secret(request, actor, accounts, lambda own: own.change_password(
            actor, data.current_password, data.new_password), data)
        await _store(request).close_all(actor.user_id, keep=request.cookies.get(COOKIE))
        return response

    @post("/totp", operation_id="startTotpEnrolment", status_code=201)
    async def start_totp(self, request: Request[Any, Any, Any], actor: Actor) -> TotpEnrolmentView:
        """Staff only: a new secret, pending until POST /auth/totp/confirm with a code from it."""
        enrolment = await in_thread(_state(request).write.accounts.start_totp_enrolment, actor)
        return TotpEnrolmentView(enrolment.secret, enrolment.uri)

    @post("/totp/confirm", operation_id="confirmTotp", status_code=200, opt=LIMITED)
    async def confirm_totp(self, request: Request[Any, Any, Any], actor: Actor,
                           data: TotpCode) -> Response[CommandView]:
        accounts = _state(request).write.accounts
        return await _proving_secret(request, actor, accounts,
                                     lambda own: own.confirm_totp(actor, data.code), data)

    @delete("/totp", operation_id="disableTotp", status_code=200, opt=LIMITED)
    async def disable_totp(self, request: Request[Any, Any, Any], actor: Actor,
                           data: TotpCode) -> Response[CommandView]:
        """Turns two-step login off; needs a current code from the authenticator app."""
        accounts = _state(request).write.accounts
        return await _proving_secret(request, actor, accounts,
                                     lambda own: own.disable_totp(actor, data.code), data)

    @post("/tokens", operation_id="issueApiToken", status_code=201)
    async def issue_token(self, request: Request[Any, Any, Any], actor: Actor,
                          data: TokenCreate) -> TokenIssuedView:
        issued = await in_thread(_state(request).write.accounts.issue_token, actor, data.name,
                                 data.ttl_days)
        return TokenIssuedView(issued.token_id, issued.token, issued.expires_at)

    @get("/tokens", operation_id="listApiTokens")
    async def list_tokens(self, request: Request[Any, Any, Any], actor: Actor) -> list[TokenView]:
        tokens = await in_thread(_state(request).write.accounts.list_tokens, actor)
        return [TokenView(str(t["id"]), str(t["name"]), t["expires_at"], bool(t["revoked"]))  # type: ignore[arg-type]
                for t in tokens]

    @delete("/tokens/{token_id:str}", operation_id="revokeApiToken", status_code=204)
    async def revoke_token(self, request: Request[Any, Any, Any], actor: Actor, token_id: str) -> None:
        await in_thread(_state(request).write.accounts.revoke_token, actor, token_id)
