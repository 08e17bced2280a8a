"""The strength's rules, on the aggregate alone: no database, no clock, no service."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.catalog import load_catalog
from domain.errors import InvalidState, InvalidValue
from domain.strengths.strength import KINDS, Strength, side_of

CATALOG = load_catalog()
AUTHOR, PERSON = uuid4(), uuid4()
NO_AREA = (None, None)


def new_strength(kind: str = "skill", text: str = "Je cuisine pour les autres") -> Strength:
    strength = Strength.note(uuid4(), uuid4(), PERSON, kind, text, NO_AREA, None, AUTHOR)
    strength.collect_events()
    return strength


def test_noting_a_strength_records_one_event_naming_the_person_the_author_and_the_words() -> None:
    member = uuid4()
    area = Strength.check_area(CATALOG, None, "food")
    strength = Strength.note(uuid4(), uuid4(), PERSON, "people", "  Ma sœur Julie  ", area,
                             member, AUTHOR)
    (noted,) = strength.collect_events()
    assert isinstance(noted, Strength.StrengthNoted)
    assert (noted.person_id, noted.author_id, noted.text) == (PERSON, AUTHOR, "Ma sœur Julie")
    assert (noted.kind, noted.sphere, noted.theme, noted.member_id) == ("people", "needs", "food", member)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_either_personal_or_of_the_environment(kind: str) -> None:
    assert side_of(kind) in ("personal", "environment")
    assert new_strength(kind).kind == kind


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_strength_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        Strength.note(uuid4(), uuid4(), PERSON, "skill", text, NO_AREA, None, AUTHOR)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidValue, match="unknown kind"):
        Strength.note(uuid4(), uuid4(), PERSON, "superpower", "voler", NO_AREA, None, AUTHOR)


def test_a_theme_implies_its_sphere_and_a_mismatched_sphere_or_unknown_key_is_refused() -> None:
    assert Strength.check_area(CATALOG, None, "housing") == ("needs", "housing")
    assert Strength.check_area(CATALOG, "needs", "housing") == ("needs", "housing")
    assert Strength.check_area(CATALOG, "health", None) == ("health", None)
    for sphere, theme in (("health", "housing"), (None, "unicorns"), ("magic", None)):
        with pytest.raises(InvalidValue):
            Strength.check_area(CATALOG, sphere, theme)


def test_rewording_keeps_every_version_as_its_own_event() -> None:
    strength = new_strength(text="Je cuisine")
    strength.reword("Je cuisine bien", AUTHOR)
    strength.reword("Je cuisine très bien", AUTHOR)
    events = strength.collect_events()
    assert [e.text for e in events if isinstance(e, Strength.StrengthReworded)] == [
        "Je cuisine bien", "Je cuisine très bien"]
    assert strength.text == "Je cuisine très bien"


def test_rewording_with_the_same_words_records_nothing() -> None:
    strength = new_strength(text="Je cuisine")
    strength.reword(" Je cuisine ", AUTHOR)
    assert strength.collect_events() == []


def test_relinking_replaces_every_link_and_an_unchanged_link_records_nothing() -> None:
    strength = new_strength()
    member = uuid4()
    strength.link(("health", None), member, AUTHOR)
    strength.link(("health", None), member, AUTHOR)
    (linked,) = strength.collect_events()
    assert isinstance(linked, Strength.StrengthLinked)
    assert (strength.sphere, strength.theme, strength.member_id) == ("health", None, member)


def test_a_retired_strength_refuses_every_change() -> None:
    strength = new_strength()
    strength.retire(AUTHOR)
    for change in (lambda: strength.reword("autre", AUTHOR), lambda: strength.retire(AUTHOR),
                   lambda: strength.link(NO_AREA, None, AUTHOR)):
        with pytest.raises(InvalidState, match="retired"):
            change()
