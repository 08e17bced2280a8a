"""The law of the read side, for the strengths and plan views: built event by event and caught
up at any moment, they equal the same views rebuilt from position 0."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.errors import DomainError
from infra.platform import all_projections, event_mapper
from infra.rebuild import rebuild as rebuild_projections
from services.actor import Actor

PASSWORD = "correct-horse-battery"
STRENGTH_TABLES = ("strengths_current", "strengths_history")
PLAN_TABLES = ("plan_goals", "plan_goal_themes", "plan_goal_strengths", "plan_actions",
               "plan_goal_history")
THEMES = ("housing", "food", "hope", "pride")
KINDS = ("skill", "value", "people", "place")
SPHERES = (None, "needs", "health")
DATES = (None, "2026-01-31", "2026-12-01")

index = st.integers(0, 5)
who = st.integers(0, 1)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
               max_size=30).filter(str.strip)
when = st.sampled_from(DATES)

strength_commands = st.lists(st.one_of(
    st.tuples(st.just("note"), who, st.sampled_from(KINDS), text, st.sampled_from(THEMES) | st.none()),
    st.tuples(st.just("reword"), who, index, text),
    st.tuples(st.just("link"), who, index, st.sampled_from(SPHERES), st.sampled_from(THEMES) | st.none()),
    st.tuples(st.just("retire"), who, index),
    st.just(("catch_up",)),
), min_size=1, max_size=20)

plan_commands = st.lists(st.one_of(
    st.tuples(st.just("set"), who, text, st.lists(st.sampled_from(THEMES), max_size=2),
              st.lists(index, max_size=2), when),
    st.tuples(st.just("reword"), who, index, text),
    st.tuples(st.just("date"), who, index, when),
    st.tuples(st.just("status"), who, index, st.sampled_from(("active", "paused", "achieved",
                                                             "abandoned"))),
    st.tuples(st.just("progress"), who, index, st.integers(0, 100)),
    st.tuples(st.just("theme"), who, index, st.sampled_from(THEMES), st.booleans()),
    st.tuples(st.just("strength"), who, index, index, st.booleans()),
    st.tuples(st.just("act"), who, index, text, st.sampled_from(("person", "practitioner",
                                                                 "close_person", "other")), when),
    st.tuples(st.just("act_reword"), who, index, index, text),
    st.tuples(st.just("act_assign"), who, index, index, st.sampled_from(("person", "other"))),
    st.tuples(st.just("act_due"), who, index, index, when),
    st.tuples(st.just("act_done"), who, index, index),
    st.tuples(st.just("act_reopen"), who, index, index),
    st.just(("catch_up",)),
), min_size=1, max_size=25)


def tenant_contents(conn: psycopg.Connection[Any], tenant_id: UUID,
                    tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    contents = {}
    for table in tables:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT * FROM {} WHERE tenant_id = %s").format(
                sql.Identifier(table)), [tenant_id])
            contents[table] = sorted(cur.fetchall(), key=repr)
    return contents


def rebuild(conn: psycopg.Connection[Any], application: str) -> None:
    rebuild_projections(conn, [p for p in all_projections() if p.application == application],
                        event_mapper(), batch_size=7)


class Scenario:
    """One person and one practitioner; generated commands, refused ones change nothing."""

    def __init__(self, side: Any) -> None:
        slug = f"prop-{secrets.token_hex(5)}"
        accounts = side.accounts
        self.tenant_id = accounts.register_organization(slug, slug, "qc", "admin", "Admin",
                                                        PASSWORD).id
        admin = accounts.authenticate(slug, "admin", PASSWORD)

        def open_account(role: str) -> Actor:
            return accounts.actor(self.tenant_id, accounts.open_account(
                admin, role, role, role, PASSWORD).id)
        self.person = open_account("person")
        self.actors = (self.person, open_account("practitioner"))
        self.strengths, self.plan = side.strengths, side.plan
        self.strength_ids: list[UUID] = []
        self.goal_ids: list[UUID] = []
        self.action_ids: dict[UUID, list[UUID]] = {}

    def pick(self, ids: list[UUID], i: int) -> UUID | None:
        return ids[i % len(ids)] if ids else None

    def run_strength(self, command: tuple[Any, ...]) -> None:
        kind, actor, *args = command
        me, person = self.actors[actor], self.person.user_id
        if kind == "note":
            self.strength_ids.append(self.strengths.note(me, person, args[0], args[1],
                                                         theme=args[2]).id)
            return
        strength = self.pick(self.strength_ids, args[0])
        if strength is None:
            return
        if kind == "reword":
            self.strengths.reword(me, person, strength, args[1])
        elif kind == "link":
            self.strengths.link(me, person, strength, args[1], args[2], None)
        else:
            self.strengths.retire(me, person, strength)

    def run_plan(self, command: tuple[Any, ...]) -> None:
        kind, actor, *args = command
        me, person, plan = self.actors[actor], self.person.user_id, self.plan
        if kind == "set":
            strengths = [s for i in args[2] if (s := self.pick(self.strength_ids, i))]
            goal_id = plan.set_goal(me, person, args[0], args[1], strengths, args[3]).id
            self.goal_ids.append(goal_id)
            self.action_ids[goal_id] = []
            return
        goal = self.pick(self.goal_ids, args[0])
        if goal is None:
            return
        rest = args[1:]
        if kind.startswith("act_"):
            action = self.pick(self.action_ids[goal], rest[0])
            if action is None:
                return
            self.run_action(kind, me, goal, action, rest[1:])
        elif kind == "reword":
            plan.reword_goal(me, person, goal, rest[0])
        elif kind == "date":
            plan.set_target_date(me, person, goal, rest[0])
        elif kind == "status":
            plan.change_status(me, person, goal, rest[0])
        elif kind == "progress":
            plan.rate_progress(me, person, goal, rest[0])
        elif kind == "theme":
            (plan.link_theme if rest[1] else plan.unlink_theme)(me, person, goal, rest[0])
        elif kind == "strength":
            strength = self.pick(self.strength_ids, rest[0])
            if strength is not None:
                (plan.link_strength if rest[1] else plan.unlink_strength)(me, person, goal, strength)
        else:
            self.action_ids[goal].append(plan.add_action(me, person, goal, rest[0], rest[1],
                                                         None, rest[2]).id)

    def run_action(self, kind: str, me: Actor, goal: UUID, action: UUID, rest: list[Any]) -> None:
        plan, person = self.plan, self.person.user_id
        if kind == "act_reword":
            plan.reword_action(me, person, goal, action, rest[0])
        elif kind == "act_assign":
            plan.assign_action(me, person, goal, action, rest[0], None)
        elif kind == "act_due":
            plan.set_action_due_date(me, person, goal, action, rest[0])
        elif kind == "act_done":
            plan.mark_action_done(me, person, goal, action)
        else:
            plan.reopen_action(me, person, goal, action)

    def run(self, command: tuple[Any, ...], catch_up: Any, plan: bool) -> None:
        if command[0] == "catch_up":
            catch_up()
            return
        try:
            (self.run_plan if plan else self.run_strength)(command)
        except DomainError:
            pass  # a retired strength, an illegal status change: refused, nothing stored


SETTINGS = settings(max_examples=12, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(script=strength_commands)
def test_strength_views_built_incrementally_equal_views_rebuilt_from_zero(
        write_side, catch_up, projector_conn, script) -> None:
    scenario = Scenario(write_side)
    for command in [("note", 0, "skill", "Je cuisine", None), *script]:
        scenario.run(command, catch_up, plan=False)
    catch_up()
    incremental = tenant_contents(projector_conn, scenario.tenant_id, STRENGTH_TABLES)
    assert len(incremental["strengths_current"]) == len(scenario.strength_ids)
    rebuild(projector_conn, "Strengths")
    assert tenant_contents(projector_conn, scenario.tenant_id, STRENGTH_TABLES) == incremental


@SETTINGS
@given(script=plan_commands)
def test_plan_views_built_incrementally_equal_views_rebuilt_from_zero(
        write_side, catch_up, projector_conn, script) -> None:
    scenario = Scenario(write_side)
    for command in [("note", 0, "skill", "Je cuisine", None), ("note", 1, "place", "Le parc", None)]:
        scenario.run(command, catch_up, plan=False)
    for command in [("set", 0, "Finir mes cours", ["hope"], [0], None),
                    ("act", 1, 0, "M'inscrire", "person", None), *script]:
        scenario.run(command, catch_up, plan=True)
    catch_up()
    incremental = tenant_contents(projector_conn, scenario.tenant_id, PLAN_TABLES)
    assert len(incremental["plan_goals"]) == len(scenario.goal_ids)
    assert len(incremental["plan_actions"]) == sum(map(len, scenario.action_ids.values()))
    rebuild(projector_conn, "Plan")
    assert tenant_contents(projector_conn, scenario.tenant_id, PLAN_TABLES) == incremental
