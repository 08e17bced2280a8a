"""Every list the API returns comes a page at a time (finding 6): walked page by page with a
small limit, a list gives the same rows, in the same order, as one large page, none lost or
repeated; the last page has no next cursor; limits and cursors are checked (ADR 30)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from domain.catalog import load_catalog
from services.network import NewRelationship, Revision
from tests.conftest import Org
from tests.http.conftest import logged_in, open_org, wait_for_views


@dataclass
class Record:
    org: Org
    person_id: UUID
    client: httpx.Client
    relationship_id: UUID
    strength_id: UUID
    goal_id: UUID
    base: str


@pytest.fixture(scope="module")
def record(write_side, base_url, projector) -> Iterator[Record]:  # type: ignore[no-untyped-def]
    """A person with three to seven rows in every list of their record, written by the
    services; the client is logged in as the person."""
    org = open_org(write_side)
    person = org.open("person")
    me = person.user_id
    side, last = org.side, {}
    themes = list(load_catalog().themes)[:7]
    for _ in range(3):
        assessment = side.quality_of_life.open_assessment(person, me).id
    side.quality_of_life.rate(person, assessment, [(t, 50) for t in themes], person_id=me)
    for value in (10, 20, 30, 40):
        side.quality_of_life.rate(person, assessment, [("housing", value)], person_id=me)
    for theme in themes[:3]:
        last["QualityOfLife"] = side.quality_of_life.star(person, assessment, theme, person_id=me)
    names = ("Amélie", "bruno", "Chloé", "denise", "Éric")
    relationships = [side.network.add(person, me, NewRelationship(n, "friend", 3, "middle",
                                                                  "weekly")).id for n in names]
    for quality in (1, 2, 4, 5):
        side.network.revise(person, me, relationships[0], Revision(quality=quality))
    last["Network"] = side.network.add(person, me, NewRelationship("Zoé", "family", 4, "inner",
                                                                   "daily"))
    strengths = [side.strengths.note(person, me, "skill", f"Force {i}").id for i in range(4)]
    for i in range(3):
        last["Strengths"] = side.strengths.reword(person, me, strengths[0], f"Force bis {i}")
    goals = [side.plan.set_goal(person, me, f"But {i}").id for i in range(3)]
    for i in range(5):
        last["Plan"] = side.plan.add_action(person, me, goals[0], f"Action {i}", "person")
    for i in range(3):
        practitioner = org.open("practitioner")
        side.consent.grant(person, me, "practitioner", practitioner.user_id, ["strengths"], "read")
        last["Consent"] = side.consent.request_access(practitioner, me, ["plan"], "read",
                                                      f"Suivi {i}")
    for application, result in last.items():
        wait_for_views(org, application, result.notification_id)
    client = logged_in(base_url, org, person.login)
    yield Record(org, me, client, relationships[0], strengths[0], goals[0], f"/persons/{me}")
    client.close()


def _walk(client: httpx.Client, url: str, limit: int, rows: Callable[[Any], list[Any]],
          next_cursor: Callable[[httpx.Response], str | None],
          parameter: str = "cursor", **params: Any) -> tuple[list[Any], int]:
    """Every row of a list, page by page; and how many pages it took."""
    seen: list[Any] = []
    cursor, pages = None, 0
    while True:
        response = client.get(url, params={**params, "limit": limit,
                                           **({parameter: cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page, cursor = rows(response.json()), next_cursor(response)
        assert len(page) <= limit
        seen += page
        pages += 1
        if cursor is None:
            assert pages == 1 or page, "a last page is never empty when it follows another"
            return seen, pages
        assert len(page) == limit, "only the last page is short"
        if "Link" in response.headers:
            assert response.headers["Link"].endswith('>; rel="next"')


def _header(response: httpx.Response) -> str | None:
    return response.headers.get("Next-Cursor")


ARRAY_LISTS = {  # route (relative to the record) -> expected rows
    "/assessments": 3, "/ratings": 7, "/themes/housing/history": 5, "/priorities": 3,
    "/strengths": 4, "/strengths/{strength}/history": 4, "/plan/goals": 3,
    "/plan/goals/{goal}/history": 6, "/plan/actions": 5,
    "/network/relationships/{relationship}/history": 5,
}


@pytest.mark.parametrize("route", list(ARRAY_LISTS))
def test_a_list_walked_page_by_page_gives_every_row_once_in_order(record: Record,
                                                                   route: str) -> None:
    url = record.base + route.format(strength=record.strength_id, goal=record.goal_id,
                                     relationship=record.relationship_id)
    whole = record.client.get(url, params={"limit": 500})
    assert whole.status_code == 200 and "Next-Cursor" not in whole.headers
    assert len(whole.json()) == ARRAY_LISTS[route]
    for limit in (1, 2):
        walked, pages = _walk(record.client, url, limit, lambda body: body, _header)
        assert walked == whole.json()
        assert pages == -(-len(walked) // limit)


def test_the_default_page_is_bounded(record: Record) -> None:
    response = record.client.get(record.base + "/ratings", params={"limit": 3})
    assert len(response.json()) == 3
    follow = response.headers["Link"].split(">")[0].lstrip("<")
    assert follow.startswith(f"/api/v1{record.base}/ratings?") and "limit=3" in follow
    assert response.headers["Next-Cursor"] in follow


def test_the_map_and_its_changes_page_in_their_body(record: Record) -> None:
    url = record.base + "/network"
    whole = record.client.get(url, params={"limit": 500}).json()
    assert whole["next_cursor"] is None and len(whole["relationships"]) == 6
    walked, _ = _walk(record.client, url, 2, lambda b: b["relationships"],
                      lambda r: r.json()["next_cursor"])
    assert walked == whole["relationships"]
    assert [r["name"] for r in walked][:1] == ["Zoé"]  # inner circle first, then by name
    changes = record.base + "/network/changes"
    span = {"from": "2000-01-01", "to": "2999-12-31"}
    all_changes = record.client.get(changes, params={**span, "limit": 500}).json()
    walked, pages = _walk(record.client, changes, 4, lambda b: b["added"],
                          lambda r: r.json()["next_cursor"], **span)
    assert walked == all_changes["added"] and len(walked) == 6 and pages == 2


def test_grants_and_requests_page_each_on_their_own(record: Record) -> None:
    url = record.base + "/consent"
    whole = record.client.get(url, params={"limit": 500}).json()
    assert len(whole["grants"]) == 3 and len(whole["requests"]) == 3
    grants, _ = _walk(record.client, url, 1, lambda b: b["grants"],
                      lambda r: r.json()["grants_next_cursor"], "grants_cursor")
    requests, _ = _walk(record.client, url, 2, lambda b: b["requests"],
                        lambda r: r.json()["requests_next_cursor"], "requests_cursor")
    assert grants == whole["grants"] and requests == whole["requests"]


def test_the_timeline_pages_newest_first(record: Record) -> None:
    url = record.base + "/timeline"
    whole = record.client.get(url, params={"limit": 200}).json()
    assert whole["next_cursor"] is None
    walked, _ = _walk(record.client, url, 7, lambda b: b["entries"],
                      lambda r: r.json()["next_cursor"], "before")
    assert walked == whole["entries"]
    assert [e["at"] for e in walked] == sorted((e["at"] for e in walked), reverse=True)


def test_the_organizations_lists_page(record: Record, base_url: str) -> None:
    org = record.org
    for i in range(3):
        org.side.teams.create_team(org.admin, f"Équipe {i}")
    last = org.side.teams.create_team(org.admin, "Équipe Z")
    wait_for_views(org, "Teams", last.notification_id)
    admin = logged_in(base_url, org, "admin")
    try:
        for url, count in (("/accounts", 5), ("/teams", 4)):
            whole = admin.get(url, params={"limit": 500}).json()
            assert len(whole) == count
            assert _walk(admin, url, 2, lambda body: body, _header)[0] == whole
    finally:
        admin.close()


def test_a_summary_embeds_only_a_first_page_and_says_where_the_rest_is(record: Record) -> None:
    summary = record.client.get(record.base + "/summary").json()
    assert summary["more"] == {}
    assert len(summary["strengths"]) == 4 and len(summary["quality_of_life"]["current_ratings"]) == 7


@pytest.mark.parametrize("limit", [0, -1, 501, "many"])
def test_a_limit_out_of_bounds_is_refused_naming_it(record: Record, limit: Any) -> None:
    response = record.client.get(record.base + "/themes/housing/history", params={"limit": limit})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "limit" in response.json()["detail"]


def _cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


BAD_CURSORS = {
    "not base64": "%%%", "not json": base64.urlsafe_b64encode(b"\xff\x00").decode(),
    "another list's": _cursor("goals", "2026-01-01T00:00:00+00:00",
                              "6f1c2d0e-0000-4000-8000-000000000000"),
    "a wrong type": _cursor("theme-history", "12"), "a boolean": _cursor("theme-history", True),
    "too many keys": _cursor("theme-history", 1, 2), "out of range": _cursor("theme-history", 2**70),
    "a NUL in text": _cursor("ratings", "person\u0000", "housing"),
    "a naive instant": _cursor("assessments", "2026-01-01T00:00:00",
                               "6f1c2d0e-0000-4000-8000-000000000000"),
    "an instant past year 9999 in UTC": _cursor("assessments", "9999-12-31T23:00:00-05:00",
                                                "6f1c2d0e-0000-4000-8000-000000000000"),
    "too long": "A" * 2000,
}


@pytest.mark.parametrize("name", list(BAD_CURSORS))
def test_a_cursor_this_api_did_not_give_out_is_refused(record: Record, name: str) -> None:
    for route, parameter in (("/themes/housing/history", "cursor"), ("/ratings", "cursor"),
                             ("/assessments", "cursor"), ("/timeline", "before")):
        response = record.client.get(record.base + route, params={parameter: BAD_CURSORS[name]})
        assert response.status_code == 400, (route, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert parameter in response.json()["detail"]


def test_a_summary_and_a_goal_cut_long_lists_and_say_where_they_go_on(write_side, base_url,
                                                                     projector) -> None:  # type: ignore[no-untyped-def]
    org = open_org(write_side)
    person = org.open("person")
    me, side = person.user_id, org.side
    for i in range(101):
        side.strengths.note(person, me, "skill", f"Force {i:03}")
    goal = side.plan.set_goal(person, me, "Un but").id
    for i in range(101):
        last = side.plan.add_action(person, me, goal, f"Action {i:03}", "person")
    wait_for_views(org, "Strengths", side.strengths.note(person, me, "skill", "Force 101")
                   .notification_id)
    wait_for_views(org, "Plan", last.notification_id)
    client = logged_in(base_url, org, person.login)
    try:
        summary = client.get(f"/persons/{me}/summary").json()
        assert len(summary["strengths"]) == 100 and set(summary["more"]) == {"strengths"}
        rest = client.get(f"/persons/{me}/strengths", params={"cursor": summary["more"]["strengths"]})
        assert [s["text"] for s in rest.json()] == ["Force 100", "Force 101"]
        (shown,) = summary["plan"]
        assert len(shown["actions"]) == 100 and shown["truncated"] == ["actions"]
        actions, _ = _walk(client, f"/persons/{me}/plan/actions", 500, lambda b: b, _header,
                           goal_id=goal)
        assert [a["text"] for a in actions[:100]] == [a["text"] for a in shown["actions"]]
        assert len(actions) == 101
    finally:
        client.close()
