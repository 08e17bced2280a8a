"""Helpers shared by mixed_workload.py and consent_cost.py.

The generic machinery (child processes, RSS and CPU sampling, percentiles, the bench
database, cheap setup password hashing) is harness.py's, re-exported; this module adds what the two record-level benchmarks need: an organization with practitioners,
a team, persons with content in all four tabs, consent grants, starting web processes, and
waiting until every projection has caught up."""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
from harness import (  # noqa: F401  (re-exported for the two benchmarks)
    BENCH,
    CSRF_HEADER,
    PASSWORD,
    ROOT,
    Children,
    CpuMark,
    RssSampler,
    _raise_interrupt,
    bench_database,
    cheap_password_hashing,
    command_line,
    cpu_between,
    cpu_mark,
    free_port,
    log,
    percentile,
    speed_probe,
    summary_ms,
    wait_for_health,
)

from domain.catalog import load_catalog
from infra.platform import Servers, WriteSide, all_projections, event_mapper
from infra.projector import application_runners
from infra.settings import Settings
from services.actor import Actor
from services.network import NewRelationship
from services.quality_of_life import Rating

ALL_TABS = ["quality_of_life", "social_network", "strengths", "plan"]
THEMES = list(load_catalog().themes)
NAMES = ("Lucie", "Marc", "Nadia", "Samuel", "Chloé", "Karim", "Élise", "Hugo", "Inès", "Jade")
REL_TYPES = ("family", "friend", "neighbour", "colleague", "professional", "community_resource")
CLOSENESS = ("inner", "middle", "outer")
FREQUENCIES = ("daily", "weekly", "monthly", "few_times_a_year", "rarely")
STRENGTH_KINDS = ("quality", "skill", "interest", "achievement", "value", "people", "place")


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@dataclass
class Org:
    slug: str
    tenant_id: uuid.UUID
    admin: Actor
    practitioners: list[Actor] = field(default_factory=list)
    practitioner_logins: list[str] = field(default_factory=list)
    team_id: uuid.UUID | None = None


def open_org(side: WriteSide, practitioners: int, team: bool) -> Org:
    slug = f"bench-{secrets.token_hex(4)}"
    registered = side.accounts.register_organization(
        slug, f"Organisme {slug}", "qc", "admin", "Admin", PASSWORD)
    admin = side.accounts.authenticate(slug, "admin", PASSWORD)
    org = Org(slug, registered.id, admin)
    for i in range(practitioners):
        login = f"practitioner-{i:03d}"
        result = side.accounts.open_account(admin, login, f"Intervenant {i}", "practitioner",
                                            PASSWORD)
        org.practitioners.append(Actor(result.id, org.tenant_id, "practitioner", login))
        org.practitioner_logins.append(login)
    if team:
        org.team_id = side.teams.create_team(admin, "Équipe bench").id
        for p in org.practitioners:
            side.teams.add_practitioner(admin, org.team_id, p.user_id)
    return org


def open_person(side: WriteSide, org: Org, login: str) -> Actor:
    result = side.accounts.open_account(org.admin, login, f"Personne {login}", "person", PASSWORD)
    return Actor(result.id, org.tenant_id, "person", login)


@dataclass
class Content:
    """Ids of what a person's record holds (kept by the bench to address its edits)."""

    person_id: uuid.UUID
    assessment_id: uuid.UUID  # open (never completed): the workload keeps rating in it
    relationships: list[uuid.UUID]
    strengths: list[uuid.UUID]
    goals: list[uuid.UUID]
    open_actions: dict[uuid.UUID, list[uuid.UUID]]  # goal -> actions not done yet


def relationship(rng: random.Random) -> NewRelationship:
    return NewRelationship(name=rng.choice(NAMES), relationship_type=rng.choice(REL_TYPES),
                           quality=rng.randint(1, 5), closeness=rng.choice(CLOSENESS),
                           frequency=rng.choice(FREQUENCIES))


