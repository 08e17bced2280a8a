"""A page: a template rendered with what every page's layout needs (the locale and its
languages, the signed-in actor, the form token, where the page is). Handlers call `page`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.response import Redirect, Template

from domain.accounts.organization import LOCALES
from infra.http.auth import ACTOR
from infra.web.form_tokens import form_token
from infra.web.locales import AUTONYMS, LOCALE_COOKIE, choose_locale
from services.actor import Actor

HOME = "/app"


def signed_in_actor(request: Request[Any, Any, Any]) -> Actor | None:
    """The actor `current_actor` found for this request, if it ran."""
    actor = request.scope.get(ACTOR)
    return actor if isinstance(actor, Actor) else None


def page_locale(request: Request[Any, Any, Any]) -> str:
    actor = signed_in_actor(request)
    return choose_locale(request.cookies.get(LOCALE_COOKIE), actor.locale if actor else None,
                         request.headers.get("accept-language", ""))


def here(request: Request[Any, Any, Any]) -> str:
    query = request.scope.get("query_string", b"").decode("latin-1")
    return request.url.path + (f"?{query}" if query else "")


def local_path(target: str | None, default: str = HOME) -> str:
    """`target` if it is a path of this site (never another site: no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


def page(request: Request[Any, Any, Any], template: str, status_code: int = 200,
         **context: Any) -> Template:
    token, new_cookie = form_token(request)
    common = {"locale": page_locale(request), "actor": signed_in_actor(request),
              "csrf_token": token, "here": here(request),
              "languages": [(code, AUTONYMS[code]) for code in LOCALES]}
    return Template(template, context={**common, **context}, status_code=status_code,
                    cookies=[new_cookie] if new_cookie else [])


def see_other(target: str) -> Redirect:
    """After a form: the browser GETs the next page (303), so a reload resends nothing."""
    return Redirect(target, status_code=303)
