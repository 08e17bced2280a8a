"""The CSRF token every page's form carries (field `csrf_token`; htmx sends it as the
X-CSRF-Token header): the session's own token once signed in (checked by `current_actor`,
as for the API), else a random token in this browser's `barometre_form` cookie, for the
forms sent before signing in (sign-in, language), checked double-submit (ADR 38)."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from infra.http.auth import SESSION_CSRF
from infra.http.problems import Problem
from infra.http.sessions import COOKIE
from infra.http.signing_in import app_state, behind_tls

FORM_COOKIE = "barometre_form"
REFUSED = "this form is too old or did not come from this site; reload the page and try again"


def form_token(request: Request[Any, Any, Any]) -> tuple[str, Cookie | None]:
    """The token for the page's forms, and the cookie to set if this browser had none."""
    if isinstance(signed_in := request.scope.get(SESSION_CSRF), str):
        return signed_in, None
    if kept := request.cookies.get(FORM_COOKIE):
        return kept, None
    token = secrets.token_urlsafe(32)
    return token, Cookie(key=FORM_COOKIE, value=token, path="/", httponly=True,
                         samesite="strict", secure=behind_tls(request))


async def check_form_token(request: Request[Any, Any, Any], sent: str) -> None:
    """For a form that works signed in or not: the live session's token if there is one,
    else this browser's form cookie; a 403 `csrf` problem otherwise."""
    expected = ""
    if (token := request.cookies.get(COOKIE)) is not None:
        session = await app_state(request).sessions().get(token)
        expected = session.csrf_token if session else ""
    if not expected:
        expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Problem(403, "csrf", REFUSED)
