"""The API served by uvicorn on a real port, with a projector following the events."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn

from infra.http.app import create_app
from infra.platform import Servers, WriteSide, all_projections, event_mapper
from infra.projector import ApplicationFollower, application_runners
from tests.conftest import PASSWORD, Org


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def projector(servers: Servers) -> Iterator[None]:
    stop = threading.Event()
    runners = application_runners(all_projections(), event_mapper())
    followers = [ApplicationFollower(servers.projector_db().conninfo(), "all", runners, stop, 0.2)]
    for follower in followers:
        follower.start()
    yield
    stop.set()
    for follower in followers:
        follower.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(servers: Servers, write_side: WriteSide, projector: None) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(servers, write_side=write_side),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def login(base_url: str) -> Iterator[Callable[..., httpx.Client]]:
    """Logs a user in and returns an HTTP client that carries their session cookie."""
    clients: list[httpx.Client] = []

    def make(org: Org, login: str, password: str = PASSWORD) -> httpx.Client:
        client = httpx.Client(base_url=base_url + "/api/v1", timeout=30)
        clients.append(client)
        response = client.post("/auth/login", json={"organization": org.slug, "login": login,
                                                    "password": password})
        assert response.status_code == 200, response.text
        return client
    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url + "/api/v1", timeout=30) as client:
        yield client


def count_events(projector_conn: psycopg.Connection[Any], org: Org) -> int:
    """Events of every application stored for this tenant (the projector role sees all)."""
    row = projector_conn.execute(
        "SELECT (SELECT count(*) FROM qualityoflife_events WHERE tenant_id = %(t)s)"
        " + (SELECT count(*) FROM accounts_events WHERE tenant_id = %(t)s)",
        {"t": org.tenant_id}).fetchone()
    assert row is not None
    return int(row[0])
