"""The aggregates a process keeps (ADR 34 §1.2) on real PostgreSQL: a command sees every
change saved by another process, never an aggregate of another tenant, and never a change that
failed; only the events saved since are read."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
import pytest

from domain.errors import InvalidState, InvalidValue, NotFound
from domain.quality_of_life.assessment import Assessment
from services import quality_of_life
from services.base import VersionConflict
from services.tenancy import tenant_scope


def _stored(conn: psycopg.Connection[Any], assessment_id: Any) -> int:
    row = conn.execute("SELECT count(*) FROM qualityoflife_events WHERE originator_id = %s",
                       [assessment_id]).fetchone()
    assert row is not None
    return int(row[0])


def test_a_change_saved_by_another_process_is_seen_by_the_next_command(
        org, write_side, other_process) -> None:
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    here.rate(person, opened.id, [("housing", 70)])  # cached here at version 2
    moved = there.rate(person, opened.id, [("housing", 20), ("food", 50)])
    assert moved.version == 4
    with pytest.raises(VersionConflict):
        here.star(person, opened.id, "housing", expected_version=2)
    starred = here.star(person, opened.id, "housing", expected_version=4)
    assert starred.version == 5
    with tenant_scope(org.tenant_id):
        seen_there = there.load(opened.id, Assessment, "assessment")
        seen_here = here.load(opened.id, Assessment, "assessment")
    for assessment in (seen_here, seen_there):
        assert (assessment.version, assessment.ratings["housing"], assessment.ratings["food"],
                assessment.stars) == (5, 20, 50, ["housing"])


def test_an_aggregate_in_the_cache_is_not_found_by_another_tenant(
        new_org, write_side, projector_conn) -> None:
    first, second = new_org(), new_org()
    person = first.open("person")
    stranger = second.open("practitioner")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 70)])  # now in this process's cache
    with pytest.raises(NotFound):
        qol.rate(stranger, opened.id, [("housing", 0)])
    with pytest.raises(NotFound):
        qol.person_of(stranger, opened.id)
    assert _stored(projector_conn, opened.id) == 2


def test_two_tenants_streams_of_one_id_are_each_cached_for_their_own_tenant(
        new_org, write_side, projector_conn, monkeypatch) -> None:
    """Streams are keyed by tenant first (ADR 31), so two tenants may hold one id (here by a
    fake of the id generator); the cache, shared by the process, keeps them apart too."""
    first, second = new_org(), new_org()
    mine, theirs = first.open("person"), second.open("person")
    shared_id = uuid4()
    monkeypatch.setattr(quality_of_life, "uuid4", lambda: shared_id)
    qol = write_side.quality_of_life
    assert qol.open_assessment(mine, mine.user_id).id == shared_id  # cached for the first
    assert qol.open_assessment(theirs, theirs.user_id).id == shared_id  # and for the second
    qol.rate(mine, shared_id, [("housing", 70)])
    qol.rate(theirs, shared_id, [("housing", 10)])
    qol.rate(theirs, shared_id, [("food", 20)])
    seen = {}
    for org in (first, second):
        with tenant_scope(org.tenant_id):
            assessment = qol.load(shared_id, Assessment, "assessment")
        seen[org.tenant_id] = (assessment.version, assessment.person_id, assessment.ratings)
    assert seen == {first.tenant_id: (2, mine.user_id, {"housing": 70}),
                    second.tenant_id: (3, theirs.user_id, {"housing": 10, "food": 20})}
    assert _stored(projector_conn, shared_id) == 5


def test_a_command_that_fails_leaves_nothing_in_the_cache(org, write_side,
                                                          projector_conn) -> None:
    person = org.open("person")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 70)])
    for theme in ("housing", "food", "hope"):
        qol.rate(person, opened.id, [(theme, 60)])
        qol.star(person, opened.id, theme)
    with pytest.raises(InvalidValue):  # the first two ratings are valid, the third is not
        qol.rate(person, opened.id, [("housing", 10), ("food", 11), ("hope", 101)])
    with pytest.raises(InvalidState):
        qol.star(person, opened.id, "work")  # a fourth star
    done = qol.rate(person, opened.id, [("work", 30)])
    assert done.version == 9
    with tenant_scope(org.tenant_id):
        assessment = qol.load(opened.id, Assessment, "assessment")
    assert (assessment.ratings["housing"], assessment.ratings["food"], assessment.stars) == (
        60, 60, ["housing", "food", "hope"])
    assert _stored(projector_conn, opened.id) == 9


def test_a_rule_is_decided_on_the_current_state_not_on_the_kept_copy(
        org, write_side, other_process, projector_conn) -> None:
    """Here the kept assessment has three stars; another process has removed one. A fourth
    star is allowed: the change is decided on the current state."""
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    for theme in ("housing", "food", "hope"):
        here.star(person, opened.id, theme)  # kept here with three stars
    there.unstar(person, opened.id, "food")
    starred = here.star(person, opened.id, "work")
    with tenant_scope(org.tenant_id):
        assessment = here.load(opened.id, Assessment, "assessment")
    assert (starred.version, assessment.stars) == (6, ["housing", "hope", "work"])
    assert _stored(projector_conn, opened.id) == 6


def test_a_change_to_a_kept_aggregate_reads_only_the_events_saved_since(
        org, write_side, monkeypatch) -> None:
    """One stream read from the kept version, and no snapshot read: nothing is replayed."""
    person = org.open("person")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 70)])
    reads: list[tuple[str, object]] = []
    assert qol.snapshots is not None
    for name, recorder in (("events", qol.events.recorder), ("snapshots", qol.snapshots.recorder)):
        original = recorder.select_events

        def counted(*args: Any, _name: str = name, _original: Any = original,
                    **kwargs: Any) -> Any:
            reads.append((_name, kwargs.get("gt")))
            return _original(*args, **kwargs)
        monkeypatch.setattr(recorder, "select_events", counted)
    done = qol.rate(person, opened.id, [("food", 50)])
    assert (done.version, reads) == (3, [("events", 2)])
    with pytest.raises(VersionConflict):
        qol.complete(person, opened.id, expected_version=2)
    assert reads == [("events", 2), ("events", 3)]


def test_a_change_that_saves_nothing_is_decided_on_the_current_state(
        org, write_side, other_process) -> None:
    """Starring a starred theme saves nothing: here the theme is starred in the kept copy,
    but another process has unstarred it, so the star is saved."""
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    here.star(person, opened.id, "housing")  # kept here at version 2, starred
    there.unstar(person, opened.id, "housing")  # version 3
    with pytest.raises(VersionConflict):
        here.star(person, opened.id, "housing", expected_version=2)
    starred = here.star(person, opened.id, "housing")
    with tenant_scope(org.tenant_id):
        assessment = there.load(opened.id, Assessment, "assessment")
    assert (starred.version, assessment.stars) == (4, ["housing"])


def test_without_if_match_a_change_is_appended_after_one_saved_by_another_process(
        org, write_side, other_process, projector_conn) -> None:
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    here.rate(person, opened.id, [("housing", 70)])  # kept here at version 2
    there.rate(person, opened.id, [("housing", 20)])  # version 3
    done = here.rate(person, opened.id, [("food", 50)])  # decided on version 3
    with tenant_scope(org.tenant_id):
        assessment = there.load(opened.id, Assessment, "assessment")
    assert (done.version, assessment.ratings) == (4, {"housing": 20, "food": 50})
    assert _stored(projector_conn, opened.id) == 4
