"""`fetch_many` gives, in one statement, exactly what each query gives on its own: same rows,
same order, same values and types, parameters of every query kept apart."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import psycopg

from infra.http.controllers.plan import goal_queries
from projections.batch import Query, fetch_many, statement
from projections.network import queries as network
from projections.quality_of_life import queries as qol
from projections.strengths import queries as strengths
from services.network import NewRelationship


def _record(org, write_side):  # type: ignore[no-untyped-def]
    person, practitioner = org.open("person"), org.open("practitioner")
    side = write_side
    assessment = side.quality_of_life.open_assessment(practitioner, person.user_id).id
    side.quality_of_life.rate(person, assessment, [("housing", 70), ("food", 40), ("work", 55)])
    side.quality_of_life.record_perceptions(practitioner, assessment, [("housing", 50)], "vu")
    for theme in ("food", "housing"):
        side.quality_of_life.star(person, assessment, theme)
    for name, quality in (("Zoé", 2), ("Ali", 5), ("Marc", 4)):
        side.network.add(person, person.user_id, NewRelationship(name, "friend", quality, "inner",
                                                                 "weekly", supports=["emotional"]))
    skill = side.strengths.note(person, person.user_id, "skill", "Je cuisine").id
    side.strengths.note(person, person.user_id, "place", "La bibliothèque")
    for text in ("Finir mes cours", "Trouver un logement"):
        goal = side.plan.set_goal(person, person.user_id, text, ["food"], [skill]).id
        side.plan.add_action(practitioner, person.user_id, goal, "Appeler", "person")
        side.plan.add_action(person, person.user_id, goal, "Écrire", "practitioner")
    return person


def _queries(person_id: Any) -> dict[str, Query]:
    return {"assessments": qol.assessments_query(person_id),
            "spheres": qol.latest_sphere_averages_query(person_id),
            "ratings": qol.current_ratings_query(person_id, None),
            "person_ratings": qol.current_ratings_query(person_id, "person"),
            "priorities": qol.current_priorities_query(person_id),
            "map": network.current_map_query(person_id),
            "strengths": strengths.strengths_query(person_id),
            **goal_queries(person_id)}


async def test_one_statement_gives_what_each_query_gives(org, write_side, catch_up,
                                                         servers) -> None:
    person = _record(org, write_side)
    catch_up()
    conn = await asyncpg.connect(**servers.web_db().asyncpg_kwargs())
    try:
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(org.tenant_id))
            together = await fetch_many(conn, _queries(person.user_id))
            apart = {name: [dict(r) for r in await query.fetch(conn)]
                     for name, query in _queries(person.user_id).items()}
            nobody = await fetch_many(conn, {"map": network.current_map_query(org.admin.user_id)})
    finally:
        await conn.close()
    assert together == apart
    assert [len(together[k]) for k in ("ratings", "person_ratings", "map", "strengths", "goals",
                                       "goal_actions")] == [4, 3, 3, 2, 2, 4]
    assert [r["name"] for r in together["map"]] == ["Ali", "Marc", "Zoé"]
    assert nobody == {"map": []}


async def test_first_runs_before_every_query(org, write_side, catch_up, servers) -> None:
    """The read of a record leads its one statement with the call that sets the tenant (ADR
    15): the queries, under RLS, must see it. Without it they see nothing (no tenant set)."""
    person = _record(org, write_side)
    catch_up()
    set_tenant = Query("set_config('app.tenant_id', $1, true)", (str(org.tenant_id),))
    conn = await asyncpg.connect(**servers.web_db().asyncpg_kwargs())
    try:
        alone = await fetch_many(conn, _queries(person.user_id))
        led = await fetch_many(conn, _queries(person.user_id), first=set_tenant)
        after = await fetch_many(conn, _queries(person.user_id))  # the setting was local
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(org.tenant_id))
            apart = {name: [dict(r) for r in await query.fetch(conn)]
                     for name, query in _queries(person.user_id).items()}
    finally:
        await conn.close()
    assert all(rows == [] for rows in alone.values()) and alone == after
    assert led == apart
    assert [len(led[k]) for k in ("ratings", "map", "strengths", "goals")] == [4, 3, 2, 2]


async def test_a_led_statement_looks_rows_up_by_key(org, write_side, catch_up, servers) -> None:
    """Planned before its lead sets the tenant (ADR 15), the statement's plan takes the
    tenant's rows for none: its queries must still reach the person's rows by key and not
    scan the tenant's (a join of goal links to strengths scanned every strength)."""
    person = _record(org, write_side)
    catch_up()
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as projector:
        projector.execute(  # 600 strengths of others in the view, as the projector writes them
            "INSERT INTO strengths_current (tenant_id, strength_id, person_id, kind, side, text,"
            " noted_by, noted_at, version, updated_by, updated_at)"
            " SELECT %(t)s, gen_random_uuid(), gen_random_uuid(), 'skill', 'strength', 'x',"
            " %(t)s, now(), 1, %(t)s, now() FROM generate_series(1, 600)", {"t": org.tenant_id})
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        # By the owner (the projector's ANALYZE is skipped): whatever statistics an earlier
        # rebuild left (ADR 27), the planner then knows the 600 rows.
        admin.execute("ANALYZE strengths_current")
    led = statement(_queries(person.user_id),
                    Query("set_config('app.tenant_id', $1, true)", (str(org.tenant_id),)))
    conn = await asyncpg.connect(**servers.web_db().asyncpg_kwargs())
    try:
        plan = json.loads(await conn.fetchval("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                                              + led.sql, *led.args))[0]["Plan"]
    finally:
        await conn.close()
    assert plan["Shared Hit Blocks"] + plan["Shared Read Blocks"] < 150, plan
