"""The whole social network (ecomap) tab over HTTP: add, revise, end, and the four views;
with read-your-writes, If-Match, concurrent saves and idempotency keys."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from tests.conftest import Org
from tests.http.conftest import grant

RYW = {"prefer": "read-your-writes"}
SOPHIE = {"name": "Sophie", "relationship_type": "family", "label": "ma sœur", "quality": 4,
          "closeness": "inner", "supports": ["emotional", "practical"], "frequency": "weekly",
          "comment": "On se voit le dimanche"}


def network_events(conn: psycopg.Connection[Any], org: Org) -> int:
    row = conn.execute("SELECT count(*) FROM network_events WHERE tenant_id = %s",
                       [org.tenant_id]).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def ecomap(org, login):
    """A person and their practitioner (with co-edit consent), both logged in, and one
    relationship added."""
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    me, them = login(org, person.login), login(org, practitioner.login)
    base = f"/persons/{person.user_id}/network"
    added = me.post(base + "/relationships", json=SOPHIE, headers=RYW)
    assert added.status_code == 201, added.text
    return me, them, base, added.json(), person, practitioner


def test_a_person_maps_a_relationship_and_sees_it_with_its_author_and_history(ecomap):
    me, them, base, added, person, practitioner = ecomap
    assert added["version"] == 1 and added["notification_id"] > 0
    url = f"{base}/relationships/{added['id']}"
    revised = them.patch(url, headers=RYW, json={"quality": 2, "closeness": "middle",
                                                  "comment": "Conflit depuis mars"})
    assert revised.status_code == 200, revised.text
    assert revised.json()["version"] == 4 and revised.headers["etag"] == '"4"'
    assert revised.headers["preference-applied"] == "read-your-writes"

    [shown] = me.get(base).json()["relationships"]
    assert (shown["name"], shown["quality"], shown["quality_name"], shown["closeness"],
            shown["supports"], shown["label"], shown["version"]) == (
        "Sophie", 2, "strained", "middle", ["emotional", "practical"], "ma sœur", 4)
    one = me.get(url)
    assert one.status_code == 200 and one.headers["etag"] == '"4"'
    history = me.get(url + "/history").json()
    assert [(h["version"], h["change"], h["author_id"], h["quality"], h["closeness"])
            for h in history] == [
        (1, "added", str(person.user_id), 4, "inner"),
        (2, "rated", str(practitioner.user_id), 2, "inner"),
        (3, "closeness_changed", str(practitioner.user_id), 2, "middle"),
        (4, "commented", str(practitioner.user_id), 2, "middle")]
    assert history[-1]["comment"] == "Conflit depuis mars"


def test_an_ended_relationship_leaves_the_map_but_stays_in_history_and_as_of(ecomap):
    me, _, base, added, _, _ = ecomap
    url = f"{base}/relationships/{added['id']}"
    before_end = me.get(url + "/history").json()[-1]["valid_from"]
    ended = me.post(url + "/end", headers=RYW)
    assert ended.status_code == 200 and ended.json()["version"] == 2
    assert me.get(base).json()["relationships"] == []
    [kept] = me.get(base, params={"include_ended": "true"}).json()["relationships"]
    assert kept["ended_at"] is not None
    history = me.get(url + "/history").json()
    assert [h["change"] for h in history] == ["added", "ended"]
    then = me.get(base, params={"as_of": before_end}).json()
    assert [r["name"] for r in then["relationships"]] == ["Sophie"]
    at_end = me.get(base, params={"as_of": history[-1]["valid_from"]}).json()
    assert at_end["relationships"] == []  # ended at t is not on the map as of t


def test_the_map_as_of_a_date_and_the_changes_between_two_instants(ecomap):
    me, them, base, added, _, _ = ecomap
    url = f"{base}/relationships/{added['id']}"
    start = me.get(url + "/history").json()[-1]["valid_from"]
    them.patch(url, headers=RYW, json={"quality": 5})
    marc = me.post(base + "/relationships", headers=RYW, json={
        "name": "Marc", "relationship_type": "professional", "quality": 3,
        "closeness": "outer", "frequency": "monthly"}).json()
    history = me.get(f"{base}/relationships/{marc['id']}/history").json()
    end = history[-1]["valid_from"]

    changes = me.get(base + "/changes", params={"from": start, "to": end})
    assert changes.status_code == 200, changes.text
    body = changes.json()
    assert [(c["name"], c["quality_before"], c["quality_after"]) for c in body["improved"]] == [
        ("Sophie", 4, 5)]
    assert [c["relationship_id"] for c in body["added"]] == [marc["id"]]
    assert body["ended"] == body["worsened"] == []
    assert body["from"].startswith(start[:19])

    today = me.get(base, params={"as_of": end[:10]}).json()
    assert today["as_of"].startswith(end[:10] + "T23:59:59.999999")
    assert {r["name"] for r in today["relationships"]} == {"Sophie", "Marc"}
    long_ago = me.get(base, params={"as_of": "2001-01-01"}).json()
    assert long_ago["relationships"] == []
    naive = me.get(base, params={"as_of": "2001-01-01T12:00:00"}).json()
    assert naive["as_of"] == "2001-01-01T12:00:00Z"


def test_a_stale_if_match_gets_409_and_changes_nothing(ecomap, org, projector_conn):
    me, _, base, added, _, _ = ecomap
    url = f"{base}/relationships/{added['id']}"
    first = me.patch(url, json={"quality": 5}, headers={"if-match": '"1"'})
    assert first.status_code == 200
    before = network_events(projector_conn, org)
    for stale in (me.patch(url, json={"quality": 1}, headers={"if-match": '"1"'}),
                  me.post(url + "/end", headers={"if-match": '"1"'})):
        assert stale.status_code == 409
        assert stale.headers["content-type"].startswith("application/problem+json")
        assert stale.json()["type"].endswith("version-conflict")
    assert network_events(projector_conn, org) == before


def test_concurrent_saves_of_the_same_version_let_exactly_one_through(ecomap, org,
                                                                      projector_conn):
    me, _, base, added, _, _ = ecomap
    url = f"{base}/relationships/{added['id']}"
    before = network_events(projector_conn, org)

    def rate(n: int) -> int:  # every value differs from the current 4, so each is a change
        return me.patch(url, json={"quality": (1, 2, 3, 5)[n % 4]},
                        headers={"if-match": '"1"'}).status_code
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(rate, range(8)))
    assert statuses == [200] + [409] * 7
    assert network_events(projector_conn, org) == before + 1


def test_a_retried_add_with_the_same_idempotency_key_adds_one_relationship(
        ecomap, org, projector_conn):
    me, _, base, _, _, _ = ecomap
    body = {**SOPHIE, "name": "Zoé"}
    before = network_events(projector_conn, org)
    first = me.post(base + "/relationships", json=body, headers={"idempotency-key": "add-zoe"})
    second = me.post(base + "/relationships", json=body, headers={"idempotency-key": "add-zoe"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers["idempotent-replayed"] == "true"
    assert network_events(projector_conn, org) == before + 1
    other = me.post(base + "/relationships", json={**body, "name": "Zed"},
                    headers={"idempotency-key": "add-zoe"})
    assert other.status_code == 422 and network_events(projector_conn, org) == before + 1


def test_a_revision_that_changes_nothing_stores_nothing(ecomap, org, projector_conn):
    me, _, base, added, _, _ = ecomap
    before = network_events(projector_conn, org)
    same = me.patch(f"{base}/relationships/{added['id']}", json={"quality": 4, "name": "Sophie"})
    assert same.status_code == 200 and same.json()["version"] == 1
    assert network_events(projector_conn, org) == before


def test_a_person_cannot_see_or_change_another_persons_network(ecomap, org, login):
    _, _, base, added, _, _ = ecomap
    intruder = login(org, org.open("person").login)
    assert intruder.get(base).status_code == 403
    assert intruder.get(f"{base}/relationships/{added['id']}/history").status_code == 403
    assert intruder.patch(f"{base}/relationships/{added['id']}",
                          json={"quality": 1}).status_code == 403
    admin = login(org, "admin")
    assert admin.get(base).status_code == 403
    assert admin.post(base + "/relationships", json=SOPHIE).status_code == 403
