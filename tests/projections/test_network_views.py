"""The ecomap read models after real commands: the current map, the history of each
relationship, the map as of an instant and the diff of two instants (queried as the web role)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import psycopg
import pytest

from projections.network import queries
from services.network import NewRelationship, Revision

T = TypeVar("T")


async def first_page(query: Callable[..., Awaitable[tuple[list[T], Any]]], *args: Any) -> list[T]:
    """The rows of the first page of a paged query."""
    return (await query(*args))[0]


def new(name: str, quality: int, kind: str = "friend") -> NewRelationship:
    return NewRelationship(name, kind, quality, "middle", "monthly")


def latest_valid_from(conn: psycopg.Connection[Any], tenant_id: UUID) -> datetime:
    row = conn.execute("SELECT max(valid_from) FROM network_relationship_history"
                       " WHERE tenant_id = %s", [tenant_id]).fetchone()
    assert row is not None and row[0] is not None
    return row[0]  # type: ignore[no-any-return]


@pytest.fixture
def web_query(servers):  # type: ignore[no-untyped-def]
    """Runs a query function as the web role, inside a transaction that carries the tenant."""
    async def run(tenant_id: UUID, query: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        conn = await asyncpg.connect(**servers.web_db().asyncpg_kwargs())
        try:
            async with conn.transaction(readonly=True):
                await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
                return await query(conn)
        finally:
            await conn.close()
    return run


def test_history_keeps_the_full_state_after_every_change(org, write_side, catch_up,
                                                         projector_conn) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    network = write_side.network
    rid = network.add(person, person.user_id, NewRelationship(
        "Marc", "professional", 3, "outer", "monthly", label="travailleur social",
        supports=["informational"])).id
    network.revise(practitioner, person.user_id, rid, Revision(quality=4, supports=[
        "informational", "practical"]))
    network.revise(person, person.user_id, rid, Revision(comment="Il m'aide pour le logement"))
    network.end(person, person.user_id, rid)
    catch_up()
    rows = projector_conn.execute(
        "SELECT version, change, author_id, quality, supports, comment, label,"
        " ended_at IS NOT NULL, valid_from FROM network_relationship_history"
        " WHERE tenant_id = %s AND relationship_id = %s ORDER BY version",
        [org.tenant_id, rid]).fetchall()
    p, q = person.user_id, practitioner.user_id
    assert [r[:8] for r in rows] == [
        (1, "added", p, 3, ["informational"], None, "travailleur social", False),
        (2, "rated", q, 4, ["informational"], None, "travailleur social", False),
        (3, "supports_changed", q, 4, ["practical", "informational"], None,
         "travailleur social", False),
        (4, "commented", p, 4, ["practical", "informational"], "Il m'aide pour le logement",
         "travailleur social", False),
        (5, "ended", p, 4, ["practical", "informational"], "Il m'aide pour le logement",
         "travailleur social", True),
    ]
    assert [r[8] for r in rows] == sorted(r[8] for r in rows)
    current = projector_conn.execute(
        "SELECT version, quality, ended_at = %s, ended_by, updated_by FROM network_relationships"
        " WHERE tenant_id = %s AND relationship_id = %s",
        [rows[-1][8], org.tenant_id, rid]).fetchone()
    assert current == (5, 4, True, p, p)


async def test_the_map_as_of_an_instant_and_the_changes_between_two_instants(
        org, write_side, catch_up, projector_conn, web_query) -> None:
    person = org.open("person")
    network = write_side.network
    me = person.user_id
    a = network.add(person, me, new("Amélie", 3)).id
    b = network.add(person, me, new("Bruno", 4)).id
    d = network.add(person, me, new("Denise", 2, "neighbour")).id
    catch_up()
    t1 = latest_valid_from(projector_conn, org.tenant_id)
    network.revise(person, me, a, Revision(quality=5))
    network.revise(person, me, b, Revision(quality=2, name="Bruno G."))
    network.end(person, me, d)
    c = network.add(person, me, new("Chloé", 3)).id
    e = network.add(person, me, new("Éric", 1)).id
    network.end(person, me, e)  # added and ended in between: on neither map
    f = network.add(person, me, new("Fanny", 3)).id
    network.revise(person, me, f, Revision(quality=5))
    catch_up()
    t2 = latest_valid_from(projector_conn, org.tenant_id)

    def names(rows: list[asyncpg.Record]) -> list[tuple[str, int]]:
        return [(r["name"], r["quality"]) for r in rows]
    before = t1 - timedelta(hours=1)
    assert await web_query(org.tenant_id, lambda db: first_page(queries.map_as_of, db, me, before)) == []
    at_t1 = await web_query(org.tenant_id, lambda db: first_page(queries.map_as_of, db, me, t1))
    assert names(at_t1) == [("Amélie", 3), ("Bruno", 4), ("Denise", 2)]
    at_t2 = await web_query(org.tenant_id, lambda db: first_page(queries.map_as_of, db, me, t2))
    assert names(at_t2) == [("Amélie", 5), ("Bruno G.", 2), ("Chloé", 3), ("Fanny", 5)]
    with_ended = await web_query(org.tenant_id, lambda db: first_page(queries.map_as_of, db, me, t2, True))
    assert {r["name"] for r in with_ended if r["ended_at"]} == {"Denise", "Éric"}
    current = await web_query(org.tenant_id, lambda db: first_page(queries.current_map, db, me))
    assert names(current) == names(at_t2)
    assert [dict(r) for r in current] == [dict(r) for r in at_t2]

    diff = await web_query(org.tenant_id, lambda db: first_page(queries.changes_between, db, me, t1, t2))
    got = {(r["change"], r["relationship_id"], r["quality_before"], r["quality_after"])
           for r in diff}
    assert got == {("improved", a, 3, 5), ("worsened", b, 4, 2), ("ended", d, 2, 2),
                   ("added", c, None, 3), ("added", f, None, 5)}
    same = await web_query(org.tenant_id, lambda db: first_page(queries.changes_between, db, me, t2, t2))
    assert same == []


async def test_a_quality_that_goes_up_and_back_is_no_change(org, write_side, catch_up,
                                                             projector_conn, web_query) -> None:
    person = org.open("person")
    network = write_side.network
    rid = network.add(person, person.user_id, new("Gilles", 3)).id
    catch_up()
    t1 = latest_valid_from(projector_conn, org.tenant_id)
    network.revise(person, person.user_id, rid, Revision(quality=5))
    network.revise(person, person.user_id, rid, Revision(quality=3, closeness="inner"))
    catch_up()
    t2 = latest_valid_from(projector_conn, org.tenant_id)
    assert await web_query(org.tenant_id, lambda db: first_page(queries.changes_between, 
        db, person.user_id, t1, t2)) == []


async def test_another_tenants_network_is_invisible_to_the_queries(
        new_org, write_side, catch_up, web_query) -> None:
    first, second = new_org(), new_org()
    person = first.open("person")
    write_side.network.add(person, person.user_id, new("Hélène", 4))
    catch_up()
    assert len(await web_query(first.tenant_id, lambda db: first_page(queries.current_map, 
        db, person.user_id))) == 1
    assert await web_query(second.tenant_id, lambda db: first_page(queries.current_map, 
        db, person.user_id)) == []
