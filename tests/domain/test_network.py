"""The rules of a relationship on the ecomap, on the aggregate alone (no storage)."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import InvalidState, InvalidValue
from domain.network.relationship import Relationship
from domain.network.vocabulary import CLOSENESS, FREQUENCIES, QUALITIES, RELATIONSHIP_TYPES

TENANT, PERSON, AUTHOR = uuid4(), uuid4(), uuid4()


def added(**overrides: object) -> Relationship:
    args: dict[str, object] = {"name": "Sophie", "relationship_type": "family", "quality": 4,
                               "closeness": "inner", "frequency": "weekly"}
    args.update(overrides)
    keywords = {k: args.pop(k) for k in ("label", "supports", "comment") if k in args}
    return Relationship.add(uuid4(), TENANT, PERSON, args["name"], args["relationship_type"],
                            args["quality"], args["closeness"], args["frequency"], AUTHOR,
                            **keywords)  # type: ignore[arg-type]


def replayed(r: Relationship) -> Relationship:
    events = r.collect_events()
    copy = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, Relationship)
    return copy


def test_adding_a_relationship_records_every_field_in_one_event() -> None:
    r = added(label="  ma sœur ", supports=["practical", "emotional"], comment="On se voit le dimanche")
    [e] = r.collect_events()
    assert isinstance(e, Relationship.RelationshipAdded)
    assert (e.person_id, e.author_id, e.tenant_id) == (PERSON, AUTHOR, TENANT)
    assert (e.name, e.relationship_type, e.label, e.quality, e.closeness, e.frequency) == (
        "Sophie", "family", "ma sœur", 4, "inner", "weekly")
    assert e.supports == ["emotional", "practical"]  # vocabulary order, whatever the input
    assert e.comment == "On se voit le dimanche"


def test_supports_are_deduplicated_and_may_be_empty() -> None:
    assert added(supports=["social", "social", "emotional"]).supports == ["emotional", "social"]
    assert added().supports == []


@pytest.mark.parametrize("field, value, words", [
    ("relationship_type", "enemy", "unknown relationship type"),
    ("closeness", "far", "unknown closeness"),
    ("frequency", "hourly", "unknown contact frequency"),
    ("quality", 0, "1 to 5"), ("quality", 6, "1 to 5"), ("quality", "5", "1 to 5"),
    ("quality", True, "1 to 5"), ("quality", 4.0, "1 to 5"),
    ("supports", ["financial"], "unknown kind of support"),
    ("name", "   ", "name must not be empty"), ("name", "x" * 121, "at most 120"),
    ("label", "", "label must not be empty"), ("label", "x" * 121, "at most 120"),
    ("comment", " ", "comment must not be empty"), ("comment", "x" * 2001, "at most 2000"),
])
def test_a_value_outside_its_vocabulary_or_limits_is_refused(field: str, value: object,
                                                             words: str) -> None:
    with pytest.raises(InvalidValue, match=words):
        added(**{field: value})


def test_the_limits_themselves_are_accepted() -> None:
    r = added(name="n" * 120, label="l" * 120, comment="c" * 2000)
    assert (len(r.name), len(r.label or ""), len(r.comment_text or "")) == (120, 120, 2000)


def test_every_vocabulary_value_is_accepted() -> None:
    for kind in RELATIONSHIP_TYPES:
        assert added(relationship_type=kind).relationship_type == kind
    for quality in QUALITIES:
        assert added(quality=quality).quality == quality
    for closeness in CLOSENESS:
        assert added(closeness=closeness).closeness == closeness
    for frequency in FREQUENCIES:
        assert added(frequency=frequency).frequency == frequency


def test_each_change_is_its_own_event_naming_the_person_and_the_author() -> None:
    r = added()
    r.collect_events()
    other = uuid4()
    r.rename("Soph", other)
    r.retype("friend", "amie d'enfance", other)
    r.rate(2, other)
    r.change_closeness("outer", other)
    r.change_supports(["informational"], other)
    r.change_frequency("rarely", other)
    r.comment("On s'est disputées", other)
    r.end(other)
    events = r.collect_events()
    assert [type(e).__name__ for e in events] == [
        "RelationshipRenamed", "RelationshipRetyped", "RelationshipRated", "ClosenessChanged",
        "SupportsChanged", "ContactFrequencyChanged", "RelationshipCommented",
        "RelationshipEnded"]
    assert all(e.person_id == PERSON and e.author_id == other for e in events)  # type: ignore[attr-defined]
    assert r.version == 9 and r.ended


def test_setting_a_field_to_the_value_it_has_stores_nothing() -> None:
    r = added(label="ma sœur", supports=["emotional"], comment="Bien")
    r.collect_events()
    r.rename(" Sophie ", AUTHOR)
    r.retype("family", "ma sœur", AUTHOR)
    r.rate(4, AUTHOR)
    r.change_closeness("inner", AUTHOR)
    r.change_supports(["emotional", "emotional"], AUTHOR)
    r.change_frequency("weekly", AUTHOR)
    r.comment("Bien", AUTHOR)
    assert r.collect_events() == [] and r.version == 1


def test_a_label_can_be_removed_by_retyping_without_one() -> None:
    r = added(label="cousin")
    r.retype("family", None, AUTHOR)
    assert r.label is None and r.version == 2


def test_an_ended_relationship_refuses_every_change_even_one_that_changes_nothing() -> None:
    r = added()
    r.end(AUTHOR)
    changes = [lambda: r.rename("Other", AUTHOR), lambda: r.retype("family", None, AUTHOR),
               lambda: r.rate(4, AUTHOR), lambda: r.change_closeness("inner", AUTHOR),
               lambda: r.change_supports([], AUTHOR), lambda: r.change_frequency("daily", AUTHOR),
               lambda: r.comment("x", AUTHOR), lambda: r.end(AUTHOR)]
    for change in changes:
        with pytest.raises(InvalidState, match="ended"):
            change()
    assert r.version == 2


def test_a_refused_change_leaves_the_relationship_as_it_was() -> None:
    r = added()
    r.collect_events()
    with pytest.raises(InvalidValue):
        r.rate(9, AUTHOR)
    with pytest.raises(InvalidValue):
        r.change_supports(["emotional", "money"], AUTHOR)
    assert r.collect_events() == [] and (r.quality, r.supports) == (4, [])


def test_replaying_the_events_gives_the_same_relationship() -> None:
    r = added(supports=["social"], comment="Voisine")
    r.rate(5, AUTHOR)
    r.change_supports(["practical", "social"], AUTHOR)
    r.retype("neighbour", "Mme Tremblay", AUTHOR)
    r.end(AUTHOR)
    state = {k: v for k, v in vars(r).items() if not k.startswith("_")}
    copy = replayed(r)
    assert {k: v for k, v in vars(copy).items() if not k.startswith("_")} == state
    assert isinstance(copy, Aggregate)
