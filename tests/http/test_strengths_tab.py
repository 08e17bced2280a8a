"""The whole strengths tab over HTTP: note, reword, link, retire, and the views."""

from __future__ import annotations

from tests.http.conftest import grant

RYW = {"prefer": "read-your-writes"}


def test_a_person_notes_and_rewords_strengths_and_every_version_is_kept(org, login):
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    me, them = login(org, person.login), login(org, practitioner.login)
    base = f"/persons/{person.user_id}/strengths"
    noted = me.post(base, headers=RYW, json={"kind": "skill", "text": "Je cuisine",
                                             "theme": "food"})
    assert noted.status_code == 201, noted.text
    url = f"{base}/{noted.json()['id']}"
    reworded = them.put(url + "/text", headers={**RYW, "if-match": '"1"'},
                        json={"text": "Je cuisine pour mes voisins"})
    assert reworded.status_code == 200 and reworded.headers["etag"] == '"2"'
    assert me.put(url + "/links", headers=RYW, json={"sphere": "social_life"}).status_code == 200
    place = me.post(base, headers=RYW, json={"kind": "place", "text": "Le parc"}).json()
    assert me.post(f"{base}/{place['id']}/retire", headers=RYW).status_code == 200

    listed = them.get(base).json()
    assert [(s["text"], s["side"], s["sphere"], s["theme"]) for s in listed] == [
        ("Je cuisine pour mes voisins", "personal", "social_life", None)]
    everything = them.get(base, params={"include_retired": "true"}).json()
    assert {s["text"]: s["retired_at"] is not None for s in everything} == {
        "Je cuisine pour mes voisins": False, "Le parc": True}
    detail = me.get(url).json()
    assert detail["strength"]["version"] == 3
    assert [(h["change"], h["text"], h["author_id"]) for h in detail["history"]] == [
        ("noted", "Je cuisine", str(person.user_id)),
        ("reworded", "Je cuisine pour mes voisins", str(practitioner.user_id)),
        ("linked", None, str(person.user_id))]
    assert me.get(url + "/history").json() == detail["history"]


def test_another_person_and_an_admin_cannot_see_a_persons_strengths(org, login):
    person = org.open("person")
    me = login(org, person.login)
    assert me.post(f"/persons/{person.user_id}/strengths", headers=RYW,
                   json={"kind": "value", "text": "La loyauté"}).status_code == 201
    stranger, admin = login(org, org.open("person").login), login(org, "admin")
    assert stranger.get(f"/persons/{person.user_id}/strengths").status_code == 403
    assert admin.get(f"/persons/{person.user_id}/strengths").status_code == 403


def test_an_unknown_strength_is_not_found(org, login):
    person = org.open("person")
    me = login(org, person.login)
    missing = f"/persons/{person.user_id}/strengths/00000000-0000-4000-8000-000000000000"
    assert me.get(missing).status_code == 404
    assert me.get(missing + "/history").status_code == 404
