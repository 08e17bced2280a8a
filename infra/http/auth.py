"""Who is calling: a session cookie or a bearer API token; role guards."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from infra.http.problems import Problem
from infra.http.sessions import COOKIE, SessionStore
from infra.http.state import AppState, in_thread
from services.actor import Actor


async def current_actor(request: Request[Any, Any, Any]) -> Actor:
    """Dependency: the authenticated actor, or a 401 problem."""
    cached = request.scope.get("barometre_actor")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    state: AppState = request.app.state.barometre
    authorization = request.headers.get("authorization", "")
    actor: Actor | None
    if authorization.lower().startswith("bearer "):
        actor = await in_thread(state.write.accounts.verify_token, authorization[7:].strip())
    elif token := request.cookies.get(COOKIE):
        actor = await SessionStore(state.redis, state.settings.session_ttl_seconds).actor(token)
        if actor is None:
            raise Problem(401, "unauthenticated", "your session has expired or was closed; log in again")
    else:
        raise Problem(401, "unauthenticated", "log in, or send an API token as 'Authorization: Bearer …'",
                      headers={"WWW-Authenticate": 'Bearer realm="barometre"'})
    request.scope["barometre_actor"] = actor  # type: ignore[typeddict-unknown-key]
    return actor


def require_roles(*roles: str) -> Any:
    """A guard: the handler runs only for actors with one of these roles."""
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        actor = await current_actor(connection)  # type: ignore[arg-type]
        if actor.role not in roles:
            raise Problem(403, "forbidden", f"this requires the role {' or '.join(roles)}")
    return guard
