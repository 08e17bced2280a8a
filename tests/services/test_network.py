"""The ecomap use cases on real PostgreSQL: one event per change, atomic revisions,
concurrency, ending, and who may reach which relationship."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from domain.errors import Forbidden, InvalidState, InvalidValue, NotFound
from services.base import VersionConflict
from services.network import NewRelationship, Revision
from services.tenancy import tenant_scope

SOPHIE = NewRelationship("Sophie", "family", 4, "inner", "weekly", label="ma sœur",
                         supports=["emotional"])


def stored_events(conn: psycopg.Connection[Any], tenant_id: UUID) -> list[str]:
    rows = conn.execute("SELECT topic FROM network_events WHERE tenant_id = %s"
                        " ORDER BY notification_id", [tenant_id]).fetchall()
    return [r[0].rsplit(".", 1)[-1] for r in rows]


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    return org.open("person"), org.open("practitioner")


def test_a_revision_stores_one_event_per_changed_field_in_one_commit(
        org, people, write_side, projector_conn) -> None:
    person, practitioner = people
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    revised = network.revise(practitioner, person.user_id, added.id, Revision(
        quality=2, closeness="middle", supports=["practical", "emotional"], comment="Tensions",
        name="Sophie"))  # the name is unchanged: no event for it
    assert (added.version, revised.version) == (1, 5)
    assert stored_events(projector_conn, org.tenant_id) == [
        "RelationshipAdded", "RelationshipRated", "ClosenessChanged", "SupportsChanged",
        "RelationshipCommented"]
    with tenant_scope(org.tenant_id):
        r = network.repository.get(added.id)
    assert (r.quality, r.closeness, r.supports, r.comment_text) == (
        2, "middle", ["emotional", "practical"], "Tensions")
    assert r.person_id == person.user_id


def test_a_revision_with_one_bad_field_stores_none_of_it(org, people, write_side,
                                                         projector_conn) -> None:
    person, _ = people
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    with pytest.raises(InvalidValue, match="contact frequency"):
        network.revise(person, person.user_id, added.id, Revision(quality=5, frequency="hourly"))
    with pytest.raises(InvalidValue, match="nothing to change"):
        network.revise(person, person.user_id, added.id, Revision())
    assert stored_events(projector_conn, org.tenant_id) == ["RelationshipAdded"]


def test_only_the_label_may_change_and_null_removes_it(org, people, write_side) -> None:
    person, _ = people
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    network.revise(person, person.user_id, added.id, Revision(label="grande sœur"))
    network.revise(person, person.user_id, added.id, Revision(relationship_type="friend"))
    with tenant_scope(org.tenant_id):
        assert network.repository.get(added.id).label == "grande sœur"
    network.revise(person, person.user_id, added.id, Revision(label=None))
    with tenant_scope(org.tenant_id):
        r = network.repository.get(added.id)
    assert (r.relationship_type, r.label, r.version) == ("friend", None, 4)


def test_an_ended_relationship_refuses_changes_and_a_second_end(
        org, people, write_side, projector_conn) -> None:
    person, _ = people
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    network.end(person, person.user_id, added.id)
    with pytest.raises(InvalidState, match="ended"):
        network.revise(person, person.user_id, added.id, Revision(quality=4))  # unchanged value
    with pytest.raises(InvalidState, match="ended"):
        network.end(person, person.user_id, added.id)
    assert stored_events(projector_conn, org.tenant_id) == ["RelationshipAdded", "RelationshipEnded"]


def test_a_stale_expected_version_is_a_version_conflict(org, people, write_side) -> None:
    person, _ = people
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    network.revise(person, person.user_id, added.id, Revision(quality=5), expected_version=1)
    with pytest.raises(VersionConflict):
        network.revise(person, person.user_id, added.id, Revision(quality=1), expected_version=1)
    with pytest.raises(VersionConflict):
        network.end(person, person.user_id, added.id, expected_version=1)


def test_of_two_concurrent_revisions_of_one_version_exactly_one_is_saved(
        org, people, write_side) -> None:
    person, _ = people
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    loaded = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def rate(quality: int) -> None:
        with tenant_scope(org.tenant_id):
            r = network.repository.get(added.id)
            loaded.wait(timeout=10)
            r.rate(quality, person.user_id)
            try:
                outcomes[quality] = network.commit(r).version
            except IntegrityError as conflict:
                outcomes[quality] = conflict
    threads = [threading.Thread(target=rate, args=(q,)) for q in (1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted("conflict" if isinstance(o, IntegrityError) else type(o).__name__
                  for o in outcomes.values()) == ["conflict", "int"]
    with tenant_scope(org.tenant_id):
        assert network.repository.get(added.id).version == 2


def test_a_relationship_of_another_person_is_not_found_through_this_person(
        org, people, write_side) -> None:
    person, practitioner = people
    other = org.open("person")
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    with pytest.raises(NotFound):
        network.revise(practitioner, other.user_id, added.id, Revision(quality=1))
    with pytest.raises(NotFound):
        network.end(practitioner, other.user_id, added.id)
    with pytest.raises(NotFound):
        network.revise(practitioner, person.user_id, uuid4(), Revision(quality=1))


def test_a_person_reaches_only_their_own_network_and_an_admin_none(
        org, people, write_side) -> None:
    person, _ = people
    other = org.open("person")
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    for actor in (other, org.admin):
        with pytest.raises(Forbidden):
            network.add(actor, person.user_id, SOPHIE)
        with pytest.raises(Forbidden):
            network.revise(actor, person.user_id, added.id, Revision(quality=1))
        with pytest.raises(Forbidden):
            network.end(actor, person.user_id, added.id)


def test_a_relationship_of_another_tenant_is_not_found(new_org, write_side) -> None:
    first, second = new_org(), new_org()
    person, intruder = first.open("person"), second.open("practitioner")
    network = write_side.network
    added = network.add(person, person.user_id, SOPHIE)
    with pytest.raises(NotFound):
        network.revise(intruder, person.user_id, added.id, Revision(quality=1))
    with pytest.raises(NotFound):
        network.add(intruder, person.user_id, SOPHIE)  # a person of another tenant is unknown


def test_only_a_person_served_has_a_network(org, people, write_side) -> None:
    _, practitioner = people
    with pytest.raises(NotFound):
        write_side.network.add(practitioner, practitioner.user_id, SOPHIE)
    with pytest.raises(NotFound):
        write_side.network.add(practitioner, uuid4(), SOPHIE)