def fill_record(side: WriteSide, author: Actor, person_id: uuid.UUID, rng: random.Random,
                ratings: int = 5, relationships: int = 1, strengths: int = 1, goals: int = 1,
                actions: int = 1) -> Content:
    """Content in all four tabs, written by `author` (a practitioner: the services leave
    consent to the HTTP guard) through the services."""
    aid = side.quality_of_life.open_assessment(author, person_id).id
    rated: list[Rating] = [(t, rng.randint(0, 100)) for t in rng.sample(THEMES, ratings)]
    side.quality_of_life.rate(author, aid, rated)
    rels = [side.network.add(author, person_id, relationship(rng)).id
            for _ in range(relationships)]
    strs = [side.strengths.note(author, person_id, rng.choice(STRENGTH_KINDS),
                                f"Force {i} de la personne").id for i in range(strengths)]
    goal_ids: list[uuid.UUID] = []
    open_actions: dict[uuid.UUID, list[uuid.UUID]] = {}
    for g in range(goals):
        gid = side.plan.set_goal(author, person_id, f"Objectif {g}", themes=[rated[0][0]],
                                 strengths=strs[:1]).id
        goal_ids.append(gid)
        open_actions[gid] = [side.plan.add_action(author, person_id, gid, f"Action {a}",
                                                  "person").id for a in range(actions)]
    return Content(person_id, aid, rels, strs, goal_ids, open_actions)


def parallel(fn: Callable[[int], Any], items: Iterable[int], threads: int, total: int,
             desc: str) -> list[Any]:
    """fn over items in threads, with a tqdm bar on stderr; results in order."""
    from tqdm import tqdm
    with ThreadPoolExecutor(threads) as pool, tqdm(total=total, desc=desc, unit="",
                                                   file=sys.stderr, mininterval=2) as bar:
        results = []
        for r in pool.map(fn, items):
            results.append(r)
            bar.update(1)
    return results


def wait_for_projections(servers: Servers, settings: Settings, children: Children,
                         timeout: float = 1800, desc: str = "projector backlog") -> float:
    """Until every projection of every application has applied every event; seconds taken."""
    from tqdm import tqdm
    runners = application_runners(all_projections(), event_mapper())
    started = time.perf_counter()
    bar = None
    with psycopg.connect(servers.projector_db(settings).conninfo(), autocommit=True) as conn:
        while True:
            children.check_alive()
            backlog = sum(r.backlog(conn) for r in runners)
            if bar is None:
                bar = tqdm(total=backlog, desc=desc, unit=" ev", file=sys.stderr, mininterval=2)
            else:
                bar.n = max(0, bar.total - backlog)
                bar.refresh()
            if backlog == 0:
                bar.close()
                return time.perf_counter() - started
            if time.perf_counter() - started > timeout:
                bar.close()
                raise RuntimeError(f"projections still {backlog} events behind after {timeout} s")
            time.sleep(1.0)


def child_env(servers: Servers, port: int | None = None) -> dict[str, str]:
    env = {**os.environ, "BAROMETRE_DATABASE_URL": servers.admin.conninfo(),
           "BAROMETRE_REDIS_URL": servers.redis_url,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if port is not None:
        env |= {"BAROMETRE_WEB_HOST": "127.0.0.1", "BAROMETRE_WEB_PORT": str(port)}
    return env


def start_projector(children: Children, servers: Servers, settings: Settings) -> Any:
    return children.start("projector", [sys.executable, str(BENCH / "projector_child.py"),
                                        "--conninfo", servers.projector_db(settings).conninfo(),
                                        "--poll", "0.2"], child_env(servers))


async def login(client: httpx.AsyncClient, slug: str, login_name: str) -> None:
    response = await client.post("/auth/login", json={
        "organization": slug, "login": login_name, "password": PASSWORD})
    if response.status_code != 200:
        raise RuntimeError(f"login of {login_name} failed: {response.status_code} {response.text}")
    if csrf := response.json().get("csrf_token"):
        client.headers[CSRF_HEADER] = csrf
