"""A change whose save lost the race (another save took the version first) is decided again
on the new state (ADR 42), on real PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil
import threading
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

import services
from domain.catalog import load_catalog
from domain.quality_of_life.assessment import Assessment
from services.base import LOST_RACE_ATTEMPTS, BarometreApplication, Decision, VersionConflict
from services.tenancy import tenant_scope


def _stored(conn: psycopg.Connection[Any], assessment_id: UUID) -> int:
    row = conn.execute("SELECT count(*) FROM qualityoflife_events WHERE originator_id = %s",
                       [assessment_id]).fetchone()
    assert row is not None
    return int(row[0])


def test_a_save_that_lost_the_race_is_decided_again_on_the_new_state(
        org, write_side, other_process, projector_conn) -> None:
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    here.rate(person, opened.id, [("housing", 70)])  # version 2
    decided_on: list[int] = []

    def decide(assessment: Assessment) -> None:
        decided_on.append(assessment.version)
        if len(decided_on) == 1:  # between this decision and its save, another one saves
            there.rate(person, opened.id, [("housing", 20)])
        assessment.rate(load_catalog(assessment.catalog_version), "food", 50, person.user_id)
    with tenant_scope(org.tenant_id):
        done = here.change(opened.id, Assessment, "assessment", Decision(decide))
        assessment = there.load(opened.id, Assessment, "assessment")
    assert decided_on == [2, 3]
    assert (done.version, assessment.ratings) == (4, {"housing": 20, "food": 50})
    assert _stored(projector_conn, opened.id) == 4


def test_decided_again_a_stale_expected_version_is_a_version_conflict(
        org, write_side, other_process, projector_conn) -> None:
    """With If-Match, the loser of a race gets 409 as if it had come second."""
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    decided_on: list[int] = []

    def decide(assessment: Assessment) -> None:
        decided_on.append(assessment.version)
        BarometreApplication.check_version(assessment, 1)
        there.star(person, opened.id, "housing")  # saved first: version 2
        assessment.star(load_catalog(assessment.catalog_version), "food", person.user_id)
    with tenant_scope(org.tenant_id), pytest.raises(VersionConflict):
        here.change(opened.id, Assessment, "assessment", Decision(decide))
    assert decided_on == [1, 2]
    assert _stored(projector_conn, opened.id) == 2


def test_a_change_that_loses_every_race_is_refused_after_the_last_attempt(
        org, write_side, other_process, projector_conn) -> None:
    person = org.open("person")
    here, there = write_side.quality_of_life, other_process.quality_of_life
    opened = here.open_assessment(person, person.user_id)
    decided = 0

    def decide(assessment: Assessment) -> None:
        nonlocal decided
        decided += 1
        there.rate(person, opened.id, [("housing", decided)])  # always one step ahead
        assessment.rate(load_catalog(assessment.catalog_version), "food", 50, person.user_id)
    with tenant_scope(org.tenant_id), pytest.raises(IntegrityError):
        here.change(opened.id, Assessment, "assessment", Decision(decide))
    assert decided == LOST_RACE_ATTEMPTS
    assert _stored(projector_conn, opened.id) == 1 + decided  # only the other's saves


def test_concurrent_ratings_without_expected_version_are_all_saved(
        org, write_side, other_process, projector_conn) -> None:
    """Eight commands on one assessment at once, from two processes: none is refused."""
    person = org.open("person")
    sides = (write_side.quality_of_life, other_process.quality_of_life)
    opened = sides[0].open_assessment(person, person.user_id)
    themes = list(load_catalog().themes)[:8]
    start = threading.Barrier(len(themes))
    outcomes: dict[str, object] = {}

    def rate(i: int, theme: str) -> None:
        start.wait(timeout=10)
        try:
            outcomes[theme] = sides[i % 2].rate(person, opened.id, [(theme, i)]).version
        except Exception as refused:  # noqa: BLE001  (the test reports any refusal)
            outcomes[theme] = refused
    threads = [threading.Thread(target=rate, args=(i, t)) for i, t in enumerate(themes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    versions = [v for v in outcomes.values() if isinstance(v, int)]
    assert len(versions) == len(themes), outcomes
    assert sorted(versions) == list(range(2, 2 + len(themes)))
    with tenant_scope(org.tenant_id):
        assessment = sides[1].load(opened.id, Assessment, "assessment")
    assert assessment.ratings == {t: i for i, t in enumerate(themes)}
    assert _stored(projector_conn, opened.id) == 1 + len(themes)


def test_a_snapshot_refused_after_the_save_is_not_decided_again(
        org, write_side, projector_conn, monkeypatch) -> None:
    """Snapshots are taken after the save: an integrity error there (here a stand-in) is the
    command's answer, and the change, saved once, is not decided again."""
    person = org.open("person")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 70)])

    def refuse(*_: Any, **__: Any) -> None:
        raise IntegrityError("a snapshot's key, after the events were saved")
    monkeypatch.setattr(qol, "take_snapshot", refuse)
    themes = list(load_catalog().themes)
    with pytest.raises(IntegrityError):  # versions 3 to 100: a snapshot is due at 100
        qol.rate(person, opened.id, [(themes[i % len(themes)], i) for i in range(98)])
    assert _stored(projector_conn, opened.id) == 100  # saved once, not twice


def test_no_application_takes_snapshots_inside_its_save() -> None:
    """The library's `snapshotting_intervals` would take them inside `save`, where an
    integrity error after the events were saved would be decided again."""
    for module in pkgutil.iter_modules(services.__path__):
        importlib.import_module(f"services.{module.name}")
    applications = BarometreApplication.__subclasses__()
    assert len(applications) >= 7
    assert [a.__name__ for a in applications if a.snapshotting_intervals] == []
    assert {a.__name__ for a in applications if a.snapshot_every} >= {"QualityOfLife", "Plan"}
