"""The quality-of-life use cases on real PostgreSQL: atomic batches, concurrency, access."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.catalog import load_catalog
from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound
from services.base import VersionConflict
from services.tenancy import NoTenantInScope, tenant_scope


def stored_events(conn: psycopg.Connection[Any], tenant_id: UUID, table: str = "qualityoflife_events") -> int:
    row = conn.execute(f"SELECT count(*) FROM {table} WHERE tenant_id = %s", [tenant_id]).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    return org.open("person"), org.open("practitioner")


def test_a_person_rates_their_own_assessment_and_each_rating_is_one_stored_event(
        org, people, write_side, projector_conn) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    rated = qol.rate(person, opened.id, [("housing", 70), ("food", 40), ("hope", 0)])
    assert (opened.version, rated.version) == (1, 4)
    assert rated.notification_id > opened.notification_id
    assert stored_events(projector_conn, org.tenant_id) == 4
    with tenant_scope(org.tenant_id):
        assessment = qol.repository.get(opened.id)
    assert assessment.ratings == {"housing": 70, "food": 40, "hope": 0}


@pytest.mark.parametrize("bad", [("housing", 101), ("astrology", 50), ("food", 12.5), ("food", True)])
def test_a_batch_of_ratings_with_one_invalid_rating_stores_nothing(
        org, people, write_side, projector_conn, bad) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    before = stored_events(projector_conn, org.tenant_id)
    with pytest.raises(InvalidValue):
        qol.rate(person, opened.id, [("housing", 70), ("sleep", 30), bad, ("hope", 90)])
    assert stored_events(projector_conn, org.tenant_id) == before == 1
    with tenant_scope(org.tenant_id):
        assert qol.repository.get(opened.id).ratings == {}


def test_two_loads_of_the_same_version_cannot_both_be_saved(org, people, write_side) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    catalog = load_catalog()
    opened = qol.open_assessment(person, person.user_id)
    with tenant_scope(org.tenant_id):
        first, second = qol.repository.get(opened.id), qol.repository.get(opened.id)
        first.rate(catalog, "housing", 10, person.user_id)
        second.rate(catalog, "housing", 90, person.user_id)
        qol.save(first)
        with pytest.raises(IntegrityError):
            qol.save(second)
        assert qol.repository.get(opened.id).ratings == {"housing": 10}


def test_of_two_concurrent_edits_of_one_version_exactly_one_succeeds(org, people, write_side) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    catalog = load_catalog()
    loaded = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def edit(value: int) -> None:
        with tenant_scope(org.tenant_id):
            assessment = qol.repository.get(opened.id)
            loaded.wait(timeout=10)  # both hold version 1 before either saves
            assessment.rate(catalog, "housing", value, person.user_id)
            try:
                outcomes[value] = qol.commit(assessment).version
            except IntegrityError as conflict:
                outcomes[value] = conflict

    threads = [threading.Thread(target=edit, args=(value,)) for value in (10, 90)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [v for v, outcome in outcomes.items() if outcome == 2]
    losers = [v for v, outcome in outcomes.items() if isinstance(outcome, IntegrityError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    with tenant_scope(org.tenant_id):
        stored = qol.repository.get(opened.id)
    assert stored.version == 2 and stored.ratings == {"housing": winners[0]}


def test_a_command_with_a_stale_expected_version_is_a_version_conflict(
        org, people, write_side, projector_conn) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    rated = qol.rate(person, opened.id, [("housing", 50)], expected_version=1)
    assert rated.version == 2
    before = stored_events(projector_conn, org.tenant_id)
    with pytest.raises(VersionConflict) as conflict:
        qol.rate(person, opened.id, [("housing", 60)], expected_version=1)
    assert isinstance(conflict.value, InvalidState)
    with pytest.raises(VersionConflict):
        qol.star(person, opened.id, "housing", expected_version=3)
    assert stored_events(projector_conn, org.tenant_id) == before
    assert qol.comment(person, opened.id, "housing", "Ça va", expected_version=2).version == 3


def test_a_person_cannot_reach_another_persons_assessment(org, write_side) -> None:
    alice, bob = org.open("person"), org.open("person")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(alice, alice.user_id)
    with pytest.raises(Forbidden):
        qol.open_assessment(bob, alice.user_id)
    attempts = [
        lambda: qol.rate(bob, opened.id, [("housing", 1)]),
        lambda: qol.comment(bob, opened.id, "housing", "Intrus"),
        lambda: qol.star(bob, opened.id, "housing"),
        lambda: qol.unstar(bob, opened.id, "housing"),
        lambda: qol.complete(bob, opened.id),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    with tenant_scope(org.tenant_id):
        assert qol.repository.get(opened.id).version == 1


def test_an_org_admin_cannot_open_or_touch_an_assessment(org, people, write_side) -> None:
    person, practitioner = people
    qol = write_side.quality_of_life
    with pytest.raises(Forbidden):
        qol.open_assessment(org.admin, person.user_id)
    opened = qol.open_assessment(practitioner, person.user_id)
    with pytest.raises(Forbidden):
        qol.rate(org.admin, opened.id, [("housing", 50)])
    with pytest.raises(Forbidden):
        qol.record_perceptions(org.admin, opened.id, [("housing", 50)])


def test_only_a_practitioner_records_perceptions(org, people, write_side) -> None:
    person, practitioner = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(practitioner, person.user_id)
    with pytest.raises(Forbidden):
        qol.record_perceptions(person, opened.id, [("housing", 50)])
    qol.rate(person, opened.id, [("housing", 80)])
    qol.record_perceptions(practitioner, opened.id, [("housing", 30)], comment="À revoir")
    with tenant_scope(org.tenant_id):
        assessment = qol.repository.get(opened.id)
    assert assessment.ratings == {"housing": 80}
    assert assessment.perceptions == {str(practitioner.user_id): {"housing": 30}}


def test_an_assessment_of_another_tenant_is_not_found(new_org, write_side) -> None:
    first, second = new_org(), new_org()
    person = first.open("person")
    intruder = second.open("practitioner")
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 50)])
    with pytest.raises(NotFound):
        qol.rate(intruder, opened.id, [("housing", 1)])
    with pytest.raises(NotFound):
        qol.person_of(intruder, opened.id)
    with pytest.raises(NotFound):
        qol.open_assessment(intruder, person.user_id)  # a person of another tenant is unknown here
    with tenant_scope(second.tenant_id), pytest.raises(AggregateNotFoundError):
        qol.repository.get(opened.id)
    with tenant_scope(first.tenant_id):
        assert qol.repository.get(opened.id).ratings == {"housing": 50}


def test_an_unknown_assessment_id_is_not_found(org, people, write_side) -> None:
    person, _ = people
    with pytest.raises(NotFound):
        write_side.quality_of_life.rate(person, uuid4(), [("housing", 5)])


def test_an_account_id_is_not_an_assessment(org, people, write_side) -> None:
    person, _ = people
    with pytest.raises(NotFound):
        write_side.quality_of_life.rate(person, person.user_id, [("housing", 5)])


def test_an_assessment_can_only_be_opened_for_a_person_served(org, people, write_side) -> None:
    _, practitioner = people
    qol = write_side.quality_of_life
    with pytest.raises(NotFound):
        qol.open_assessment(practitioner, practitioner.user_id)
    with pytest.raises(NotFound):
        qol.open_assessment(practitioner, uuid4())


def test_the_store_refuses_to_work_without_a_tenant_in_scope(org, people, write_side) -> None:
    person, _ = people
    opened = write_side.quality_of_life.open_assessment(person, person.user_id)
    with pytest.raises(NoTenantInScope):
        write_side.quality_of_life.repository.get(opened.id)


def test_a_fourth_star_is_refused_and_stores_nothing(org, people, write_side, projector_conn) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    for theme in ("housing", "food", "hope"):
        qol.star(person, opened.id, theme)
    before = stored_events(projector_conn, org.tenant_id)
    with pytest.raises(InvalidState):
        qol.star(person, opened.id, "sleep")
    assert qol.star(person, opened.id, "food").version == 4  # already starred: nothing new
    qol.unstar(person, opened.id, "food")
    assert qol.star(person, opened.id, "sleep").version == 6
    assert stored_events(projector_conn, org.tenant_id) == before + 2


def test_a_completed_assessment_refuses_changes_and_a_new_one_can_be_opened(
        org, people, write_side) -> None:
    person, practitioner = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    qol.rate(person, opened.id, [("housing", 20)])
    qol.complete(person, opened.id)
    for attempt in (lambda: qol.rate(person, opened.id, [("housing", 30)]),
                    lambda: qol.record_perceptions(practitioner, opened.id, [("housing", 30)]),
                    lambda: qol.complete(person, opened.id)):
        with pytest.raises(InvalidState):
            attempt()
    second = qol.open_assessment(practitioner, person.user_id)
    assert second.id != opened.id
    assert qol.rate(person, second.id, [("housing", 30)]).version == 2


def test_a_long_assessment_is_snapshotted_and_loads_the_same(org, people, write_side, projector_conn) -> None:
    person, _ = people
    qol = write_side.quality_of_life
    opened = qol.open_assessment(person, person.user_id)
    themes = list(load_catalog().themes)
    ratings = [(themes[i % len(themes)], i) for i in range(100)]
    assert qol.rate(person, opened.id, ratings).version == 101
    assert stored_events(projector_conn, org.tenant_id, "qualityoflife_snapshots") == 1
    qol.rate(person, opened.id, [("housing", 7)])
    with tenant_scope(org.tenant_id):
        assessment = qol.repository.get(opened.id)
    expected = dict(ratings) | {"housing": 7}
    assert assessment.version == 102 and assessment.ratings == expected


def test_assessment_events_name_the_tenant_in_their_row(org, people, write_side, projector_conn) -> None:
    person, _ = people
    opened = write_side.quality_of_life.open_assessment(person, person.user_id)
    rows = projector_conn.execute(
        "SELECT DISTINCT tenant_id FROM qualityoflife_events WHERE originator_id = %s",
        [opened.id]).fetchall()
    assert rows == [(org.tenant_id,)]
