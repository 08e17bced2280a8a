"""Teams: the org admin forms teams of practitioners and names a manager."""

from __future__ import annotations

RYW = {"prefer": "read-your-writes"}


def test_an_admin_forms_a_team_and_its_manager_sees_it(org, login):
    admin = login(org, "admin")
    practitioner, manager = org.open("practitioner"), org.open("team_manager")
    team = admin.post("/teams", json={"name": "Équipe Soutien"}, headers=RYW)
    assert team.status_code == 201, team.text
    team_id = team.json()["id"]
    assert admin.post(f"/teams/{team_id}/members", json={"practitioner_id": str(practitioner.user_id)},
                      headers=RYW).status_code == 200
    assert admin.put(f"/teams/{team_id}/manager", json={"manager_id": str(manager.user_id)},
                     headers=RYW).status_code == 200
    seen = login(org, manager.login).get("/teams").json()
    assert [(t["name"], t["members"]) for t in seen] == [("Équipe Soutien", [str(practitioner.user_id)])]


def test_only_practitioners_join_a_team_and_only_managers_manage_it(org, login):
    admin = login(org, "admin")
    person = org.open("person")
    team_id = admin.post("/teams", json={"name": "A"}, headers=RYW).json()["id"]
    joined = admin.post(f"/teams/{team_id}/members", json={"practitioner_id": str(person.user_id)})
    assert joined.status_code == 422 and "not a practitioner" in joined.json()["detail"]
    managed = admin.put(f"/teams/{team_id}/manager", json={"manager_id": str(person.user_id)})
    assert managed.status_code == 422


def test_a_practitioner_cannot_form_teams(org, login):
    client = login(org, org.open("practitioner").login)
    assert client.post("/teams", json={"name": "B"}).status_code == 403


def test_a_person_invites_a_close_person(org, login):
    person = org.open("person")
    me = login(org, person.login)
    from tests.conftest import PASSWORD
    invited = me.post("/accounts", json={"login": f"{person.login}-soeur", "display_name": "Sœur",
                                         "role": "close_person", "password": PASSWORD})
    assert invited.status_code == 201, invited.text
    refused = me.post("/accounts", json={"login": f"{person.login}-x", "display_name": "X",
                                         "role": "practitioner", "password": PASSWORD})
    assert refused.status_code == 403
