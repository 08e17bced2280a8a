"""Opening and ending a session, shared by the API's login and the pages' sign-in: the same
failed-login limits (ADR 0009), the same session store, the same cookies."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from infra.http.rate_limit import LoginLimiter, account_key, address_key
from infra.http.sessions import COOKIE, CSRF_COOKIE, OpenedSession
from infra.http.state import AppState, in_thread
from services.actor import Actor


def app_state(request: Request[Any, Any, Any]) -> AppState:
    return request.app.state.barometre  # type: ignore[no-any-return]


def login_limiter(request: Request[Any, Any, Any]) -> LoginLimiter:
    state = app_state(request)
    return LoginLimiter.of(state.redis, state.settings)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The peer address; behind a proxy, run uvicorn with --forwarded-allow-ips set to it."""
    return address_key(request.client.host if request.client else None)


def behind_tls(request: Request[Any, Any, Any]) -> bool:
    """Cookies are Secure when the settings say so or the request came over https (directly,
    or through a proxy uvicorn trusts, which sets the scheme from X-Forwarded-Proto)."""
    return app_state(request).settings.secure_cookies or request.url.scheme == "https"


async def open_session(request: Request[Any, Any, Any], organization: str, login: str,
                       password: str, totp_code: str | None) -> tuple[Actor, OpenedSession]:
    """The authenticated actor and their new session; InvalidCredentials for a wrong secret
    (counted), a 429 problem once too many failed."""
    state = app_state(request)
    actor = await login_limiter(request).guard(
        account_key(organization, login), client_address(request),
        lambda: in_thread(state.write.accounts.authenticate, organization, login, password,
                          totp_code))
    return actor, await state.sessions().open(actor)


def session_cookies(request: Request[Any, Any, Any], opened: OpenedSession) -> list[Cookie]:
    """The HttpOnly session cookie and the CSRF token's readable one."""
    common: dict[str, Any] = {"path": "/", "samesite": "lax", "secure": behind_tls(request),
                              "max_age": app_state(request).settings.session_absolute_seconds}
    return [Cookie(key=COOKIE, value=opened.token, httponly=True, **common),
            Cookie(key=CSRF_COOKIE, value=opened.csrf_token, httponly=False, **common)]


def ended_cookies() -> list[Cookie]:
    return [Cookie(key=COOKIE, value="", max_age=0, path="/"),
            Cookie(key=CSRF_COOKIE, value="", max_age=0, path="/")]
