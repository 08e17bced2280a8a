"""Allow names every method of a path, on OPTIONS and on 405, even where several handlers
share the path."""

from __future__ import annotations

import httpx


def _methods(answer: httpx.Response) -> set[str]:
    return {m.strip() for m in answer.headers["allow"].split(",")}


def test_options_names_the_methods_of_every_handler_of_the_path(base_url: str) -> None:
    answer = httpx.options(base_url + "/api/v1/auth/totp", timeout=30)
    assert answer.status_code == 204
    assert _methods(answer) == {"POST", "DELETE", "OPTIONS"}


def test_a_method_not_allowed_names_every_method_of_the_path(base_url: str) -> None:
    answer = httpx.get(base_url + "/api/v1/auth/totp", timeout=30)
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert _methods(answer) == {"POST", "DELETE", "OPTIONS"}
