"""The strengths use cases on real PostgreSQL: access, links checked on the write side."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from domain.errors import Forbidden, InvalidValue, NotFound
from infra.eventstore.factory import factory_builder
from services.actor import Actor
from services.strengths import Strengths, network_member_check
from services.tenancy import tenant_scope


def stored_events(conn: psycopg.Connection[Any], tenant_id: UUID) -> int:
    row = conn.execute("SELECT count(*) FROM strengths_events WHERE tenant_id = %s",
                       [tenant_id]).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    return org.open("person"), org.open("practitioner")


def test_a_practitioner_notes_a_strength_with_the_person_and_each_change_is_one_event(
        org, people, write_side, projector_conn) -> None:
    person, practitioner = people
    strengths = write_side.strengths
    noted = strengths.note(practitioner, person.user_id, "skill", "Je répare des vélos",
                           theme="transportation")
    reworded = strengths.reword(person, person.user_id, noted.id, "Je répare les vélos du quartier")
    retired = strengths.retire(person, person.user_id, noted.id)
    assert (noted.version, reworded.version, retired.version) == (1, 2, 3)
    assert stored_events(projector_conn, org.tenant_id) == 3
    with tenant_scope(org.tenant_id):
        strength = strengths.repository.get(noted.id)
    assert (strength.text, strength.sphere, strength.retired) == (
        "Je répare les vélos du quartier", "needs", True)


def test_a_strength_of_another_person_is_not_found_through_this_persons_record(
        org, people, write_side, projector_conn) -> None:
    person, practitioner = people
    other = org.open("person")
    noted = write_side.strengths.note(practitioner, other.user_id, "value", "La loyauté")
    before = stored_events(projector_conn, org.tenant_id)
    with pytest.raises(NotFound):
        write_side.strengths.reword(practitioner, person.user_id, noted.id, "Autre chose")
    with pytest.raises(Forbidden):
        write_side.strengths.retire(person, other.user_id, noted.id)
    assert stored_events(projector_conn, org.tenant_id) == before


def test_a_strength_for_an_unknown_person_is_refused(org, people, write_side) -> None:
    _, practitioner = people
    with pytest.raises(NotFound, match="person"):
        write_side.strengths.note(practitioner, uuid4(), "skill", "Je chante")


def test_without_a_network_tab_every_member_link_is_refused_clearly(org, people, write_side) -> None:
    person, _ = people
    alone = Strengths(factory_builder(write_side.datastore), write_side.accounts)
    with pytest.raises(InvalidValue, match="network"):
        alone.note(person, person.user_id, "people", "Mon voisin", member_id=uuid4())


def test_a_member_link_is_accepted_only_when_the_checker_finds_the_persons_relationship(
        org, people, write_side) -> None:
    person, _ = people
    known = uuid4()
    asked: list[tuple[Actor, UUID, UUID]] = []

    def exists(actor: Actor, person_id: UUID, member_id: UUID) -> bool:
        asked.append((actor, person_id, member_id))
        return member_id == known
    strengths = Strengths(factory_builder(write_side.datastore), write_side.accounts,
                          member_exists=exists)
    noted = strengths.note(person, person.user_id, "people", "Mon voisin Marc", member_id=known)
    with pytest.raises(InvalidValue, match="not in this person's network"):
        strengths.link(person, person.user_id, noted.id, None, None, uuid4())
    assert [a[1:] for a in asked] == [(person.user_id, known), (person.user_id, asked[1][2])]


def test_the_network_checker_reads_the_network_application_when_asked(org, people, write_side) -> None:
    person, _ = people
    missing = network_member_check(lambda: None)
    with pytest.raises(InvalidValue, match="not available"):
        missing(person, person.user_id, uuid4())
    # Any application will do: an id it does not hold is not a relationship of the person.
    found = network_member_check(lambda: write_side.strengths)
    assert found(person, person.user_id, uuid4()) is False
    noted = write_side.strengths.note(person, person.user_id, "skill", "Je dessine")
    assert found(person, person.user_id, noted.id) is False  # a Strength is no Relationship


def test_a_strength_names_a_relationship_of_the_persons_own_network_only(
        org, people, write_side, projector_conn) -> None:
    """Through the composition root's wiring to the real Network application."""
    from services.network import NewRelationship

    person, practitioner = people
    other = org.open("person")
    sister = NewRelationship("Julie", "family", 5, "inner", "weekly")
    mine = write_side.network.add(practitioner, person.user_id, sister).id
    theirs = write_side.network.add(practitioner, other.user_id, sister).id
    noted = write_side.strengths.note(person, person.user_id, "people", "Ma sœur Julie",
                                      member_id=mine)
    before = stored_events(projector_conn, org.tenant_id)
    for member in (theirs, uuid4(), noted.id):
        with pytest.raises(InvalidValue, match="not in this person's network"):
            write_side.strengths.link(person, person.user_id, noted.id, None, None, member)
    assert stored_events(projector_conn, org.tenant_id) == before
    with tenant_scope(org.tenant_id):
        assert write_side.strengths.repository.get(noted.id).member_id == mine
