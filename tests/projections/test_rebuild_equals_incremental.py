"""The law of the read side: views built event by event, caught up at any moment, equal the
same views rebuilt from position 0."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.accounts.account import LoginName
from domain.errors import DomainError
from infra.platform import all_projections, event_mapper
from infra.rebuild import rebuild
from services.actor import Actor
from services.tenancy import tenant_scope

PASSWORD = "correct-horse-battery"
# Few themes over three spheres, so ratings, stars and averages collide often.
THEMES = ("housing", "food", "income", "sleep", "physical_health", "stress", "hope", "pride")
PROJECTIONS = [p for p in all_projections() if p.application in ("Accounts", "QualityOfLife")]
READ_TABLES = tuple(table for p in PROJECTIONS for table in p.tables)

index = st.integers(0, 5)
theme = st.sampled_from(THEMES)
value = st.integers(0, 100)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
               max_size=40).filter(str.strip)
commands = st.lists(st.one_of(
    st.tuples(st.just("open"), index),
    st.tuples(st.just("rate"), index, st.lists(st.tuples(theme, value), min_size=1, max_size=4)),
    st.tuples(st.just("perceive"), index, index, st.lists(st.tuples(theme, value), min_size=1,
                                                          max_size=3), st.none() | text),
    st.tuples(st.just("comment"), index, theme, text),
    st.tuples(st.just("star"), index, theme),
    st.tuples(st.just("unstar"), index, theme),
    st.tuples(st.just("complete"), index),
    st.just(("catch_up",)),
), min_size=1, max_size=25)


def tenant_contents(conn: psycopg.Connection[Any], tenant_id: UUID) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read table for the tenant, all columns, in a stable order."""
    contents = {}
    for table in READ_TABLES:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT * FROM {} WHERE tenant_id = %s").format(
                sql.Identifier(table)), [tenant_id])
            contents[table] = sorted(cur.fetchall(), key=repr)
    return contents


class Scenario:
    """Applies generated commands through the services; refused ones change nothing."""

    def __init__(self, side: Any, persons: int, practitioners: int) -> None:
        slug = f"prop-{secrets.token_hex(5)}"
        accounts = side.accounts
        self.tenant_id = accounts.register_organization(slug, slug, "qc", "admin", "Admin",
                                                        PASSWORD).id
        with tenant_scope(self.tenant_id):  # the admin, without paying for a password check
            index = accounts.load(LoginName.create_id(self.tenant_id, "admin"), LoginName, "login")
        admin = accounts.actor(self.tenant_id, index.account_id)

        def open_account(role: str, n: int) -> Actor:
            opened = accounts.open_account(admin, f"{role}-{n}", f"{role} {n}", role, PASSWORD)
            return accounts.actor(self.tenant_id, opened.id)
        self.persons = [open_account("person", n) for n in range(persons)]
        self.practitioners = [open_account("practitioner", n) for n in range(practitioners)]
        self.assessments: list[tuple[UUID, Actor]] = []
        self.qol = side.quality_of_life

    def run(self, command: tuple[Any, ...], catch_up: Any) -> None:
        kind, *args = command
        if kind == "catch_up":
            catch_up()
            return
        if kind == "open":
            person = self.persons[args[0] % len(self.persons)]
            self.assessments.append((self.qol.open_assessment(person, person.user_id).id, person))
            return
        if not self.assessments:
            return
        assessment, person = self.assessments[args[0] % len(self.assessments)]
        try:
            if kind == "rate":
                self.qol.rate(person, assessment, args[1])
            elif kind == "perceive":
                practitioner = self.practitioners[args[1] % len(self.practitioners)]
                self.qol.record_perceptions(practitioner, assessment, args[2], comment=args[3])
            elif kind == "comment":
                self.qol.comment(person, assessment, args[1], args[2])
            elif kind in ("star", "unstar"):
                getattr(self.qol, kind)(person, assessment, args[1])
            else:
                self.qol.complete(person, assessment)
        except DomainError:
            pass  # a 4th star, a completed assessment: refused, nothing stored


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(persons=st.integers(1, 3), practitioners=st.integers(1, 2), script=commands)
def test_views_built_incrementally_equal_views_rebuilt_from_zero(
        write_side, catch_up, projector_conn, persons, practitioners, script) -> None:
    scenario = Scenario(write_side, persons, practitioners)
    for command in [("open", 0), *script]:
        scenario.run(command, catch_up)
    catch_up()
    incremental = tenant_contents(projector_conn, scenario.tenant_id)
    assert {"account_directory", "qol_theme_history", "qol_sphere_averages"} <= set(incremental)
    assert len(incremental["account_directory"]) == 1 + persons + practitioners
    assert len(incremental["qol_assessments"]) == len(scenario.assessments)

    rebuild(projector_conn, PROJECTIONS, event_mapper(), batch_size=97)  # new tables, swapped in
    rebuilt = tenant_contents(projector_conn, scenario.tenant_id)

    assert rebuilt == incremental
