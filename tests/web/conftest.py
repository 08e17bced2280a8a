"""Browser fixtures: the real `barometre web` process on the session's database and Redis, and
Debian's Chromium driven by Playwright (never a downloaded browser). Every page a test opens
may reach the platform only: any other request is aborted and recorded, so a page that
needs a CDN fails its test; so does a page that breaks its Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Route, sync_playwright

from infra.platform import Servers
from tests.conftest import PASSWORD, Org
from tests.reliability.conftest import barometre_env
from tests.reliability.web_process import web_process

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
STATUS_LOGGED = "Failed to load resource: the server responded with a status of 4"


@pytest.fixture(scope="session")
def web_url(servers: Servers) -> Iterator[str]:
    """`barometre web` in its own process; sessions are not cached, so a session ended in
    Redis is ended for the next request."""
    with web_process({**barometre_env(servers), "BAROMETRE_SESSION_CACHE_MS": "0"}) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@dataclass
class Visit:
    """What a page did besides rendering: requests to elsewhere, CSP or script errors."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests outside the platform: {self.outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def visit() -> Visit:
    return Visit()


@pytest.fixture
def new_page(browser: Browser, web_url: str, visit: Visit) -> Iterator[Callable[..., Page]]:
    """A new browser context (its own cookies) and page, a phone's size unless told."""
    contexts = []
    ours = urlsplit(web_url).netloc

    def only_the_platform(route: Route) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            visit.outside.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        # Chromium also logs each 4xx answer as an error: a refused form is not a broken page.
        if message.type == "error" and not message.text.startswith(STATUS_LOGGED):
            visit.errors.append(message.text)

    def make(viewport: dict[str, int] = PHONE, locale: str = "fr-CA") -> Page:
        context = browser.new_context(viewport=viewport, locale=locale, base_url=web_url)
        contexts.append(context)
        context.route("**/*", only_the_platform)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
        return page
    yield make
    for context in contexts:
        context.close()


def sign_in(page: Page, org: Org, login: str, password: str = PASSWORD) -> None:
    """Fills and sends the sign-in form as a person would."""
    page.goto("/")
    page.locator("#organization").fill(org.slug)
    page.locator("#login").fill(login)
    page.locator("#password").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
