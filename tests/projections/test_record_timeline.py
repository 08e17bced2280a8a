"""The record timeline: every change to a person's record across the tabs, newest first."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from infra.platform import all_projections, event_mapper
from infra.rebuild import rebuild
from projections.record.timeline import details_json
from services.network import NewRelationship


def _fill_all_four_tabs(org, side) -> tuple[Any, Any]:
    person, practitioner = org.open("person"), org.open("practitioner")
    opened = side.quality_of_life.open_assessment(practitioner, person.user_id)
    side.quality_of_life.rate(person, opened.id, [("housing", 40)])
    side.network.add(person, person.user_id, NewRelationship(
        name="Lucie", relationship_type="friend", quality=4, closeness="inner", frequency="weekly"))
    strength = side.strengths.note(person, person.user_id, "skill", "Je cuisine bien")
    side.plan.set_goal(practitioner, person.user_id, "Finir mes cours de chimie",
                       strengths=[strength.id])
    return person, practitioner


def _rows(conn, org) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT application, notification_id, person_id, tab, kind, subject_id, author_id, at,"
        " details FROM record_timeline WHERE tenant_id = %s ORDER BY at, application,"
        " notification_id", [org.tenant_id]).fetchall()


def test_the_timeline_holds_one_entry_per_change_with_its_tab_and_author(org, write_side, catch_up, projector_conn):
    person, practitioner = _fill_all_four_tabs(org, write_side)
    catch_up()
    rows = _rows(projector_conn, org)
    assert [(r[3], r[4]) for r in rows] == [
        ("quality_of_life", "Opened"), ("quality_of_life", "ThemeRated"),
        ("social_network", "RelationshipAdded"), ("strengths", "StrengthNoted"),
        ("plan", "GoalSet")]
    assert rows[0][6] == practitioner.user_id and rows[1][6] == person.user_id
    assert rows[1][8]["theme"] == "housing" and rows[1][8]["value"] == 40
    assert {r[2] for r in rows} == {person.user_id}


def test_rebuilding_the_timeline_gives_the_same_rows(org, write_side, catch_up, projector_conn):
    _fill_all_four_tabs(org, write_side)
    catch_up()
    before = _rows(projector_conn, org)
    rebuild(projector_conn, [p for p in all_projections() if p.name.startswith("timeline_")],
            event_mapper())
    assert _rows(projector_conn, org) == before and len(before) == 5


def test_rebuilding_one_applications_timeline_leaves_the_others_rows(org, write_side, catch_up, projector_conn):
    _fill_all_four_tabs(org, write_side)
    catch_up()
    before = _rows(projector_conn, org)
    network = next(p for p in all_projections() if p.name == "timeline_network")
    projector_conn.execute(  # one row of another application, and the network's row, gone
        "DELETE FROM record_timeline WHERE tenant_id = %s AND (application = 'Network'"
        " OR (application = 'QualityOfLife' AND kind = 'Opened'))", [org.tenant_id])
    rebuild(projector_conn, [network], event_mapper())  # the table is shared: not swapped
    assert _rows(projector_conn, org) == before[1:]  # the network's row back, the other not
    qol = next(p for p in all_projections() if p.name == "timeline_qualityoflife")
    rebuild(projector_conn, [qol], event_mapper())  # and the deleted row back, for the next tests
    assert _rows(projector_conn, org) == before


def test_details_are_the_json_of_the_events_fields_as_python_writes_them_with_str() -> None:
    """details_json equals json.dumps(details, default=str), the encoding it replaced, for
    every kind of value an event holds (the rows already written keep the same details)."""
    fields = {
        "originator_id": uuid4(), "originator_version": 3, "timestamp": datetime.now(UTC),
        "person_id": uuid4(), "tenant_id": uuid4(), "originator_topic": "x:Y",
        "theme": "housing", "value": 40, "quality": 4, "author_id": uuid4(),
        "comment": None, "text": "Été « chez moi » \"cité\" \\ ok", "recorded_in_person": True,
        "supports": ["emotional", "practical"], "strengths": [uuid4(), uuid4()],
        "until": datetime(2027, 1, 2, 3, 4, 5, 6, tzinfo=UTC), "due": date(2027, 1, 2),
        "amount": Decimal("12.50"), "ratio": 0.25, "nested": {"at": uuid4(), "n": [1, 2]},
        "deep": {"when": datetime(2027, 5, 6, tzinfo=UTC), "times": [datetime(2027, 5, 7, tzinfo=UTC)]},
    }
    expected = {k: v for k, v in fields.items() if k not in
                ("originator_id", "originator_version", "timestamp", "originator_topic",
                 "person_id", "tenant_id")}
    assert json.loads(details_json(fields)) == json.loads(
        json.dumps(expected, default=str, ensure_ascii=False))
    assert "person_id" not in json.loads(details_json(fields))
