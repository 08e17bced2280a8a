"""The read side feeds the pictures: a reading's ratings per perspective, the readings that
starred a theme, and the change lists computed from two maps agree with the SQL diff."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import psycopg
import pytest

from infra.web.pictures.ecomap_words import MapRelationship
from infra.web.pictures.from_rows import ratings_by_perspective
from infra.web.pictures.network_changes import changes_between
from infra.web.pictures.talking_points import something_to_talk_about
from projections.network import queries as network_queries
from projections.quality_of_life import queries
from projections.quality_of_life.views import perspective_of
from services.network import NewRelationship, Revision

T = TypeVar("T")


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


def latest_valid_from(conn: psycopg.Connection[Any], tenant_id: UUID) -> datetime:
    row = conn.execute("SELECT max(valid_from) FROM network_relationship_history"
                       " WHERE tenant_id = %s", [tenant_id]).fetchone()
    assert row is not None and row[0] is not None
    return row[0]  # type: ignore[no-any-return]


async def test_a_readings_ratings_per_perspective_give_something_to_talk_about(
        org, write_side, catch_up, web_query) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    qol = write_side.quality_of_life
    reading = qol.open_assessment(person, person.user_id).id
    qol.rate(person, reading, [("housing", 80), ("food", 50)])
    qol.rate(person, reading, [("housing", 90)])  # the latest value counts
    qol.record_perceptions(practitioner, reading, [("housing", 40), ("food", 60)])
    other = org.open("person")
    catch_up()
    rows = await web_query(org.tenant_id, lambda db: queries.assessment_ratings(
        db, person.user_id, reading))
    by_view = ratings_by_perspective(rows)
    assert by_view == {"person": {"housing": 90, "food": 50},
                       perspective_of(practitioner.user_id): {"housing": 40, "food": 60}}
    talk = something_to_talk_about(by_view["person"],
                                   by_view[perspective_of(practitioner.user_id)])
    assert [(d.theme, d.gap) for d in talk] == [("housing", 50)]
    assert await web_query(org.tenant_id, lambda db: queries.assessment_ratings(
        db, other.user_id, reading)) == []  # not that person's reading


async def test_the_readings_that_starred_a_theme(org, write_side, catch_up, web_query) -> None:
    person = org.open("person")
    qol = write_side.quality_of_life
    first = qol.open_assessment(person, person.user_id).id
    qol.star(person, first, "housing")
    qol.complete(person, first)
    second = qol.open_assessment(person, person.user_id).id
    qol.star(person, second, "food")
    catch_up()
    me = person.user_id
    assert await web_query(org.tenant_id, lambda db: queries.starred_assessments(
        db, me, "housing")) == {first}
    assert await web_query(org.tenant_id, lambda db: queries.starred_assessments(
        db, me, "sleep")) == set()


async def test_the_change_lists_from_two_maps_agree_with_the_sql_diff(
        org, write_side, catch_up, projector_conn, web_query) -> None:
    person = org.open("person")
    network, me = write_side.network, person.user_id

    def new(name: str, quality: int) -> NewRelationship:
        return NewRelationship(name, "friend", quality, "middle", "monthly")
    a, b, d = (network.add(person, me, new(n, q)).id for n, q in
               (("Amélie", 3), ("Bruno", 4), ("Denise", 2)))
    catch_up()
    t1 = latest_valid_from(projector_conn, org.tenant_id)
    network.revise(person, me, a, Revision(quality=5))
    network.revise(person, me, b, Revision(quality=1, closeness="inner"))
    network.end(person, me, d)
    c = network.add(person, me, new("Chloé", 3)).id
    e = network.add(person, me, new("Éric", 1)).id
    network.end(person, me, e)
    catch_up()
    t2 = latest_valid_from(projector_conn, org.tenant_id)

    async def map_at(at: datetime) -> list[MapRelationship]:
        rows, _ = await web_query(org.tenant_id, lambda db: network_queries.map_as_of(
            db, me, at))
        return [MapRelationship.from_row(r) for r in rows]
    ours = changes_between(await map_at(t1), await map_at(t2))
    sql, _ = await web_query(org.tenant_id, lambda db: network_queries.changes_between(
        db, me, t1, t2))
    assert {(r["change"], r["relationship_id"]) for r in sql} == (
        {("added", UUID(r.relationship_id)) for r in ours.added}
        | {("ended", UUID(r.relationship_id)) for r in ours.ended}
        | {("improved", UUID(q.after.relationship_id)) for q in ours.improved}
        | {("worsened", UUID(q.after.relationship_id)) for q in ours.worsened})
    assert {UUID(r.relationship_id) for r in ours.added} == {c}
    assert [q.steps for q in ours.worsened] == [-3]
