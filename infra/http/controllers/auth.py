"""Log in and out, who am I, and personal API tokens."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import Cookie

from infra.http.schemas import LoginRequest, SessionView, TokenCreate, TokenIssuedView, TokenView
from infra.http.sessions import COOKIE, SessionStore
from infra.http.state import AppState, in_thread
from services.actor import Actor


def _view(actor: Actor) -> SessionView:
    return SessionView(actor.user_id, actor.tenant_id, actor.role, actor.display_name, actor.locale)


def _store(request: Request[Any, Any, Any]) -> SessionStore:
    state: AppState = request.app.state.barometre
    return SessionStore(state.redis, state.settings.session_ttl_seconds)


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]  # noqa: RUF012

    @post("/login", operation_id="login", security=[], status_code=200)
    async def login(self, request: Request[Any, Any, Any], data: LoginRequest) -> Response[SessionView]:
        state: AppState = request.app.state.barometre
        actor = await in_thread(state.write.accounts.authenticate, data.organization, data.login,
                                data.password)
        token = await _store(request).open(actor)
        cookie = Cookie(key=COOKIE, value=token, httponly=True, samesite="lax", path="/",
                        secure=state.settings.secure_cookies, max_age=state.settings.session_ttl_seconds)
        return Response(_view(actor), cookies=[cookie])

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, request: Request[Any, Any, Any], actor: Actor) -> Response[None]:
        if token := request.cookies.get(COOKIE):
            await _store(request).close(token)
        return Response(None, status_code=204, cookies=[Cookie(key=COOKIE, value="", max_age=0, path="/")])

    @get("/me", operation_id="whoAmI")
    async def me(self, actor: Actor) -> SessionView:
        return _view(actor)

    @post("/tokens", operation_id="issueApiToken", status_code=201)
    async def issue_token(self, request: Request[Any, Any, Any], actor: Actor,
                          data: TokenCreate) -> TokenIssuedView:
        state: AppState = request.app.state.barometre
        issued = await in_thread(state.write.accounts.issue_token, actor, data.name, data.ttl_days)
        return TokenIssuedView(issued.token_id, issued.token, issued.expires_at)

    @get("/tokens", operation_id="listApiTokens")
    async def list_tokens(self, request: Request[Any, Any, Any], actor: Actor) -> list[TokenView]:
        state: AppState = request.app.state.barometre
        tokens = await in_thread(state.write.accounts.list_tokens, actor)
        return [TokenView(str(t["id"]), str(t["name"]), t["expires_at"], bool(t["revoked"]))  # type: ignore[arg-type]
                for t in tokens]

    @delete("/tokens/{token_id:str}", operation_id="revokeApiToken", status_code=204)
    async def revoke_token(self, request: Request[Any, Any, Any], actor: Actor, token_id: str) -> None:
        state: AppState = request.app.state.barometre
        await in_thread(state.write.accounts.revoke_token, actor, token_id)
