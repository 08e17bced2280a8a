"""The plan use cases on real PostgreSQL: links to strengths and themes, statuses, actions."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound
from services.base import VersionConflict
from services.tenancy import tenant_scope


def stored_events(conn: psycopg.Connection[Any], tenant_id: UUID) -> int:
    row = conn.execute("SELECT count(*) FROM plan_events WHERE tenant_id = %s",
                       [tenant_id]).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    return org.open("person"), org.open("practitioner")


def test_a_co_written_goal_records_who_wrote_what(org, people, write_side) -> None:
    person, practitioner = people
    plan = write_side.plan
    strength = write_side.strengths.note(person, person.user_id, "interest", "La chimie").id
    goal = plan.set_goal(person, person.user_id, "Finir mes cours de chimie", ["hope"],
                         [strength], "2026-06-30").id
    plan.reword_goal(practitioner, person.user_id, goal, "Finir mes cours de chimie en juin")
    action = plan.add_action(practitioner, person.user_id, goal, "M'inscrire au cégep",
                             "person", due_date="2026-01-15").id
    plan.mark_action_done(person, person.user_id, goal, action)
    plan.rate_progress(person, person.user_id, goal, 30)
    with tenant_scope(org.tenant_id):
        stored = list(plan.events.get(goal))
    assert [(type(e).__name__, e.author_id) for e in stored] == [
        ("GoalSet", person.user_id), ("GoalReworded", practitioner.user_id),
        ("ActionAdded", practitioner.user_id), ("ActionDone", person.user_id),
        ("GoalProgressRated", person.user_id)]
    assert all(e.person_id == person.user_id for e in stored)


def test_a_goal_may_link_only_current_strengths_of_the_same_person(
        org, people, write_side, projector_conn) -> None:
    person, practitioner = people
    other = org.open("person")
    strengths, plan = write_side.strengths, write_side.plan
    theirs = strengths.note(practitioner, other.user_id, "skill", "Le piano").id
    retired = strengths.note(person, person.user_id, "skill", "Le dessin").id
    strengths.retire(person, person.user_id, retired)
    before = stored_events(projector_conn, org.tenant_id)
    for strength_id, words in ((theirs, "not one of this person's"), (uuid4(), "not one of"),
                               (retired, "retired")):
        with pytest.raises(InvalidValue, match=words):
            plan.set_goal(person, person.user_id, "Jouer", strengths=[strength_id])
    assert stored_events(projector_conn, org.tenant_id) == before
    goal = plan.set_goal(person, person.user_id, "Jouer").id
    with pytest.raises(InvalidValue, match="not one of"):
        plan.link_strength(person, person.user_id, goal, theirs)


def test_goals_and_actions_of_another_person_or_missing_are_not_found(org, people, write_side) -> None:
    person, practitioner = people
    other = org.open("person")
    plan = write_side.plan
    theirs = plan.set_goal(practitioner, other.user_id, "Trouver un logement").id
    with pytest.raises(NotFound, match="goal"):
        plan.rate_progress(practitioner, person.user_id, theirs, 50)
    with pytest.raises(NotFound, match="goal"):
        plan.add_action(practitioner, person.user_id, uuid4(), "Appeler", "person")
    mine = plan.set_goal(person, person.user_id, "Marcher").id
    with pytest.raises(NotFound, match="action"):
        plan.mark_action_done(person, person.user_id, mine, uuid4())
    with pytest.raises(Forbidden):
        plan.set_goal(person, other.user_id, "Pas le mien")


def test_statuses_follow_the_legal_transitions_and_reopen(org, people, write_side) -> None:
    person, practitioner = people
    plan = write_side.plan
    goal = plan.set_goal(person, person.user_id, "Demander l'aide sociale").id
    plan.change_status(person, person.user_id, goal, "paused")
    with pytest.raises(InvalidState):
        plan.change_status(person, person.user_id, goal, "achieved")
    plan.change_status(practitioner, person.user_id, goal, "active")
    plan.change_status(person, person.user_id, goal, "achieved")
    plan.change_status(person, person.user_id, goal, "active")  # reopened
    with tenant_scope(org.tenant_id):
        assert plan.repository.get(goal).status == "active"


def test_a_stale_version_is_refused(org, people, write_side) -> None:
    person, _ = people
    plan = write_side.plan
    set_ = plan.set_goal(person, person.user_id, "Cuisiner")
    plan.reword_goal(person, person.user_id, set_.id, "Cuisiner le dimanche", set_.version)
    with pytest.raises(VersionConflict):
        plan.reword_goal(person, person.user_id, set_.id, "Cuisiner le samedi", set_.version)
