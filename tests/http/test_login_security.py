"""Login security over HTTP: failed-login limits, CSRF, ending sessions, passwords, TOTP.

Clients that fail logins connect from their own loopback address (127.x.y.z), so the
per-address counter of 127.0.0.1, which every other test logs in from, is left alone."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pyotp
import pytest

from tests.conftest import PASSWORD
from tests.http.conftest import count_events

PROBLEM = "application/problem+json"


@pytest.fixture
def elsewhere(base_url: str) -> Iterator[Callable[[], httpx.Client]]:
    """Anonymous clients, each from a loopback address of its own."""
    clients: list[httpx.Client] = []

    def make() -> httpx.Client:
        address = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
        client = httpx.Client(base_url=base_url + "/api/v1", timeout=30,
                              transport=httpx.HTTPTransport(local_address=address))
        clients.append(client)
        return client
    yield make
    for client in clients:
        client.close()


@pytest.fixture
def away(elsewhere) -> Callable[..., httpx.Client]:  # type: ignore[no-untyped-def]
    """A logged-in client from its own address, for tests whose failures must not count
    against 127.0.0.1."""
    def make(org, login: str) -> httpx.Client:  # type: ignore[no-untyped-def]
        client = elsewhere()
        assert log_in(client, org, login).status_code == 200
        return client
    return make


def log_in(client: httpx.Client, org, login: str, password: str = PASSWORD,  # type: ignore[no-untyped-def]
           **extra: str) -> httpx.Response:
    response = client.post("/auth/login", json={"organization": org.slug, "login": login,
                                                "password": password, **extra})
    if response.status_code == 200:
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return response


def wrong_code(secret: str) -> str:
    now = datetime.now(UTC)
    valid = {pyotp.TOTP(secret).at(now + timedelta(seconds=s)) for s in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


# Failed-login limits -----------------------------------------------------------------------

def test_after_five_wrong_passwords_even_the_right_one_gets_429_with_retry_after(org, elsewhere) -> None:
    client = elsewhere()
    assert [log_in(client, org, "admin", "wrong-password-1").status_code for _ in range(5)] == [401] * 5
    refused = log_in(client, org, "admin")
    assert refused.status_code == 429 and refused.headers["content-type"].startswith(PROBLEM)
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert refused.json()["type"].endswith("/too-many-attempts")
    assert "too many failed attempts" in refused.json()["detail"]
    assert log_in(elsewhere(), org, "admin").status_code == 429  # the account, from anywhere


def test_the_lockout_of_one_account_leaves_the_others_of_the_address_alone(org, elsewhere) -> None:
    client = elsewhere()
    other = org.open("practitioner")
    for _ in range(6):
        log_in(client, org, "admin", "wrong-password-1")
    assert log_in(client, org, other.login).status_code == 200  # type: ignore[attr-defined]


def test_a_successful_login_resets_the_accounts_counter(org, elsewhere) -> None:
    client = elsewhere()
    for _ in range(2):
        assert [log_in(client, org, "admin", "wrong-password-1").status_code for _ in range(4)] == [401] * 4
        assert log_in(client, org, "admin").status_code == 200


def test_unknown_logins_count_too_so_guessing_logins_is_limited_as_well(org, elsewhere) -> None:
    client = elsewhere()
    codes = [log_in(client, org, "nobody-here", "wrong-password-1").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_fifty_failures_from_one_address_block_every_login_from_it(org, elsewhere) -> None:
    client = elsewhere()
    with ThreadPoolExecutor(8) as pool:  # fifty different logins: no account reaches its own limit
        codes = pool.map(lambda i: log_in(client, org, f"guess-{i}", "wrong-password-1").status_code,
                         range(50))
        assert list(codes) == [401] * 50
    blocked = log_in(client, org, "admin")
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert log_in(elsewhere(), org, "admin").status_code == 200


# CSRF --------------------------------------------------------------------------------------

def test_login_answers_a_csrf_token_also_set_in_a_readable_cookie(org, elsewhere) -> None:
    client = elsewhere()
    response = log_in(client, org, "admin")
    token = response.json()["csrf_token"]
    assert len(token) >= 32 and client.cookies["barometre_csrf"] == token
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("barometre_session=") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("barometre_csrf=") and "HttpOnly" not in c for c in cookies)


@pytest.mark.parametrize("header", [None, "", "wrong-token"])
def test_a_cookie_session_post_without_the_right_csrf_token_is_refused_and_stores_nothing(
        org, login, projector_conn, header) -> None:
    admin = login(org, "admin")
    del admin.headers["X-CSRF-Token"]
    before = count_events(projector_conn, org)
    headers = {} if header is None else {"X-CSRF-Token": header}
    response = admin.post("/accounts", headers=headers, json={
        "login": "lea", "display_name": "Léa", "role": "person", "password": PASSWORD})
    assert response.status_code == 403 and response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["type"].endswith("/csrf") and "X-CSRF-Token" in response.json()["detail"]
    assert count_events(projector_conn, org) == before


def test_the_csrf_token_of_another_session_is_refused(org, login) -> None:
    first, second = login(org, "admin"), login(org, "admin")
    first.headers["X-CSRF-Token"] = second.headers["X-CSRF-Token"]
    assert first.post("/auth/logout").status_code == 403


def test_reads_need_no_csrf_token_and_writes_succeed_with_it(org, login) -> None:
    admin = login(org, "admin")
    token = admin.headers.pop("X-CSRF-Token")
    assert admin.get("/auth/me").status_code == 200
    assert admin.post("/accounts", headers={"X-CSRF-Token": token}, json={
        "login": "lea", "display_name": "Léa", "role": "person", "password": PASSWORD}).status_code == 201


def test_a_bearer_token_needs_no_csrf_token(org, login, anonymous) -> None:
    issued = login(org, "admin").post("/auth/tokens", json={"name": "import"}).json()
    response = anonymous.post("/accounts", headers={"authorization": f"Bearer {issued['token']}"}, json={
        "login": "lea", "display_name": "Léa", "role": "person", "password": PASSWORD})
    assert response.status_code == 201


# Ending sessions ---------------------------------------------------------------------------

def test_revoke_all_ends_every_session_of_the_caller_and_only_theirs(org, login) -> None:
    person = org.open("person")
    phone, laptop = login(org, person.login), login(org, person.login)
    admin = login(org, "admin")
    response = laptop.post("/auth/sessions/revoke-all")
    assert response.status_code == 200 and response.json() == {"sessions_ended": 2}
    assert phone.get("/auth/me").status_code == 401
    assert laptop.get("/auth/me").status_code == 401
    assert admin.get("/auth/me").status_code == 200


def test_an_org_admin_ends_every_session_of_one_of_their_users(org, login) -> None:
    practitioner = org.open("practitioner")
    sessions = [login(org, practitioner.login) for _ in range(2)]
    admin = login(org, "admin")
    response = admin.post(f"/accounts/{practitioner.user_id}/sessions/revoke")
    assert response.status_code == 200 and response.json() == {"sessions_ended": 2}
    assert [s.get("/auth/me").status_code for s in sessions] == [401, 401]
    assert admin.get("/auth/me").status_code == 200


def test_only_an_admin_of_the_same_organization_ends_someone_elses_sessions(org, new_org, login) -> None:
    practitioner = org.open("practitioner")
    session = login(org, practitioner.login)
    other_admin = login(new_org(), "admin")
    colleague = login(org, org.open("practitioner").login)
    assert other_admin.post(f"/accounts/{practitioner.user_id}/sessions/revoke").status_code == 404
    assert colleague.post(f"/accounts/{practitioner.user_id}/sessions/revoke").status_code == 403
    assert session.get("/auth/me").status_code == 200


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(org, login, elsewhere) -> None:
    person = org.open("person")
    this, other = login(org, person.login), login(org, person.login)
    changed = this.post("/auth/password", json={"current_password": PASSWORD,
                                                "new_password": "a-brand-new-secret"})
    assert changed.status_code == 200, changed.text
    assert this.get("/auth/me").status_code == 200
    assert other.get("/auth/me").status_code == 401
    assert log_in(elsewhere(), org, person.login).status_code == 401  # type: ignore[attr-defined]
    assert log_in(elsewhere(), org, person.login, "a-brand-new-secret").status_code == 200  # type: ignore[attr-defined]


def test_a_wrong_current_password_is_refused_and_stores_nothing(org, away, projector_conn) -> None:
    client = away(org, org.open("person").login)
    before = count_events(projector_conn, org)
    response = client.post("/auth/password", json={"current_password": "wrong-password-1",
                                                   "new_password": "a-brand-new-secret"})
    assert response.status_code == 403 and "current password" in response.json()["detail"]
    assert count_events(projector_conn, org) == before


def test_guessing_the_current_password_from_a_session_is_limited_too(org, away) -> None:
    client = away(org, org.open("person").login)
    body = {"current_password": "wrong-password-1", "new_password": "a-brand-new-secret"}
    codes = [client.post("/auth/password", json=body).status_code for _ in range(6)]
    assert codes == [403] * 5 + [429]
    right = client.post("/auth/password", json={**body, "current_password": PASSWORD})
    assert right.status_code == 429


# Password policy ---------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "message"), [
    ("eleven-char", "at least 12 characters"),
    ("zzzzzzzzzzzzzz", "one character repeated"),
    ("i-am-sam-smith-2026", "must not contain the login"),
    ("motdepasse123", "most common"),
])
def test_a_password_breaking_the_policy_is_refused_with_a_clear_message(
        org, login, projector_conn, password, message) -> None:
    admin = login(org, "admin")
    before = count_events(projector_conn, org)
    response = admin.post("/accounts", json={"login": "sam-smith", "display_name": "Sam",
                                             "role": "person", "password": password})
    assert response.status_code == 422 and message in response.json()["detail"]
    assert count_events(projector_conn, org) == before


def test_a_new_password_breaking_the_policy_is_refused(org, login) -> None:
    client = login(org, org.open("person").login)
    response = client.post("/auth/password", json={"current_password": PASSWORD,
                                                   "new_password": "password1234"})
    assert response.status_code == 422 and "most common" in response.json()["detail"]


# Two-step login (TOTP) ---------------------------------------------------------------------

def enrol(client: httpx.Client) -> str:
    started = client.post("/auth/totp")
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = client.post("/auth/totp/confirm", json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200, confirmed.text
    return secret


def test_a_practitioner_enrols_and_then_logs_in_only_with_a_code(org, login, elsewhere) -> None:
    practitioner = org.open("practitioner")
    secret = enrol(login(org, practitioner.login))
    name = practitioner.login  # type: ignore[attr-defined]
    without = log_in(elsewhere(), org, name)
    assert without.status_code == 401 and "totp_code" in without.json()["detail"]
    assert log_in(elsewhere(), org, name, totp_code=wrong_code(secret)).status_code == 401
    assert log_in(elsewhere(), org, name, totp_code=pyotp.TOTP(secret).now()).status_code == 200


def test_a_pending_enrolment_needs_the_right_code_to_become_active(org, away, elsewhere) -> None:
    practitioner = org.open("practitioner")
    client = away(org, practitioner.login)
    secret = client.post("/auth/totp").json()["secret"]
    assert log_in(elsewhere(), org, practitioner.login).status_code == 200  # type: ignore[attr-defined]
    assert client.post("/auth/totp/confirm", json={"code": wrong_code(secret)}).status_code == 403
    assert log_in(elsewhere(), org, practitioner.login).status_code == 200  # type: ignore[attr-defined]


def test_a_missing_or_wrong_code_counts_as_a_failed_login(org, login, elsewhere) -> None:
    manager = org.open("team_manager")
    secret = enrol(login(org, manager.login))
    client = elsewhere()
    codes = [log_in(client, org, manager.login, **({"totp_code": wrong_code(secret)} if i % 2 else {}))  # type: ignore[attr-defined]
             .status_code for i in range(5)]
    assert codes == [401] * 5
    locked = log_in(client, org, manager.login, totp_code=pyotp.TOTP(secret).now())  # type: ignore[attr-defined]
    assert locked.status_code == 429


def test_two_step_login_turns_off_with_a_current_code(org, away, elsewhere) -> None:
    admin = away(org, "admin")
    secret = enrol(admin)
    assert admin.request("DELETE", "/auth/totp", json={"code": wrong_code(secret)}).status_code == 403
    assert admin.request("DELETE", "/auth/totp", json={"code": pyotp.TOTP(secret).now()}).status_code == 200
    assert log_in(elsewhere(), org, "admin").status_code == 200


@pytest.mark.parametrize("role", ["person", "close_person"])
def test_persons_and_close_persons_cannot_enrol(org, login, projector_conn, role) -> None:
    client = login(org, org.open(role).login)
    before = count_events(projector_conn, org)
    response = client.post("/auth/totp")
    assert response.status_code == 403 and response.headers["content-type"].startswith(PROBLEM)
    assert count_events(projector_conn, org) == before
