"""Errors on the pages answer with a page, not a problem document: an expired or missing
session goes back to sign-in (with a message when it had expired), a refused form or
access says what to do next. The JSON API (and the OpenAPI documents) keep their RFC 9457
problems: one mapping for the app, chosen by path."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from eventsourcing.persistence import IntegrityError
from litestar import Request, Response
from litestar.exceptions import HTTPException

from domain.errors import DomainError
from infra.http.problems import refused_problem, unexpected_problem
from infra.http.sessions import COOKIE
from infra.http.signing_in import ended_cookies
from infra.web.page import here, page, see_other

log = logging.getLogger("barometre.web")
Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]
_NOT_PAGES = ("/api/", "/schema", "/health")
_CODES = {400: "bad-request", 404: "not-found", 405: "not-found"}


def is_page(path: str) -> bool:
    return not path.startswith(_NOT_PAGES)


def _status_and_code(path: str, exc: Exception) -> tuple[int, str]:
    if isinstance(exc, DomainError):
        status, code, _ = refused_problem(exc)
        return status, code
    if isinstance(exc, IntegrityError):
        return 409, "version-conflict"
    if isinstance(exc, HTTPException):
        return exc.status_code, getattr(exc, "code", None) or _CODES.get(exc.status_code, "http")
    status, code, _, _ = unexpected_problem(exc)
    if status == 503:
        log.warning("unavailable on %s: %r", path, exc)  # expected: no traceback
    else:
        log.error("unexpected error on %s", path, exc_info=exc)
    return status, code


def _to_sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    """A session that ended (expired, signed out elsewhere) or never was: sign in, then back."""
    had_session = COOKIE in request.cookies
    query = {"expired": "1"} if had_session else {}
    if request.method == "GET" and request.url.path not in ("/", "/app"):
        query["next"] = here(request)
    target = "/" + (f"?{urlencode(query)}" if query else "")
    if request.headers.get("hx-request"):  # htmx: load the whole sign-in page, not a fragment
        return Response(None, status_code=204, headers={"HX-Redirect": target},
                        cookies=ended_cookies())
    response = see_other(target)
    response.cookies.extend(ended_cookies() if had_session else [])
    return response


def on_page_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, code = _status_and_code(request.url.path, exc)
    if status == 401:
        return _to_sign_in(request)
    headers = getattr(exc, "headers", None) or {}
    response = page(request, "error.html", status_code=status, code=code)
    response.headers.update({k: v for k, v in headers.items() if k.lower() == "retry-after"})
    return response


def pages_or_problems(api_handlers: dict[Any, Handler]) -> dict[Any, Handler]:
    """The app's exception handlers: a page for a page's path, the API's problem otherwise."""
    def either(api_handler: Handler) -> Handler:
        def handle(request: Request[Any, Any, Any], exc: Any) -> Response[Any]:
            if is_page(request.url.path):
                return on_page_error(request, exc)
            return api_handler(request, exc)
        return handle
    return {kind: either(handler) for kind, handler in api_handlers.items()}
