"""Team statistics for its manager: aggregates over the persons who let the team read their
quality of life; no ids, no names, nothing over fewer than 5 persons."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from services.actor import Actor
from tests.conftest import Org
from tests.http.conftest import grant, wait_for_views

RYW = {"prefer": "read-your-writes"}


def rated_person(org: Org, values: dict[str, int]) -> Actor:
    """A person who rated themes in one completed assessment."""
    person = org.open("person")
    qol = org.side.quality_of_life
    assessment = qol.open_assessment(person, person.user_id).id
    qol.rate(person, assessment, list(values.items()))
    done = qol.complete(person, assessment)
    wait_for_views(org, "QualityOfLife", done.notification_id)
    return person


@pytest.fixture
def team(org, login):  # type: ignore[no-untyped-def]
    """A team with one practitioner and a manager, logged in."""
    admin = login(org, "admin")
    practitioner, manager = org.open("practitioner"), org.open("team_manager")
    team_id = UUID(admin.post("/teams", json={"name": "Soutien"}, headers=RYW).json()["id"])
    admin.post(f"/teams/{team_id}/members", json={"practitioner_id": str(practitioner.user_id)},
               headers=RYW)
    admin.put(f"/teams/{team_id}/manager", json={"manager_id": str(manager.user_id)}, headers=RYW)
    return team_id, practitioner, login(org, manager.login)


def test_fewer_than_five_consenting_persons_show_nothing_but_suppression(org, team) -> None:
    team_id, practitioner, manager = team
    for value in (10, 20, 30, 40):
        grant(org, rated_person(org, {"housing": value}), practitioner, ["quality_of_life"], "read")
    stats = manager.get(f"/teams/{team_id}/statistics")
    assert stats.status_code == 200, stats.text
    body = stats.json()
    assert body["persons"] == {"value": None, "suppressed": True}
    assert body["completed_assessments_90_days"] == {"value": None, "suppressed": True}
    assert all(s["average"] == {"value": None, "suppressed": True} for s in body["spheres"])


def test_five_consenting_persons_give_de_identified_figures(org, team) -> None:
    team_id, practitioner, manager = team
    persons = []
    for i, value in enumerate((10, 20, 30, 40, 50)):
        person = rated_person(org, {"housing": value, "food": value + 10, "hope": 80})
        # to the team itself or to one of its practitioners: both count
        grant(org, person, practitioner if i % 2 else team_id, ["quality_of_life"], "read")
        persons.append(person)
    outsider = rated_person(org, {"housing": 100})  # consented to someone outside the team
    grant(org, outsider, org.open("practitioner"), ["quality_of_life"], "read")
    other_tab = rated_person(org, {"housing": 100})  # consented to another tab only
    grant(org, other_tab, practitioner, ["plan"], "co_edit")
    response = manager.get(f"/teams/{team_id}/statistics")
    body = response.json()
    assert body["persons"] == {"value": 5.0, "suppressed": False}
    assert body["completed_assessments_90_days"] == {"value": 5.0, "suppressed": False}
    spheres = {s["sphere"]: s["average"] for s in body["spheres"]}
    # per person, needs = mean(housing, food); then the mean over the 5 persons
    assert spheres["needs"] == {"value": 35.0, "suppressed": False}
    assert spheres["self_esteem"] == {"value": 80.0, "suppressed": False}
    assert spheres["social_life"] == {"value": None, "suppressed": True}
    for person in [*persons, outsider]:
        assert str(person.user_id) not in response.text
        assert person.display_name not in response.text


def test_a_revoked_or_expired_grant_leaves_the_statistics(org, team) -> None:
    team_id, practitioner, manager = team
    persons = [rated_person(org, {"housing": 50}) for _ in range(6)]
    grants = [grant(org, p, practitioner, ["quality_of_life"], "read") for p in persons[:5]]
    soon = datetime.now(UTC) + timedelta(seconds=2)
    grant(org, persons[5], practitioner, ["quality_of_life"], "read", until=soon)

    def persons_counted() -> object:
        return manager.get(f"/teams/{team_id}/statistics").json()["persons"]["value"]
    assert persons_counted() == 6
    revoked = org.side.consent.revoke(persons[0], persons[0].user_id, grants[0])
    wait_for_views(org, "Consent", revoked.notification_id)
    assert persons_counted() == 5
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.1)
    assert persons_counted() is None  # 4 left: suppressed


def test_only_the_teams_manager_and_the_org_admin_see_its_statistics(org, team, login) -> None:
    team_id, practitioner, _ = team
    assert login(org, "admin").get(f"/teams/{team_id}/statistics").status_code == 200
    for caller in (login(org, org.open("team_manager").login), login(org, practitioner.login),
                   login(org, org.open("person").login), login(org, org.open("auditor").login)):
        assert caller.get(f"/teams/{team_id}/statistics").status_code == 403
    unknown = "00000000-0000-4000-8000-000000000000"
    assert login(org, "admin").get(f"/teams/{unknown}/statistics").status_code == 404
