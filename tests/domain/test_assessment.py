"""The assessment's rules, on the aggregate alone: no database, no clock, no service."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.catalog import DEFAULT_CATALOG_VERSION, Catalog, load_catalog
from domain.errors import InvalidState, InvalidValue
from domain.quality_of_life.assessment import MAX_STARS, Assessment

CATALOG = load_catalog()
AUTHOR = uuid4()


def new_assessment() -> Assessment:
    assessment = Assessment.open(uuid4(), uuid4(), uuid4(), DEFAULT_CATALOG_VERSION, AUTHOR)
    assessment.collect_events()  # the Opened event; each test looks only at what follows
    return assessment


def only_new_event(assessment: Assessment) -> object:
    events = assessment.collect_events()
    assert len(events) == 1, events
    return events[0]


def test_opening_records_one_opened_event_naming_the_person_and_the_catalog() -> None:
    person, tenant, assessment_id = uuid4(), uuid4(), uuid4()
    assessment = Assessment.open(assessment_id, tenant, person, DEFAULT_CATALOG_VERSION, AUTHOR)
    (opened,) = assessment.collect_events()
    assert isinstance(opened, Assessment.Opened)
    assert (opened.originator_id, opened.person_id, opened.tenant_id) == (assessment_id, person, tenant)
    assert opened.catalog_version == DEFAULT_CATALOG_VERSION and opened.opened_by == AUTHOR
    assert assessment.ratings == {} and assessment.stars == [] and not assessment.completed


@pytest.mark.parametrize("value", [0, 1, 50, 99, 100])
def test_a_rating_from_0_to_100_is_kept_as_one_theme_rated_event(value: int) -> None:
    assessment = new_assessment()
    assessment.rate(CATALOG, "housing", value, AUTHOR)
    event = only_new_event(assessment)
    assert isinstance(event, Assessment.ThemeRated)
    assert (event.theme, event.value, event.author_id) == ("housing", value, AUTHOR)
    assert event.person_id == assessment.person_id
    assert assessment.ratings == {"housing": value}


@pytest.mark.parametrize("value", [-1, 101, 1000, 50.0, 49.5, True, False, "50", None, [50]])
def test_a_rating_outside_0_to_100_or_not_an_integer_is_refused(value: object) -> None:
    assessment = new_assessment()
    with pytest.raises(InvalidValue):
        assessment.rate(CATALOG, "housing", value, AUTHOR)
    assert assessment.collect_events() == []
    assert assessment.ratings == {}


def test_a_theme_outside_the_catalog_is_refused_for_every_command() -> None:
    assessment = new_assessment()
    commands = [
        lambda: assessment.rate(CATALOG, "astrology", 50, AUTHOR),
        lambda: assessment.comment(CATALOG, "astrology", "Bien", AUTHOR),
        lambda: assessment.star(CATALOG, "astrology", AUTHOR),
        lambda: assessment.unstar(CATALOG, "astrology", AUTHOR),
        lambda: assessment.record_perception(CATALOG, "astrology", 50, uuid4()),
    ]
    for command in commands:
        with pytest.raises(InvalidValue):
            command()
    assert assessment.collect_events() == []


def test_a_catalog_of_another_version_is_refused() -> None:
    assessment = new_assessment()
    other = Catalog("1999.1", CATALOG.spheres, CATALOG.themes)
    with pytest.raises(InvalidState):
        assessment.rate(other, "housing", 50, AUTHOR)
    assert assessment.collect_events() == []


def test_rerating_a_theme_replaces_its_value_with_a_new_event() -> None:
    assessment = new_assessment()
    assessment.rate(CATALOG, "housing", 20, AUTHOR)
    assessment.rate(CATALOG, "housing", 80, AUTHOR)
    events = assessment.collect_events()
    assert [e.value for e in events] == [20, 80]
    assert assessment.ratings == {"housing": 80}


def star_three(assessment: Assessment) -> list[str]:
    themes = ["housing", "food", "hope"]
    for theme in themes:
        assessment.star(CATALOG, theme, AUTHOR)
    assessment.collect_events()
    return themes


def test_three_stars_are_allowed_and_a_fourth_is_refused() -> None:
    assessment = new_assessment()
    assert MAX_STARS == 3
    themes = star_three(assessment)
    with pytest.raises(InvalidState):
        assessment.star(CATALOG, "sleep", AUTHOR)
    assert assessment.stars == themes
    assert assessment.collect_events() == []


def test_starring_a_starred_theme_again_is_a_no_op_even_with_three_stars() -> None:
    assessment = new_assessment()
    themes = star_three(assessment)
    assessment.star(CATALOG, "food", AUTHOR)
    assert assessment.collect_events() == []
    assert assessment.stars == themes


def test_unstarring_frees_a_slot_for_another_theme() -> None:
    assessment = new_assessment()
    star_three(assessment)
    assessment.unstar(CATALOG, "food", AUTHOR)
    unstarred = only_new_event(assessment)
    assert isinstance(unstarred, Assessment.ThemeUnstarred) and unstarred.theme == "food"
    assessment.star(CATALOG, "sleep", AUTHOR)
    starred = only_new_event(assessment)
    assert isinstance(starred, Assessment.ThemeStarred) and starred.theme == "sleep"
    assert assessment.stars == ["housing", "hope", "sleep"]


def test_unstarring_a_theme_that_is_not_starred_records_nothing() -> None:
    assessment = new_assessment()
    assessment.unstar(CATALOG, "housing", AUTHOR)
    assert assessment.collect_events() == []


def test_a_star_is_one_theme_starred_event_naming_the_person_and_author() -> None:
    assessment = new_assessment()
    assessment.star(CATALOG, "housing", AUTHOR)
    event = only_new_event(assessment)
    assert isinstance(event, Assessment.ThemeStarred)
    assert (event.person_id, event.theme, event.author_id) == (assessment.person_id, "housing", AUTHOR)


def completed_assessment() -> Assessment:
    assessment = new_assessment()
    assessment.rate(CATALOG, "housing", 50, AUTHOR)
    assessment.star(CATALOG, "food", AUTHOR)
    assessment.complete(AUTHOR)
    events = assessment.collect_events()
    assert isinstance(events[-1], Assessment.Completed)
    return assessment


@pytest.mark.parametrize("command", ["rate", "comment", "star", "unstar", "perceive", "complete"])
def test_a_completed_assessment_refuses_every_change(command: str) -> None:
    assessment = completed_assessment()
    calls = {
        "rate": lambda: assessment.rate(CATALOG, "housing", 90, AUTHOR),
        "comment": lambda: assessment.comment(CATALOG, "housing", "Encore", AUTHOR),
        "star": lambda: assessment.star(CATALOG, "sleep", AUTHOR),
        "unstar": lambda: assessment.unstar(CATALOG, "food", AUTHOR),
        "perceive": lambda: assessment.record_perception(CATALOG, "housing", 10, uuid4()),
        "complete": lambda: assessment.complete(AUTHOR),
    }
    with pytest.raises(InvalidState):
        calls[command]()
    assert assessment.collect_events() == []
    assert assessment.ratings == {"housing": 50} and assessment.stars == ["food"]


def test_a_practitioners_perception_never_changes_the_persons_rating() -> None:
    assessment = new_assessment()
    practitioner = uuid4()
    assessment.rate(CATALOG, "housing", 70, AUTHOR)
    assessment.collect_events()
    assessment.record_perception(CATALOG, "housing", 20, practitioner, "Logement précaire")
    assessment.record_perception(CATALOG, "food", 30, practitioner)
    events = assessment.collect_events()
    assert [type(e) for e in events] == [Assessment.PerceptionRecorded] * 2
    assert (events[0].value, events[0].practitioner_id, events[0].comment) == (
        20, practitioner, "Logement précaire")
    assert events[1].comment is None
    assert assessment.ratings == {"housing": 70}
    assert assessment.perceptions == {str(practitioner): {"housing": 20, "food": 30}}


def test_two_practitioners_keep_separate_perceptions() -> None:
    assessment = new_assessment()
    first, second = uuid4(), uuid4()
    assessment.record_perception(CATALOG, "housing", 20, first)
    assessment.record_perception(CATALOG, "housing", 90, second)
    assert assessment.perceptions == {str(first): {"housing": 20}, str(second): {"housing": 90}}
    assert assessment.ratings == {}


@pytest.mark.parametrize("value", [-5, 101, 2.5, True, "20"])
def test_a_perception_outside_0_to_100_or_not_an_integer_is_refused(value: object) -> None:
    assessment = new_assessment()
    with pytest.raises(InvalidValue):
        assessment.record_perception(CATALOG, "housing", value, uuid4())
    assert assessment.collect_events() == []


def test_a_comment_is_one_event_with_the_trimmed_text() -> None:
    assessment = new_assessment()
    assessment.comment(CATALOG, "housing", "  Je cherche un logement.  ", AUTHOR)
    event = only_new_event(assessment)
    assert isinstance(event, Assessment.ThemeCommented)
    assert (event.theme, event.text, event.author_id) == ("housing", "Je cherche un logement.", AUTHOR)


def test_a_comment_of_exactly_2000_characters_is_accepted() -> None:
    assessment = new_assessment()
    assessment.comment(CATALOG, "housing", "é" * 2000, AUTHOR)
    assert len(only_new_event(assessment).text) == 2000


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "x" * 2001])
def test_an_empty_or_too_long_comment_is_refused(text: str) -> None:
    assessment = new_assessment()
    with pytest.raises(InvalidValue):
        assessment.comment(CATALOG, "housing", text, AUTHOR)
    assert assessment.collect_events() == []


@pytest.mark.parametrize("comment", ["", "y" * 2001])
def test_a_perception_with_an_empty_or_too_long_comment_is_refused(comment: str) -> None:
    assessment = new_assessment()
    with pytest.raises(InvalidValue):
        assessment.record_perception(CATALOG, "housing", 40, uuid4(), comment)
    assert assessment.collect_events() == []


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    assessment = Assessment.open(uuid4(), uuid4(), uuid4(), DEFAULT_CATALOG_VERSION, AUTHOR)
    practitioner = uuid4()
    assessment.rate(CATALOG, "housing", 40, AUTHOR)
    assessment.star(CATALOG, "housing", AUTHOR)
    assessment.star(CATALOG, "hope", AUTHOR)
    assessment.unstar(CATALOG, "housing", AUTHOR)
    assessment.record_perception(CATALOG, "hope", 60, practitioner)
    assessment.complete(AUTHOR)
    replayed: Assessment | None = None
    for event in assessment.collect_events():
        replayed = event.mutate(replayed)
    assert replayed is not None
    assert replayed.id == assessment.id and replayed.version == assessment.version
    assert (replayed.ratings, replayed.stars, replayed.perceptions, replayed.completed) == (
        {"housing": 40}, ["hope"], {str(practitioner): {"hope": 60}}, True)
    assert isinstance(replayed.person_id, UUID)
