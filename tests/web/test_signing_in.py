"""Signing in and out in real Chromium, on a phone's screen; every page checked by axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import redis
from playwright.sync_api import Page, expect

from infra.http.sessions import COOKIE, session_digest
from infra.platform import Servers
from tests.conftest import Org
from tests.web.axe import assert_no_axe_violations
from tests.web.conftest import Visit, sign_in


def _person(org: Org, catch_up: Callable[[], int], name: str = "Marie Tremblay") -> Any:
    person = org.open("person", name)
    catch_up()  # the directory and consent views know the person (the guard reads them)
    return person


def _end_in_redis(redis_url: str, token: str) -> None:
    with redis.Redis.from_url(redis_url) as server:
        assert server.delete(f"barometre:session:{session_digest(token)}") == 1


def test_a_person_signs_in_on_a_phone_lands_on_their_record_switches_language_and_signs_out(
        org: Org, catch_up: Callable[[], int], new_page: Callable[..., Page],
        visit: Visit) -> None:
    person = _person(org, catch_up)
    page = new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    assert_no_axe_violations(page)
    sign_in(page, org, person.login)
    expect(page).to_have_url(re.compile(f"/app/persons/{person.user_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon dossier")
    expect(page.get_by_role("navigation", name="Dossier").get_by_role("link")).to_have_text(
        ["Qualité de vie", "Réseau social", "Mes forces", "Plan d'accomplissement"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    assert_no_axe_violations(page)

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(f"/app/persons/{person.user_id}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My record")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/\?signed_out=1$"))
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    assert_no_axe_violations(page)
    page.goto(f"/app/persons/{person.user_id}")  # signed out: the record is not shown
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    visit.assert_clean()


def test_a_wrong_password_shows_a_message_on_the_sign_in_page(
        org: Org, catch_up: Callable[[], int], new_page: Callable[..., Page],
        visit: Visit) -> None:
    person = _person(org, catch_up)
    page = new_page()
    sign_in(page, org, person.login, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text(
        "le mot de passe n'a pas été accepté")
    expect(page.locator("#login")).to_have_value(person.login)  # kept; the password is not
    expect(page.locator("#password")).to_have_value("")
    assert_no_axe_violations(page)
    visit.assert_clean()


def test_an_expired_session_goes_back_to_sign_in_with_a_message_then_to_the_page(
        org: Org, catch_up: Callable[[], int], new_page: Callable[..., Page], servers: Servers,
        visit: Visit) -> None:
    person = _person(org, catch_up)
    page = new_page()
    sign_in(page, org, person.login)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
    _end_in_redis(servers.redis_url, token)  # as its idle time-out would
    record = f"/app/persons/{person.user_id}"
    page.goto(record)
    expect(page).to_have_url(re.compile(r"/\?expired=1&next="))
    expect(page.get_by_role("status")).to_have_text(
        "Votre session a expiré. Connectez-vous de nouveau pour continuer.")
    assert_no_axe_violations(page)
    sign_in_again = page.locator("form.stacked")
    sign_in_again.locator("#organization").fill(org.slug)
    sign_in_again.locator("#login").fill(person.login)
    sign_in_again.locator("#password").fill("correct-horse-battery")
    sign_in_again.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"{record}$"))  # back where the session ended
    visit.assert_clean()


def test_a_form_sent_without_its_csrf_token_is_refused_with_a_page(
        org: Org, catch_up: Callable[[], int], new_page: Callable[..., Page],
        visit: Visit) -> None:
    person = _person(org, catch_up)
    page = new_page()
    sign_in(page, org, person.login)
    page.evaluate("document.querySelector('form.sign-out input[name=csrf_token]').remove()")
    with page.expect_response(lambda r: r.url.endswith("/sign-out")) as answer:
        page.get_by_role("button", name="Se déconnecter").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ce formulaire n'a pas pu être envoyé")
    assert_no_axe_violations(page)
    page.goto(f"/app/persons/{person.user_id}")  # the refused sign-out ended nothing
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon dossier")
    visit.assert_clean()
