"""Reliability fixtures: a real Celery worker on the session's Redis, data in every read model,
and the environment that points the `barometre` command at the session's database."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from psycopg import sql

from infra.celery_app import make_celery
from infra.database.migrate import drop_database
from infra.database.params import DbParams
from infra.platform import Servers, WriteSide, prepare_database
from infra.settings import get_settings
from tests.conftest import Org

Snapshot = dict[str, list[tuple[Any, ...]]]


# Celery ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def celery_queue() -> str:
    """A queue of this session only: sessions running side by side share one Redis."""
    return f"barometre-test-{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def celery_app(servers: Servers, celery_queue: str) -> Celery:
    import celery.contrib.testing.tasks  # noqa: F401  (the ping task start_worker sends)

    app = make_celery(servers, queue=celery_queue)
    app.conf.barometre_rebuild_batch_size = 3  # small batches, so a rebuild reports progress often
    return app


@pytest.fixture(scope="session")
def celery_worker(celery_app: Celery) -> Iterator[Any]:
    """A real worker, in a thread of this process, consuming the session's queue."""
    with start_worker(celery_app, pool="threads", concurrency=2, shutdown_timeout=30) as worker:
        yield worker


# Data -----------------------------------------------------------------------------------------
@pytest.fixture
def populated_org(org: Org, write_side: WriteSide) -> Org:
    """An organization with rows in every read model: accounts, ratings, comments, stars."""
    person, practitioner = org.open("person"), org.open("practitioner")
    qol = write_side.quality_of_life
    assessment = qol.open_assessment(practitioner, person.user_id).id
    qol.rate(person, assessment, [("housing", 70), ("food", 40), ("stress", 55)])
    qol.rate(person, assessment, [("housing", 80)])
    qol.record_perceptions(practitioner, assessment, [("housing", 50), ("food", 45)], "vu ensemble")
    qol.comment(person, assessment, "food", "les fins de mois")
    for theme in ("housing", "food"):
        qol.star(person, assessment, theme)
    qol.unstar(person, assessment, "food")
    qol.complete(practitioner, assessment)
    team = write_side.teams.create_team(org.admin, "Équipe A").id
    write_side.teams.add_practitioner(org.admin, team, practitioner.user_id)
    from services.network import NewRelationship, Revision  # the ecomap tab
    sister = write_side.network.add(person, person.user_id, NewRelationship(
        "Sophie", "family", 4, "inner", "weekly", supports=["emotional"])).id
    write_side.network.revise(practitioner, person.user_id, sister, Revision(quality=2))
    write_side.network.end(person, person.user_id, sister)
    strength = write_side.strengths.note(person, person.user_id, "skill", "Je cuisine").id
    write_side.strengths.reword(practitioner, person.user_id, strength, "Je cuisine pour tous")
    goal = write_side.plan.set_goal(person, person.user_id, "Finir mes cours", ["food"],
                                    [strength]).id
    write_side.plan.add_action(practitioner, person.user_id, goal, "M'inscrire", "person")
    write_side.consent.grant(person, person.user_id, "practitioner", practitioner.user_id,
                             ["plan"], "read")
    write_side.consent.request_access(practitioner, person.user_id, ["strengths"], "read", "suivi")
    return org


@pytest.fixture
def read_tables(projector_conn: psycopg.Connection[Any]) -> Callable[[tuple[str, ...]], Snapshot]:
    """Full contents of tables, every tenant, in a stable order (the projector bypasses RLS)."""
    def read(tables: tuple[str, ...]) -> Snapshot:
        query = sql.SQL("SELECT * FROM {}")
        return {t: sorted(projector_conn.execute(query.format(sql.Identifier(t))).fetchall(),
                          key=repr) for t in tables}
    return read


@pytest.fixture
def count_events(projector_conn: psycopg.Connection[Any]) -> Callable[[str], int]:
    def count(application: str) -> int:
        table = sql.Identifier(f"{application.lower()}_events")
        row = projector_conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        return int(row[0]) if row else 0
    return count


# The command line -----------------------------------------------------------------------------
def admin_url(admin: DbParams) -> str:
    """A URL for TCP; libpq's key=value form for a unix socket, which a URL spells awkwardly."""
    if admin.host.startswith("/"):
        return admin.conninfo()
    user = quote(admin.user) + (f":{quote(admin.password)}" if admin.password else "")
    return f"postgresql://{user}@{admin.host}:{admin.port}/{admin.dbname}"


def barometre_env(servers: Servers) -> dict[str, str]:
    """The environment that points `barometre` at these servers."""
    return {"BAROMETRE_DATABASE_URL": admin_url(servers.admin),
            "BAROMETRE_REDIS_URL": servers.redis_url}


@pytest.fixture
def cli_env(servers: Servers, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Points `barometre` (in this process or a child) at the session's database and Redis."""
    env = barometre_env(servers)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()  # settings are read once per process; re-read them with these
    yield {**os.environ, **env}
    get_settings.cache_clear()


@pytest.fixture
def own_database(servers: Servers) -> Iterator[Servers]:
    """A database of this test alone: no projector of the session (tests/http runs one) sees it."""
    dbname = f"{servers.admin.dbname}_{secrets.token_hex(3)}"
    own = Servers(servers.admin.on_database(dbname), servers.redis_url)
    prepare_database(own)
    yield own
    drop_database(own.admin, dbname)


@pytest.fixture
def own(own_database: Servers, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Servers, WriteSide]]:
    """A database of this test alone, its write side, and `barometre` pointed at it."""
    for name, value in barometre_env(own_database).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    side = WriteSide(own_database, pool_size=2)
    yield own_database, side
    side.close()
    get_settings.cache_clear()
