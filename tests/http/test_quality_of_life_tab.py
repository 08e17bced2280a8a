"""The whole quality-of-life tab over HTTP: rate, comment, star, perceive, complete, views."""

from __future__ import annotations

from tests.http.conftest import grant

RYW = {"prefer": "read-your-writes"}


def test_a_person_and_a_practitioner_fill_an_assessment_and_see_both_perspectives(org, login):
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    me, them = login(org, person.login), login(org, practitioner.login)
    base = f"/persons/{person.user_id}"
    opened = me.post(base + "/assessments", headers=RYW).json()
    url = f"{base}/assessments/{opened['id']}"
    assert me.post(url + "/ratings", headers=RYW, json={"ratings": [{"theme": "family", "value": 100}]}).status_code == 200
    assert me.post(url + "/comments", headers=RYW, json={"theme": "family", "text": "Ma sœur m'aide."}).status_code == 200
    assert me.put(url + "/stars/family", headers=RYW).status_code == 200
    assert them.post(url + "/perceptions", headers=RYW, json={
        "ratings": [{"theme": "family", "value": 40}], "comment": "Conflits récents"}).status_code == 200
    assert me.post(url + "/complete", headers=RYW).status_code == 200

    ratings = me.get(base + "/ratings").json()
    assert {(r["perspective"].split(":")[0], r["value"]) for r in ratings} == {("person", 100), ("practitioner", 40)}
    history = them.get(base + "/themes/family/history").json()
    assert [(h["kind"], h["value"], h["comment"]) for h in history] == [
        ("rating", 100, None), ("comment", None, "Ma sœur m'aide."), ("perception", 40, "Conflits récents")]
    assert [p["theme"] for p in me.get(base + "/priorities").json()] == ["family"]
    listed = them.get(base + "/assessments").json()
    assert listed[0]["completed_at"] is not None and listed[0]["assessment_id"] == opened["id"]


def test_ratings_repeated_over_time_keep_every_value_in_the_history(org, login):
    person = org.open("person")
    me = login(org, person.login)
    base = f"/persons/{person.user_id}"
    for value in (20, 45, 70):
        opened = me.post(base + "/assessments", headers=RYW).json()
        url = f"{base}/assessments/{opened['id']}"
        me.post(url + "/ratings", headers=RYW, json={"ratings": [{"theme": "hope", "value": value}]})
        me.post(url + "/complete", headers=RYW)
    history = me.get(base + "/themes/hope/history").json()
    assert [h["value"] for h in history] == [20, 45, 70]
    assert len({h["assessment_id"] for h in history}) == 3
    current = me.get(base + "/ratings", params={"perspective": "person"}).json()
    assert [(r["theme"], r["value"], r["sphere"]) for r in current] == [("hope", 70, "self_esteem")]


def test_the_catalog_comes_in_the_users_language(org, login):
    client = login(org, org.open("practitioner").login)
    fr = client.get("/catalog").json()
    en = client.get("/catalog", params={"locale": "en"}).json()
    assert fr["locale"] == "fr-CA" and en["locale"] == "en"
    assert sum(len(s["themes"]) for s in fr["spheres"]) == 55
    assert fr["spheres"][0]["label"] != en["spheres"][0]["label"]


def test_an_org_admin_sees_no_clinical_content(org, login):
    person = org.open("person")
    admin = login(org, "admin")
    assert admin.post(f"/persons/{person.user_id}/assessments").status_code == 403
    assert admin.get(f"/persons/{person.user_id}/ratings").status_code == 403
