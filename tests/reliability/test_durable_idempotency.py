"""Idempotency keys survive crashes (ADR 28; issue 13, finding 2): a real web process and a
private Redis are killed (SIGKILL) between a keyed command and its retry, which must answer
the first answer and store nothing more."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from infra.platform import Servers, WriteSide
from tests.conftest import PASSWORD
from tests.reliability.conftest import barometre_env
from tests.reliability.stoppable_servers import StoppableRedis

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(ready: Any, what: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"{what} exited: {process.communicate()}"
        assert time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.05)


@contextmanager
def private_redis() -> Iterator[StoppableRedis]:
    """A redis-server of this test alone that keeps nothing: killed and started again, it
    comes back empty, as the machine's Redis would after a crash."""
    redis = StoppableRedis(persistent=False)
    try:
        yield redis
    finally:
        redis.close()


class WebProcess:
    """`barometre web` in its own process, on a private port."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.env = {**env, "BAROMETRE_WEB_PORT": str(self.port)}
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "infra.cli", "web"], cwd=ROOT,
                                        env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        _wait_until(self._healthy, "the web process", self.process)

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.url + "/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@contextmanager
def web_process(env: dict[str, str]) -> Iterator[WebProcess]:
    web = WebProcess(env)
    web.start()
    try:
        yield web
    finally:
        web.kill()


@pytest.fixture
def organization(own_database: Servers) -> Iterator[tuple[UUID, str, str]]:
    """An organization in a database no projector follows, and its admin's API token (a bearer
    token is checked in PostgreSQL: the requests need no Redis)."""
    side = WriteSide(own_database, pool_size=1)
    try:
        slug = f"idem-{secrets.token_hex(4)}"
        tenant = side.accounts.register_organization(slug, "Organisme", "qc", "admin", "Admin",
                                                     PASSWORD).id
        admin = side.accounts.authenticate(slug, "admin", PASSWORD)
        yield tenant, slug, side.accounts.issue_token(admin, "tests", 1).token
    finally:
        side.close()


def _teams_events(servers: Servers, tenant: UUID) -> list[tuple[UUID, int]]:
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
        rows = conn.execute("SELECT originator_id, originator_version FROM teams_events"
                            " WHERE tenant_id = %s ORDER BY notification_id", [tenant]).fetchall()
    return [(r[0], r[1]) for r in rows]


def _create_team(base: str, token: str, key: str, timeout: float = 30,
                 prefer: str | None = None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}", "idempotency-key": key}
    if prefer:
        headers["prefer"] = prefer
    return httpx.post(base + "/api/v1/teams", json={"name": "Équipe de nuit"}, headers=headers,
                      timeout=timeout)


def test_a_key_answered_before_redis_was_killed_still_answers_after_it_restarts_empty(
        own_database, organization):
    tenant, slug, token = organization
    with private_redis() as redis, web_process(
            {**os.environ, **barometre_env(own_database), "BAROMETRE_REDIS_URL": redis.url}) as web:
        first = _create_team(web.url, token, "before-the-crash")
        assert first.status_code == 201
        redis.kill()
        redis.start()  # empty: whatever Redis held is gone
        # A login uses Redis (its session), so the web's Redis connections meet the restart
        # here, whatever it answers: the retry below finds Redis working, and empty.
        httpx.post(web.url + "/api/v1/auth/login", timeout=30, json={
            "organization": slug, "login": "admin", "password": PASSWORD})
        retried = _create_team(web.url, token, "before-the-crash")
    assert retried.status_code == 201, retried.text
    assert retried.json() == first.json() and retried.headers["idempotent-replayed"] == "true"
    assert _teams_events(own_database, tenant) == [(UUID(first.json()["id"]), 1)]


def test_a_key_whose_web_process_was_killed_after_the_commit_answers_the_first_answer(
        own_database, organization):
    """No projector follows this database: with read-your-writes, the web waits after its
    commit (30 s at most) and is killed during that wait, before answering."""
    tenant, _, token = organization
    env = {**os.environ, **barometre_env(own_database), "BAROMETRE_READ_YOUR_WRITES_TIMEOUT": "30"}
    with web_process(env) as web:
        cut: list[BaseException] = []

        def send() -> None:
            try:
                _create_team(web.url, token, "cut-short", prefer="read-your-writes")
            except httpx.TransportError as lost:
                cut.append(lost)
        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 20
        while not _teams_events(own_database, tenant):
            assert time.monotonic() < deadline, "the command was not committed"
            time.sleep(0.02)
        web.kill()
        sender.join(timeout=10)
    assert len(cut) == 1  # the client never got an answer
    [(team, version)] = _teams_events(own_database, tenant)
    with web_process(env) as web:
        retried = _create_team(web.url, token, "cut-short")
    assert retried.status_code == 201, retried.text
    assert retried.headers["idempotent-replayed"] == "true"
    assert (retried.json()["id"], retried.json()["version"]) == (str(team), version)
    assert _teams_events(own_database, tenant) == [(team, version)]
