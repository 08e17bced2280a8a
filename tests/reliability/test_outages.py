"""PostgreSQL or Redis stopped for real while a real web process serves requests: every
answer is fast (within 2.5 s), the ones that need the stopped server are 503 problem+json with
Retry-After (never 500), and once the server is back every request succeeds, without
restarting the web. Both servers are private to this module (the machine's are shared)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Self

import httpx
import psycopg
import pytest

from infra.database.params import DbParams
from infra.platform import Servers, WriteSide, all_projections, event_mapper, prepare_database
from infra.projector import ProjectionRunner
from tests.conftest import PASSWORD
from tests.reliability.conftest import admin_url
from tests.reliability.stoppable_servers import StoppablePostgres, StoppableRedis
from tests.reliability.web_process import web_process

ANSWERED_WITHIN = 2.5  # seconds, for every request, whatever the servers are doing
OUTAGE_SECONDS = 2.5
CLIENTS = 4  # concurrent clients, more than the web's service threads (3)


@dataclass
class Platform:
    postgres: StoppablePostgres
    redis: StoppableRedis
    url: str
    organization: str
    person_login: str
    person_id: str
    assessment_ids: list[str]  # one per client: no two clients change one record at once


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    postgres, redis = StoppablePostgres(), StoppableRedis()
    try:
        servers = Servers(DbParams.from_url(postgres.url).on_database("barometre"), redis.url)
        prepare_database(servers)
        organization, login, person_id, assessment_ids = _seed(servers)
        env = {"BAROMETRE_DATABASE_URL": admin_url(servers.admin),
               "BAROMETRE_REDIS_URL": redis.url,
               "BAROMETRE_SESSION_CACHE_MS": "0"}  # every request asks Redis for its session
        with web_process(env) as url:
            yield Platform(postgres, redis, url, organization, login, person_id, assessment_ids)
    finally:
        postgres.close()
        redis.close()


def _seed(servers: Servers) -> tuple[str, str, str, list[str]]:
    """An organization with a person who has assessments, projected (no projector runs)."""
    side = WriteSide(servers, pool_size=1)
    try:
        slug = f"outage-{secrets.token_hex(3)}"
        side.accounts.register_organization(slug, "Organisme", "qc", "admin", "Admin", PASSWORD)
        admin = side.accounts.authenticate(slug, "admin", PASSWORD)
        person_id = side.accounts.open_account(admin, "marie", "Marie", "person", PASSWORD).id
        person = side.accounts.actor(admin.tenant_id, person_id)
        assessments = [str(side.quality_of_life.open_assessment(person, person_id).id)
                       for _ in range(CLIENTS)]
    finally:
        side.close()
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
        for projection in all_projections():
            ProjectionRunner(projection, event_mapper()).catch_up(conn)
    return slug, "marie", str(person_id), assessments


def _client(platform: Platform) -> httpx.Client:
    client = httpx.Client(base_url=platform.url + "/api/v1", timeout=15)
    answer = client.post("/auth/login", json={"organization": platform.organization,
                                              "login": platform.person_login, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def _requests(platform: Platform, assessment: str) -> list[Callable[[httpx.Client], httpx.Response]]:
    """Each needs PostgreSQL and Redis: reads through the consent guard (asyncpg), a command
    (the services' psycopg pool), the organization (the write side's read), a login."""
    person = f"/persons/{platform.person_id}"
    rating = {"ratings": [{"theme": "housing", "value": 60}]}
    return [
        lambda c: c.get(f"{person}/ratings"),
        lambda c: c.post(f"{person}/assessments/{assessment}/ratings", json=rating),
        lambda c: c.get("/organization"),
        lambda c: c.get(f"{person}/assessments/{assessment}"),
        lambda c: httpx.post(platform.url + "/api/v1/auth/login", timeout=15,  # its own cookies
                             json={"organization": platform.organization,
                                   "login": platform.person_login, "password": PASSWORD}),
    ]


@dataclass(frozen=True)
class Answer:
    request: str
    started: float
    ended: float
    status: int
    media_type: str
    retry_after: str | None
    body: str


class Load:
    """CLIENTS threads sending the requests in turn, until stopped; every answer kept."""

    def __init__(self, platform: Platform) -> None:
        self.requests = [_requests(platform, assessment) for assessment in platform.assessment_ids]
        self.clients = [_client(platform) for _ in range(CLIENTS)]
        self.answers: list[Answer] = []
        self.stop = threading.Event()
        self.pool = ThreadPoolExecutor(CLIENTS)

    def __enter__(self) -> Self:
        self.runs = [self.pool.submit(self._run, c, i) for i, c in enumerate(self.clients)]
        return self

    def _run(self, client: httpx.Client, offset: int) -> None:
        turn = offset
        while not self.stop.is_set():
            started = time.monotonic()
            requests = self.requests[offset]
            answer = requests[turn % len(requests)](client)
            self.answers.append(Answer(f"{answer.request.method} {answer.request.url.path}",
                                       started, time.monotonic(), answer.status_code,
                                       answer.headers.get("content-type", ""),
                                       answer.headers.get("retry-after"), answer.text[:200]))
            turn += 1
            time.sleep(0.02)

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for run in self.runs:
            run.result(timeout=60)  # a client's exception (e.g. a read timeout) fails the test
        self.pool.shutdown()
        for client in self.clients:
            client.close()

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if a.started >= start and a.ended <= end]


def _outage(platform: Platform, stop: Callable[[], None], start: Callable[[], None]) -> None:
    with Load(platform) as load:
        time.sleep(0.5)
        before = time.monotonic()
        stop()
        down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        restarting = time.monotonic()
        start()
        back = time.monotonic()
        time.sleep(2.5)
        end = time.monotonic()

    answers = load.answers
    slow = [a for a in answers if a.ended - a.started > ANSWERED_WITHIN]
    assert not slow, f"answered after more than {ANSWERED_WITHIN} s: {slow[:3]}"
    failures = [a for a in answers if a.status >= 300 and not _unavailable(a)]
    assert not failures, (f"not a 2xx nor a 503 with Retry-After: {failures[:3]}; stopped"
                          f" {before:.2f}-{down:.2f}, started {restarting:.2f}-{back:.2f}")
    assert all(a.status < 300 for a in load.between(0, before))
    during = load.between(down, restarting)
    assert len(during) >= 20 and all(_unavailable(a) for a in during), during[:3]
    after = load.between(back, end)
    assert len(after) >= 20 and all(a.status < 300 for a in after), \
        [a for a in after if a.status >= 300][:3]


def _unavailable(answer: Answer) -> bool:
    return (answer.status == 503 and answer.media_type == "application/problem+json"
            and answer.retry_after is not None and int(answer.retry_after) > 0)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_while_postgresql_is_stopped_requests_are_answered_503_fast_and_all_succeed_after(
        platform, mode):
    _outage(platform, lambda: platform.postgres.stop(mode), platform.postgres.start)


def test_while_redis_is_stopped_requests_are_answered_503_fast_and_all_succeed_after(platform):
    _outage(platform, platform.redis.stop, platform.redis.start)
