"""Consent inputs read while the session is looked up (ADR 15): used only for the session's
remembered owner, dropped otherwise; a closed session still gets its 401 and gives the
connection of the early read back to the pool; decisions from early inputs are the same as
from inputs read after the lookup."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest

from infra.access.inputs import InputsCache, read_inputs
from infra.http.app import create_app
from infra.http.inputs_prefetch import SessionOwners, start
from infra.http.sessions import COOKIE
from tests.http.conftest import grant, logged_in, serving
from tests.http.test_access_inputs_kept import _outcomes


class _Request:
    """What `start` reads of a request: its cookies."""

    def __init__(self, token: str | None) -> None:
        self.cookies = {COOKIE: token} if token else {}


async def test_early_inputs_serve_only_the_remembered_owner(org, servers, projector) -> None:
    person, practitioner, other = org.open("person"), org.open("practitioner"), org.open("practitioner")
    grant(org, person, practitioner)
    owners, kept = SessionOwners(), InputsCache(10)
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **servers.web_db().asyncpg_kwargs())
    try:
        assert start(_Request("token-a"), owners, kept, pool, person.user_id) is None  # unknown
        owners.learn("token-a", practitioner)
        prefetch = start(_Request("token-a"), owners, kept, pool, person.user_id)
        assert prefetch is not None
        conn, inputs = await prefetch.inputs_for(practitioner)
        assert conn is not None and inputs is not None
        expected = await read_inputs(conn, org.tenant_id, person.user_id, practitioner.user_id)
        await pool.release(conn)
        assert (inputs.grants, inputs.team_ids, inputs.stamp) == (
            expected.grants, expected.team_ids, expected.stamp)
        assert len(inputs.grants) == 4  # the four tabs granted

        mismatch = start(_Request("token-a"), owners, kept, pool, person.user_id)
        assert mismatch is not None
        conn, inputs = await mismatch.inputs_for(other)  # not whose the session was
        assert conn is not None and inputs is None
        await pool.release(conn)

        kept.put((org.tenant_id, practitioner.user_id, person.user_id), expected)
        assert start(_Request("token-a"), owners, kept, pool, person.user_id) is None  # kept
        assert pool.get_idle_size() == pool.get_size()
    finally:
        await pool.close()


def test_session_owners_forget_the_least_recent(org) -> None:
    owners = SessionOwners(size=2)
    a, b, c = (org.open("practitioner") for _ in range(3))
    owners.learn("a", a)
    owners.learn("b", b)
    owners.learn("a", a)  # every request of a session learns it again: a is now the most recent
    owners.learn("c", c)
    assert owners.owner("b") is None and len(owners) == 2
    assert owners.owner("a") == (org.tenant_id.int, a.user_id.int)
    assert owners.owner("c") == (org.tenant_id.int, c.user_id.int)


@pytest.fixture
def small_pool_url(servers, write_side, projector) -> Iterator[str]:
    """The API with a read pool of 2 connections: a leaked connection shows in 2 requests."""
    with serving(create_app(servers, write_side=write_side, read_pool_size=2)) as url:
        yield url


def test_a_closed_session_gets_401_and_returns_the_early_connection(org, small_pool_url,
                                                                    servers) -> None:
    first, second, practitioner = org.open("person"), org.open("person"), org.open("practitioner")
    grant(org, first, practitioner)
    grant(org, second, practitioner)
    client = logged_in(small_pool_url, org, practitioner.login, timeout=5)
    try:
        assert client.get(f"/persons/{first.user_id}/summary").status_code == 200  # learnt
        # second person: nothing kept, the session's owner known: read during the lookup
        assert client.get(f"/persons/{second.user_id}/summary").json()["tabs"] == [
            "quality_of_life", "social_network", "strengths", "plan"]
        cookie = client.cookies.get(COOKIE)
        assert client.post("/auth/logout").status_code == 204
        for person in (org.open("person") for _ in range(4)):  # unknown to the kept inputs
            dead = client.get(f"/persons/{person.user_id}/summary", cookies={COOKIE: cookie})
            assert dead.status_code == 401
    finally:
        client.close()
    again = logged_in(small_pool_url, org, practitioner.login, timeout=5)  # the pool still serves
    try:
        assert again.get(f"/persons/{first.user_id}/summary").status_code == 200
    finally:
        again.close()
    assert _outcomes(servers, org, f"/api/v1/persons/{second.user_id}/summary") == ["allowed"]
