"""An HTTP client on the pages, as a browser without JavaScript: it reads each form's token
from the page and sends forms URL-encoded."""

from __future__ import annotations

import re

import httpx

from tests.conftest import PASSWORD, Org

_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def form_token(page: httpx.Response) -> str:
    found = _TOKEN.search(page.text)
    assert found, "the page has no form token"
    return found.group(1)


def signed_in(base_url: str, org: Org, login: str, password: str = PASSWORD,
              **form: str) -> tuple[httpx.Client, httpx.Response]:
    """A client that sent the sign-in form; the answer to it (not followed)."""
    client = httpx.Client(base_url=base_url, timeout=30)
    token = form_token(client.get("/"))
    answer = client.post("/sign-in", data={"organization": org.slug, "login": login,
                                           "password": password, "csrf_token": token, **form})
    return client, answer
