"""The law of the ecomap's read side: views built event by event, caught up at random
moments, equal the same views rebuilt from position 0."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.errors import DomainError
from domain.network.vocabulary import CLOSENESS, FREQUENCIES, RELATIONSHIP_TYPES, SUPPORT_KINDS
from infra.platform import event_mapper
from infra.rebuild import rebuild
from projections.network.views import PROJECTIONS
from services.actor import Actor
from services.network import KEEP, NewRelationship, Revision

PASSWORD = "correct-horse-battery"
TABLES = tuple(table for cls in PROJECTIONS for table in cls.tables)

index = st.integers(0, 5)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
               max_size=30).filter(str.strip)
quality = st.integers(0, 6)  # 0 and 6 are refused, and must leave no trace
supports = st.lists(st.sampled_from(SUPPORT_KINDS), max_size=5)
kind = st.sampled_from(RELATIONSHIP_TYPES)
closeness = st.sampled_from(CLOSENESS)
frequency = st.sampled_from(FREQUENCIES)


def keep_or(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.just(KEEP) | strategy


revision = st.builds(Revision, name=keep_or(text), relationship_type=keep_or(kind),
                     label=keep_or(st.none() | text), quality=keep_or(quality),
                     closeness=keep_or(closeness), supports=keep_or(supports),
                     frequency=keep_or(frequency), comment=keep_or(text))
new = st.builds(NewRelationship, name=text, relationship_type=kind, quality=quality,
                closeness=closeness, frequency=frequency, label=st.none() | text,
                supports=supports, comment=st.none() | text)
commands = st.lists(st.one_of(
    st.tuples(st.just("add"), index, new),
    st.tuples(st.just("revise"), index, index, revision),
    st.tuples(st.just("end"), index, index),
    st.just(("catch_up",)),
), min_size=1, max_size=25)


def tenant_contents(conn: psycopg.Connection[Any], tenant_id: UUID) -> dict[str, list[Any]]:
    contents = {}
    for table in TABLES:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT * FROM {} WHERE tenant_id = %s").format(
                sql.Identifier(table)), [tenant_id])
            contents[table] = sorted(cur.fetchall(), key=repr)
    return contents


class Scenario:
    """Applies generated commands through the service; refused ones change nothing."""

    def __init__(self, side: Any, persons: int) -> None:
        slug = f"net-{secrets.token_hex(5)}"
        accounts = side.accounts
        self.tenant_id = accounts.register_organization(slug, slug, "qc", "admin", "Admin",
                                                        PASSWORD).id
        admin = accounts.authenticate(slug, "admin", PASSWORD)

        def open_account(role: str, n: int) -> Actor:
            opened = accounts.open_account(admin, f"{role}-{n}", f"{role} {n}", role, PASSWORD)
            return accounts.actor(self.tenant_id, opened.id)
        self.persons = [open_account("person", n) for n in range(persons)]
        self.practitioner = open_account("practitioner", 0)
        self.relationships: list[tuple[UUID, Actor]] = []
        self.network = side.network

    def author(self, n: int, person: Actor) -> Actor:
        return self.practitioner if n % 2 else person

    def run(self, command: tuple[Any, ...], catch_up: Any) -> None:
        kind, *args = command
        try:
            if kind == "catch_up":
                catch_up()
            elif kind == "add":
                person = self.persons[args[0] % len(self.persons)]
                added = self.network.add(self.author(args[0], person), person.user_id, args[1])
                self.relationships.append((added.id, person))
            elif self.relationships:
                rid, person = self.relationships[args[0] % len(self.relationships)]
                if kind == "revise":
                    self.network.revise(self.author(args[1], person), person.user_id, rid,
                                        args[2])
                else:
                    self.network.end(self.author(args[1], person), person.user_id, rid)
        except DomainError:
            pass  # a bad value, an ended relationship, an empty revision: nothing stored


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(persons=st.integers(1, 2), script=commands)
def test_network_views_built_incrementally_equal_views_rebuilt_from_zero(
        write_side, catch_up, projector_conn, persons, script) -> None:
    scenario = Scenario(write_side, persons)
    for command in script:
        scenario.run(command, catch_up)
    catch_up()
    incremental = tenant_contents(projector_conn, scenario.tenant_id)
    assert len(incremental["network_relationships"]) == len(scenario.relationships)
    versions = sum(r[-1] for r in projector_conn.execute(
        "SELECT max(version) FROM network_relationship_history WHERE tenant_id = %s"
        " GROUP BY relationship_id", [scenario.tenant_id]).fetchall())
    assert len(incremental["network_relationship_history"]) == versions

    for projection in PROJECTIONS:
        rebuild(projector_conn, [projection()], event_mapper(), batch_size=7)
    rebuilt = tenant_contents(projector_conn, scenario.tenant_id)

    assert rebuilt == incremental
