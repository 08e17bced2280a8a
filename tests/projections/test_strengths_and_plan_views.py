"""What the strengths and plan read models hold after real commands."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg


def rows(conn: psycopg.Connection[Any], query: str, *args: object) -> list[tuple[Any, ...]]:
    return conn.execute(query, list(args)).fetchall()


def test_the_strength_list_holds_the_latest_wording_and_the_history_every_version(
        org, write_side, catch_up, projector_conn) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    strengths = write_side.strengths
    cooking = strengths.note(person, person.user_id, "skill", "Je cuisine", theme="food").id
    strengths.reword(practitioner, person.user_id, cooking, "Je cuisine pour mes voisins")
    strengths.link(person, person.user_id, cooking, "social_life", None, None)
    park = strengths.note(practitioner, person.user_id, "place", "Le parc Lafontaine").id
    strengths.retire(person, person.user_id, park)
    catch_up()
    current = rows(projector_conn, "SELECT strength_id, side, text, sphere, theme, version,"
                   " updated_by, retired_by IS NOT NULL FROM strengths_current"
                   " WHERE tenant_id = %s ORDER BY noted_at", org.tenant_id)
    assert current == [
        (cooking, "personal", "Je cuisine pour mes voisins", "social_life", None, 3,
         person.user_id, False),
        (park, "environment", "Le parc Lafontaine", None, None, 2, person.user_id, True)]
    history = rows(projector_conn, "SELECT version, change, text, author_id FROM strengths_history"
                   " WHERE tenant_id = %s AND strength_id = %s ORDER BY version",
                   org.tenant_id, cooking)
    assert history == [(1, "noted", "Je cuisine", person.user_id),
                       (2, "reworded", "Je cuisine pour mes voisins", practitioner.user_id),
                       (3, "linked", None, person.user_id)]


def test_the_goal_list_actions_and_history_follow_every_change_with_its_author(
        org, write_side, catch_up, projector_conn) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    plan = write_side.plan
    strength = write_side.strengths.note(person, person.user_id, "value", "La persévérance").id
    goal = plan.set_goal(person, person.user_id, "Finir mes cours", ["hope"], [strength],
                         "2026-06-30").id
    plan.link_theme(practitioner, person.user_id, goal, "pride")
    plan.unlink_theme(person, person.user_id, goal, "hope")
    plan.rate_progress(person, person.user_id, goal, 20)
    plan.rate_progress(practitioner, person.user_id, goal, 45)
    action = plan.add_action(practitioner, person.user_id, goal, "M'inscrire", "close_person",
                             "Ma sœur", "2026-01-15").id
    plan.mark_action_done(person, person.user_id, goal, action)
    plan.change_status(person, person.user_id, goal, "paused")
    catch_up()
    assert rows(projector_conn, "SELECT text, status, target_date, progress, progress_by, version,"
                " created_by FROM plan_goals WHERE tenant_id = %s", org.tenant_id) == [
        ("Finir mes cours", "paused", date(2026, 6, 30), 45, practitioner.user_id, 8,
         person.user_id)]
    assert rows(projector_conn, "SELECT theme, linked_by FROM plan_goal_themes WHERE tenant_id = %s",
                org.tenant_id) == [("pride", practitioner.user_id)]
    assert rows(projector_conn, "SELECT strength_id FROM plan_goal_strengths WHERE tenant_id = %s",
                org.tenant_id) == [(strength,)]
    assert rows(projector_conn, "SELECT text, who, who_name, due_date, done, done_by, added_by"
                " FROM plan_actions WHERE tenant_id = %s", org.tenant_id) == [
        ("M'inscrire", "close_person", "Ma sœur", date(2026, 1, 15), True, person.user_id,
         practitioner.user_id)]
    history = rows(projector_conn, "SELECT change, progress, to_status, author_id"
                   " FROM plan_goal_history WHERE tenant_id = %s ORDER BY version", org.tenant_id)
    assert history == [
        ("set", None, "active", person.user_id), ("theme_linked", None, None, practitioner.user_id),
        ("theme_unlinked", None, None, person.user_id), ("progress_rated", 20, None, person.user_id),
        ("progress_rated", 45, None, practitioner.user_id),
        ("action_added", None, None, practitioner.user_id),
        ("action_done", None, None, person.user_id), ("status_changed", None, "paused", person.user_id)]
