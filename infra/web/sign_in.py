"""Signing in and out, and choosing the language: the pages every visitor reaches first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body

from domain.accounts.organization import LOCALES
from infra.http.problems import Problem
from infra.http.sessions import COOKIE
from infra.http.signing_in import (
    app_state,
    behind_tls,
    ended_cookies,
    open_session,
    session_cookies,
)
from infra.web.form_tokens import check_form_token
from infra.web.locales import LOCALE_COOKIE
from infra.web.page import local_path, page, see_other
from services.accounts import InvalidCredentials, TotpCodeNeeded
from services.actor import Actor

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
YEAR = 365 * 24 * 3600


@dataclass
class SignInForm:
    organization: str = ""
    login: str = ""
    password: str = ""
    totp_code: str = ""
    csrf_token: str = ""
    next: str = ""


@dataclass
class LanguageForm:
    locale: str = ""
    csrf_token: str = ""
    next: str = ""


def _wait_minutes(problem: Problem) -> int:
    seconds = int((problem.headers or {}).get("Retry-After", "60"))
    return max(1, -(-seconds // 60))


class SignInPages(Controller):
    include_in_schema = False

    @get("/")
    async def sign_in_page(self, request: Request[Any, Any, Any], expired: bool = False,
                           signed_out: bool = False, next: str | None = None) -> Response[Any]:
        """The sign-in form; someone already signed in goes to their home."""
        if (token := request.cookies.get(COOKIE)) and await app_state(request).sessions().get(token):
            return see_other(local_path(next))
        notice = "expired" if expired else "signed_out" if signed_out else None
        return page(request, "sign_in.html", form=SignInForm(next=local_path(next, "")),
                    notice=notice, error=None, ask_code=False)

    @post("/sign-in", status_code=303)
    async def sign_in(self, request: Request[Any, Any, Any],
                      data: Annotated[SignInForm, FORM]) -> Response[Any]:
        await check_form_token(request, data.csrf_token)
        form = SignInForm(data.organization, data.login, next=local_path(data.next, ""))
        try:
            _, opened = await open_session(request, data.organization, data.login,
                                           data.password, data.totp_code.strip() or None)
        except TotpCodeNeeded:
            return page(request, "sign_in.html", status_code=401, form=form, notice=None,
                        error="code_needed", ask_code=True)
        except InvalidCredentials:
            return page(request, "sign_in.html", status_code=401, form=form, notice=None,
                        error="wrong_code" if data.totp_code else "not_accepted",
                        ask_code=bool(data.totp_code))
        except Problem as problem:
            if problem.status_code != 429:
                raise
            refused = page(request, "sign_in.html", status_code=429, form=form, notice=None,
                           error="too_many", minutes=_wait_minutes(problem), ask_code=False)
            refused.headers.update(problem.headers or {})
            return refused
        response = see_other(local_path(data.next))
        response.cookies.extend(session_cookies(request, opened))
        return response

    @post("/sign-out", status_code=303)
    async def sign_out(self, request: Request[Any, Any, Any], actor: Actor) -> Response[Any]:
        """Ends this session (`actor` checked the form's token against it)."""
        if token := request.cookies.get(COOKIE):
            await app_state(request).sessions().close(token)
        response = see_other("/?signed_out=1")
        response.cookies.extend(ended_cookies())
        return response

    @post("/language", status_code=303)
    async def choose_language(self, request: Request[Any, Any, Any],
                              data: Annotated[LanguageForm, FORM]) -> Response[Any]:
        """This browser's language, signed in or not; back to the page it was chosen on."""
        await check_form_token(request, data.csrf_token)
        if data.locale not in LOCALES:
            raise Problem(400, "bad-request", f"locale must be one of {', '.join(LOCALES)}")
        response = see_other(local_path(data.next, "/"))
        response.cookies.append(Cookie(key=LOCALE_COOKIE, value=data.locale, path="/",
                                       max_age=YEAR, samesite="lax", httponly=True,
                                       secure=behind_tls(request)))
        return response

