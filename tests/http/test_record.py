"""The record across tabs: one summary call and one timeline, each limited by consent."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.http.conftest import grant

RYW = {"prefer": "read-your-writes"}


@pytest.fixture
def record(org, login):
    """A person with something in each of the four tabs, written by the person."""
    person = org.open("person")
    me = login(org, person.login)
    base = f"/persons/{person.user_id}"
    opened = me.post(base + "/assessments", headers=RYW).json()
    url = f"{base}/assessments/{opened['id']}"
    assert me.post(url + "/ratings", headers=RYW, json={"ratings": [
        {"theme": "housing", "value": 60}, {"theme": "food", "value": 80}]}).status_code == 200
    assert me.put(url + "/stars/housing", headers=RYW).status_code == 200
    assert me.post(base + "/network/relationships", headers=RYW, json={
        "name": "Lucie", "relationship_type": "friend", "quality": 4, "closeness": "inner",
        "frequency": "weekly"}).status_code == 201
    strength = me.post(base + "/strengths", headers=RYW, json={"kind": "skill", "text": "Je cuisine"})
    assert strength.status_code == 201, strength.text
    goal = me.post(base + "/plan/goals", headers=RYW, json={
        "text": "Nourrir le loup blanc en moi", "strengths": [strength.json()["id"]]})
    assert goal.status_code == 201, goal.text
    return person, me, base


def test_the_summary_gives_the_current_state_of_the_four_tabs_in_one_call(record):
    _, me, base = record
    summary = me.get(base + "/summary").json()
    assert summary["tabs"] == ["quality_of_life", "social_network", "strengths", "plan"]
    qol = summary["quality_of_life"]
    assert {(r["theme"], r["value"]) for r in qol["current_ratings"]} == {("housing", 60), ("food", 80)}
    assert qol["sphere_averages"] == [{"sphere": "needs", "perspective": "person", "average": 70.0,
                                       "rated_count": 2}]
    assert [p["theme"] for p in qol["priorities"]] == ["housing"]
    assert [r["name"] for r in summary["social_network"]] == ["Lucie"]
    assert [s["text"] for s in summary["strengths"]] == ["Je cuisine"]
    assert [g["text"] for g in summary["plan"]] == ["Nourrir le loup blanc en moi"]


def test_a_close_person_sees_only_the_tabs_shared_with_them(record, org, login):
    person, _, base = record
    invited = org.side.accounts.open_account(person, f"{person.login}-soeur", "Sœur", "close_person",
                                             PASSWORD)
    close = org.side.accounts.actor(org.tenant_id, invited.id)
    grant(org, person, close, tabs=["strengths"], level="read")
    client = login(org, f"{person.login}-soeur")
    theirs = client.get(base + "/summary").json()
    assert theirs["tabs"] == ["strengths"]
    assert theirs["quality_of_life"] is None and theirs["plan"] is None
    assert [s["text"] for s in theirs["strengths"]] == ["Je cuisine"]
    timeline = client.get(base + "/timeline").json()
    assert {e["tab"] for e in timeline["entries"]} == {"strengths"}


def test_the_timeline_is_newest_first_and_pages_without_gaps_or_repeats(record):
    _, me, base = record
    everything = me.get(base + "/timeline", params={"limit": 200}).json()
    assert everything["next_cursor"] is None
    kinds = [e["kind"] for e in everything["entries"]]
    assert kinds[0] == "GoalSet" and kinds[-1] == "Opened"
    assert [e["at"] for e in everything["entries"]] == sorted((e["at"] for e in everything["entries"]), reverse=True)
    pages, cursor = [], None
    while True:
        page = me.get(base + "/timeline", params={"limit": 2, **({"before": cursor} if cursor else {})}).json()
        pages += page["entries"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == everything["entries"] and len(pages) == 7


def test_a_forged_timeline_cursor_is_refused(record):
    _, me, base = record
    response = me.get(base + "/timeline", params={"before": "not-a-cursor"})
    assert response.status_code == 400 and "cursor" in response.json()["detail"]


def test_a_practitioner_without_consent_gets_no_summary(record, org, login):
    _, _, base = record
    stranger = login(org, org.open("practitioner").login)
    assert stranger.get(base + "/summary").status_code == 403
    assert stranger.get(base + "/timeline").status_code == 403
