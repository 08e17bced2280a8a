"""What keeps the pages safe: security headers, form tokens before and after signing in, no
redirect to another site, two-step sign-in, page errors as pages while the API keeps its
problem documents, the OpenAPI viewers working with nothing but the platform."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Org
from tests.web.conftest import Visit
from tests.web.pages_client import form_token, signed_in


def test_pages_carry_a_strict_content_security_policy_and_safe_headers(web_url: str) -> None:
    page = httpx.get(web_url + "/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in page.headers  # plain http here
    behind_tls = httpx.get(web_url + "/", headers={"x-forwarded-proto": "https"})
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=")
    token = behind_tls.headers["set-cookie"]
    assert "barometre_form=" in token and "Secure" in token and "HttpOnly" in token
    api = httpx.get(web_url + "/api/v1/auth/me")
    assert "content-security-policy" not in api.headers  # the JSON API is as it was
    assert api.status_code == 401 and api.headers["content-type"] == "application/problem+json"


def test_the_sign_in_form_is_refused_without_this_browsers_form_token(
        web_url: str, org: Org) -> None:
    client = httpx.Client(base_url=web_url)
    token = form_token(client.get("/"))
    stranger = httpx.Client(base_url=web_url)  # another site's page has no such cookie
    forged = stranger.post("/sign-in", data={"organization": org.slug, "login": "admin",
                                             "password": "x", "csrf_token": token})
    assert forged.status_code == 403 and "Ce formulaire n'a pas pu être envoyé" in forged.text
    missing = client.post("/sign-in", data={"organization": org.slug, "login": "admin",
                                            "password": "x"})
    assert missing.status_code == 403
    language = client.post("/language", data={"locale": "en", "csrf_token": "wrong"})
    assert language.status_code == 403 and "barometre_locale" not in language.headers.get(
        "set-cookie", "")


def test_signed_in_a_form_needs_the_sessions_own_token(web_url: str, org: Org) -> None:
    client, _ = signed_in(web_url, org, "admin")
    other = form_token(httpx.get(web_url + "/"))  # a valid form cookie's token, not the session's
    assert client.post("/sign-out", data={"csrf_token": other}).status_code == 403
    token = form_token(client.get("/app/welcome"))
    out = client.post("/sign-out", data={"csrf_token": token})
    assert (out.status_code, out.headers["location"]) == (303, "/?signed_out=1")
    assert client.get("/app").headers["location"] == "/"  # no session: back to sign-in
    with_header = signed_in(web_url, org, "admin")[0]  # htmx sends the token as a header
    token = form_token(with_header.get("/app/welcome"))
    assert with_header.post("/sign-out", headers={"X-CSRF-Token": token}).status_code == 303


@pytest.mark.parametrize("target", ["//elsewhere.example/x", "https://elsewhere.example/",
                                    "/\\elsewhere.example", "app"])
def test_after_signing_in_the_browser_goes_nowhere_outside_the_site(
        web_url: str, org: Org, target: str) -> None:
    _, answer = signed_in(web_url, org, "admin", next=target)
    assert (answer.status_code, answer.headers["location"]) == (303, "/app")
    _, inside = signed_in(web_url, org, "admin", next="/app/welcome?x=1")
    assert inside.headers["location"] == "/app/welcome?x=1"


def test_staff_with_two_step_sign_in_are_asked_their_code_on_the_page(
        web_url: str, org: Org) -> None:
    practitioner = org.open("practitioner")
    secret = org.side.accounts.start_totp_enrolment(practitioner).secret
    org.side.accounts.confirm_totp(practitioner, pyotp.TOTP(secret).now())
    _, asked = signed_in(web_url, org, practitioner.login)
    assert asked.status_code == 401 and 'id="totp_code"' in asked.text
    assert "La connexion en deux étapes est activée" in asked.text
    _, wrong = signed_in(web_url, org, practitioner.login, totp_code="000000"
                         if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert wrong.status_code == 401 and "code de votre application" in wrong.text
    _, right = signed_in(web_url, org, practitioner.login, totp_code=pyotp.TOTP(secret).now())
    assert (right.status_code, right.headers["location"]) == (303, "/app")


def test_page_errors_are_pages_and_the_api_keeps_its_problems(web_url: str, org: Org) -> None:
    client, _ = signed_in(web_url, org, "admin")
    missing = client.get("/app/nowhere")
    assert missing.status_code == 404 and "Page introuvable" in missing.text
    api = client.get("/api/v1/nowhere")
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    token = form_token(client.get("/app/welcome"))
    bad = client.post("/language", data={"locale": "xx", "csrf_token": token})
    assert bad.status_code == 400 and "<h1>" in bad.text
    htmx = httpx.get(web_url + "/app/welcome", headers={"HX-Request": "true"},
                     cookies={"barometre_session": "ended"})
    assert (htmx.status_code, htmx.headers["hx-redirect"]) == (204, "/?expired=1&next=%2Fapp%2Fwelcome")


@pytest.mark.parametrize(("path", "rendered"), [
    ("/schema", "h1:has-text('Baromètre API')"),
    ("/schema/swagger", ".swagger-ui .info .title:has-text('Baromètre API')")])
def test_the_openapi_viewers_work_with_nothing_but_the_platform(
        new_page: Callable[..., Page], visit: Visit, path: str, rendered: str) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(path)
    expect(page.locator(rendered)).to_be_visible(timeout=20_000)
    # Redoc's menu tries its maker's logo from a CDN; the viewers' policy (same origin only)
    # stops it in the browser, and Redoc hides the image. Nothing else may be refused.
    visit.errors = [e for e in visit.errors
                    if not ("cdn.redoc.ly/redoc/logo-mini.svg" in e and "Content Security" in e)]
    visit.assert_clean()
