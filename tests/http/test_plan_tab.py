"""The whole accomplishment plan over HTTP: goals, links, status, progress, actions, history."""

from __future__ import annotations

from tests.http.conftest import grant

RYW = {"prefer": "read-your-writes"}


def test_a_co_written_goal_shows_its_creation_links_progress_actions_and_authors(org, login):
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    me, them = login(org, person.login), login(org, practitioner.login)
    record = f"/persons/{person.user_id}"
    sitting = me.post(record + "/assessments", headers=RYW).json()
    assert me.put(f"{record}/assessments/{sitting['id']}/stars/hope", headers=RYW).status_code == 200
    strength = me.post(record + "/strengths", headers=RYW,
                       json={"kind": "interest", "text": "La chimie"}).json()["id"]
    goal = me.post(record + "/plan/goals", headers=RYW, json={
        "text": "Finir mes cours de chimie", "themes": ["hope", "income"],
        "strengths": [strength], "target_date": "2026-06-30"})
    assert goal.status_code == 201, goal.text
    url = f"{record}/plan/goals/{goal.json()['id']}"
    assert them.put(url + "/text", headers=RYW, json={"text": "Finir mes cours en juin"}).status_code == 200
    assert me.post(url + "/progress", headers=RYW, json={"value": 30}).status_code == 200
    added = them.post(url + "/actions", headers=RYW, json={
        "text": "Demander l'aide sociale", "who": "practitioner", "due_date": "2026-02-01"})
    assert added.status_code == 201, added.text
    action = f"{url}/actions/{added.json()['id']}"
    assert me.post(action + "/done", headers=RYW).status_code == 200
    assert me.post(action + "/reopen", headers=RYW).status_code == 200
    assert me.put(action + "/due-date", headers=RYW, json={"due_date": None}).status_code == 200
    assert me.post(url + "/status", headers=RYW, json={"status": "achieved"}).status_code == 200

    shown = me.get(url).json()
    assert shown["created_at"] and shown["created_by"] == str(person.user_id)
    assert (shown["text"], shown["status"], shown["progress"], shown["target_date"]) == (
        "Finir mes cours en juin", "achieved", 30, "2026-06-30")
    assert {t["theme"]: t["starred"] for t in shown["themes"]} == {"hope": True, "income": False}
    assert [(s["text"], s["retired"]) for s in shown["strengths"]] == [("La chimie", False)]
    assert [(a["text"], a["who"], a["done"], a["due_date"]) for a in shown["actions"]] == [
        ("Demander l'aide sociale", "practitioner", False, None)]
    history = them.get(url + "/history").json()
    assert [(h["change"], h["author_id"]) for h in history] == [
        ("set", str(person.user_id)), ("reworded", str(practitioner.user_id)),
        ("progress_rated", str(person.user_id)), ("action_added", str(practitioner.user_id)),
        ("action_done", str(person.user_id)), ("action_reopened", str(person.user_id)),
        ("action_due_date_set", str(person.user_id)), ("status_changed", str(person.user_id))]
    assert [h["text"] for h in history if h["change"] in ("set", "reworded")] == [
        "Finir mes cours de chimie", "Finir mes cours en juin"]
    assert [g["goal_id"] for g in me.get(record + "/plan/goals").json()] == [shown["goal_id"]]
    assert me.get(record + "/plan/goals", params={"status": "active"}).json() == []
    assert len(me.get(record + "/plan/actions", params={"done": "false"}).json()) == 1


def test_a_reopened_goal_takes_changes_again_and_links_can_be_removed(org, login):
    person = org.open("person")
    me = login(org, person.login)
    record = f"/persons/{person.user_id}"
    strength = me.post(record + "/strengths", headers=RYW,
                       json={"kind": "people", "text": "Ma sœur"}).json()["id"]
    url = f"{record}/plan/goals/" + me.post(record + "/plan/goals", headers=RYW,
                                            json={"text": "Nourrir le loup blanc"}).json()["id"]
    assert me.put(f"{url}/themes/pride", headers=RYW).status_code == 200
    assert me.put(f"{url}/strengths/{strength}", headers=RYW).status_code == 200
    assert me.post(url + "/status", headers=RYW, json={"status": "abandoned"}).status_code == 200
    assert me.post(url + "/progress", headers=RYW, json={"value": 10}).status_code == 409
    assert me.post(url + "/status", headers=RYW, json={"status": "active"}).status_code == 200
    assert me.delete(f"{url}/themes/pride", headers=RYW).status_code == 200
    assert me.delete(f"{url}/strengths/{strength}", headers=RYW).status_code == 200
    assert me.put(url + "/target-date", headers=RYW,
                  json={"target_date": "2027-01-01"}).status_code == 200
    shown = me.get(url).json()
    assert (shown["themes"], shown["strengths"], shown["status"], shown["target_date"]) == (
        [], [], "active", "2027-01-01")


def test_an_admin_sees_no_plan(org, login):
    person = org.open("person")
    admin = login(org, "admin")
    assert admin.post(f"/persons/{person.user_id}/plan/goals", json={"text": "x"}).status_code == 403
    assert admin.get(f"/persons/{person.user_id}/plan/goals").status_code == 403
