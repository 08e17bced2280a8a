"""Who is calling: a session cookie (with its CSRF token on unsafe methods) or a bearer API
token; role guards."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from infra.http.problems import Problem
from infra.http.sessions import COOKIE, CSRF_COOKIE, CSRF_HEADER, Session
from infra.http.state import AppState, in_thread
from services.actor import Actor

# Methods that change something: a cookie-authenticated one must prove it comes from our pages.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ACTOR = "barometre_actor"  # scope key: the request's authenticated actor
SESSION_CSRF = "barometre_session_csrf"  # scope key: its session's CSRF token (pages' forms)
CSRF_FIELD = "csrf_token"  # the form field a page's form carries the token in
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def current_actor(request: Request[Any, Any, Any]) -> Actor:
    """Dependency: the authenticated actor, or a 401 problem."""
    cached = request.scope.get(ACTOR)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    state: AppState = request.app.state.barometre
    authorization = request.headers.get("authorization", "")
    actor: Actor | None
    if authorization.lower().startswith("bearer "):
        actor = await in_thread(state.write.accounts.verify_token, authorization[7:].strip())
    elif token := request.cookies.get(COOKIE):
        session = await state.sessions().get(token)
        if session is None:
            raise Problem(401, "unauthenticated", "your session has expired or was closed; log in again")
        await check_csrf(request, session)
        actor = session.actor
        request.scope[SESSION_CSRF] = session.csrf_token  # type: ignore[literal-required]
        state.session_owners.learn(token, actor)
    else:
        raise Problem(401, "unauthenticated", "log in, or send an API token as 'Authorization: Bearer …'",
                      headers={"WWW-Authenticate": 'Bearer realm="barometre"'})
    request.scope[ACTOR] = actor  # type: ignore[literal-required]
    return actor


async def check_csrf(request: Request[Any, Any, Any], session: Session) -> None:
    """A cookie is sent by the browser whoever wrote the page; the CSRF token only by ours:
    in the header (API clients, htmx), or in the `csrf_token` field of a page's form sent
    without JavaScript. (Bearer tokens are exempt: nothing sends them on its own.)"""
    if request.scope.get("method", "GET") not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "") or await _form_token(request)
    if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
        raise Problem(403, "csrf", f"missing or wrong {CSRF_HEADER} header: send the csrf_token "
                      f"of the login answer (also in the {CSRF_COOKIE} cookie) with every "
                      "POST, PUT, PATCH or DELETE")


async def _form_token(request: Request[Any, Any, Any]) -> str:
    """The token in a form body (read once: the handler's form decoding reuses it)."""
    if not request.headers.get("content-type", "").lower().startswith(_FORMS):
        return ""
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


def require_roles(*roles: str) -> Any:
    """A guard: the handler runs only for actors with one of these roles."""
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        actor = await current_actor(connection)  # type: ignore[arg-type]
        if actor.role not in roles:
            raise Problem(403, "forbidden", f"this requires the role {' or '.join(roles)}")
    return guard
