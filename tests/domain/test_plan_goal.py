"""The goal's rules, on the aggregate alone: statuses, progress, dates, links and actions."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

import pytest

from domain.catalog import load_catalog
from domain.errors import InvalidState, InvalidValue, NotFound
from domain.plan.goal import Goal
from domain.plan.rules import STATUSES, TRANSITIONS

CATALOG = load_catalog()
PERSON, PRACTITIONER = uuid4(), uuid4()


def new_goal(**overrides: object) -> Goal:
    args: dict[str, object] = {"themes": (), "strengths": (), "target_date": None}
    args.update(overrides)
    goal = Goal.set(uuid4(), uuid4(), PERSON, "Finir mes cours de chimie", CATALOG,
                    author_id=PERSON, **args)  # type: ignore[arg-type]
    goal.collect_events()
    return goal


def test_setting_a_goal_records_its_words_links_date_and_author_and_starts_active() -> None:
    strength = uuid4()
    goal = Goal.set(uuid4(), uuid4(), PERSON, " Nourrir le loup blanc en moi ", CATALOG,
                    ["hope", "hope", "pride"], [strength], "2026-06-01", PRACTITIONER)
    (created,) = goal.collect_events()
    assert isinstance(created, Goal.GoalSet)
    assert (created.text, created.themes, created.strengths) == (
        "Nourrir le loup blanc en moi", ["hope", "pride"], [strength])
    assert (created.target_date, created.author_id, created.person_id) == (
        "2026-06-01", PRACTITIONER, PERSON)
    assert goal.status == "active" and goal.progress is None


def test_a_goal_with_an_unknown_theme_is_refused() -> None:
    with pytest.raises(InvalidValue, match="unknown theme"):
        new_goal(themes=["housing", "unicorns"])


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "2026-1-5", "20260105", 20260105,
                                   datetime(2026, 1, 5)])
def test_a_target_date_that_is_not_a_date_is_refused(value: object) -> None:
    with pytest.raises(InvalidValue, match="date"):
        new_goal(target_date=value)


def test_a_target_date_may_be_given_as_a_date_and_removed_with_none() -> None:
    goal = new_goal(target_date=date(2026, 9, 1))
    assert goal.target_date == "2026-09-01"
    goal.set_target_date(None, PERSON)
    (changed,) = goal.collect_events()
    assert isinstance(changed, Goal.GoalTargetDateSet) and changed.target_date is None


@pytest.mark.parametrize(("current", "new"), [
    (current, new) for current in STATUSES for new in STATUSES if new in TRANSITIONS[current]])
def test_every_legal_status_change_is_recorded_with_where_it_came_from(current: str, new: str) -> None:
    goal = new_goal()
    path = {"active": [], "paused": ["paused"], "achieved": ["achieved"],
            "abandoned": ["abandoned"]}[current]
    for step in path:
        goal.change_status(step, PERSON)
    goal.collect_events()
    goal.change_status(new, PRACTITIONER)
    (changed,) = goal.collect_events()
    assert isinstance(changed, Goal.GoalStatusChanged)
    assert (changed.from_status, changed.to_status, changed.author_id) == (current, new, PRACTITIONER)


@pytest.mark.parametrize(("current", "new"), [
    ("active", "active"), ("paused", "paused"), ("paused", "achieved"), ("achieved", "paused"),
    ("achieved", "abandoned"), ("abandoned", "achieved"), ("abandoned", "paused")])
def test_an_illegal_status_change_is_refused(current: str, new: str) -> None:
    goal = new_goal()
    if current != "active":
        goal.change_status(current, PERSON)
    with pytest.raises(InvalidState, match=f"from {current} to {new}"):
        goal.change_status(new, PERSON)


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(InvalidValue, match="unknown status"):
        new_goal().change_status("done", PERSON)


@pytest.mark.parametrize("value", [0, 35, 100])
def test_progress_from_0_to_100_is_kept_each_time_it_is_rated(value: int) -> None:
    goal = new_goal()
    goal.rate_progress(10, PERSON)
    goal.rate_progress(value, PRACTITIONER)
    events = goal.collect_events()
    assert [(e.value, e.author_id) for e in events] == [(10, PERSON), (value, PRACTITIONER)]
    assert goal.progress == value


@pytest.mark.parametrize("value", [-1, 101, 50.5, "50", True, None])
def test_progress_outside_0_to_100_or_not_an_integer_is_refused(value: object) -> None:
    with pytest.raises(InvalidValue, match="0 to 100"):
        new_goal().rate_progress(value, PERSON)


def test_rewording_keeps_every_version_and_the_same_words_record_nothing() -> None:
    goal = new_goal()
    goal.reword("Finir mes cours de chimie cette année", PRACTITIONER)
    goal.reword("Finir mes cours de chimie cette année", PERSON)
    (reworded,) = goal.collect_events()
    assert isinstance(reworded, Goal.GoalReworded) and reworded.author_id == PRACTITIONER


def test_an_achieved_or_abandoned_goal_refuses_changes_until_it_is_reopened() -> None:
    goal = new_goal()
    goal.change_status("achieved", PERSON)
    with pytest.raises(InvalidState, match="reopen"):
        goal.reword("autre chose", PERSON)
    with pytest.raises(InvalidState, match="reopen"):
        goal.rate_progress(50, PERSON)
    goal.change_status("active", PERSON)
    goal.reword("autre chose", PERSON)
    assert goal.text == "autre chose"


def test_theme_and_strength_links_are_added_once_and_removed() -> None:
    goal = new_goal()
    strength = uuid4()
    goal.link_theme(CATALOG, "income", PERSON)
    goal.link_theme(CATALOG, "income", PERSON)
    goal.link_strength(strength, PERSON)
    goal.unlink_theme("income", PERSON)
    goal.unlink_strength(strength, PERSON)
    goal.unlink_strength(strength, PERSON)
    kinds = [type(e).__name__ for e in goal.collect_events()]
    assert kinds == ["GoalLinkedToTheme", "GoalLinkedToStrength", "GoalUnlinkedFromTheme",
                     "GoalUnlinkedFromStrength"]
    with pytest.raises(InvalidValue):
        goal.link_theme(CATALOG, "unicorns", PERSON)


def test_an_action_says_who_does_it_and_when_and_is_done_then_reopened() -> None:
    goal = new_goal()
    action = uuid4()
    goal.add_action(action, "Demander l'aide sociale", "practitioner", "Pat", "2026-02-01",
                    PRACTITIONER)
    goal.assign_action(action, "close_person", "Ma sœur", PERSON)
    goal.set_action_due_date(action, date(2026, 3, 1), PERSON)
    goal.reword_action(action, "Remplir la demande d'aide sociale", PERSON)
    goal.mark_action_done(action, PERSON)
    goal.reopen_action(action, PRACTITIONER)
    events = goal.collect_events()
    assert [type(e).__name__ for e in events] == [
        "ActionAdded", "ActionAssigned", "ActionDueDateSet", "ActionReworded", "ActionDone",
        "ActionReopened"]
    assert all(e.action_id == action and e.person_id == PERSON for e in events)
    assert goal.actions[str(action)] == {
        "text": "Remplir la demande d'aide sociale", "who": "close_person",
        "who_name": "Ma sœur", "due_date": "2026-03-01", "done": False}


def test_an_action_done_twice_or_reopened_while_open_is_refused() -> None:
    goal = new_goal()
    action = uuid4()
    goal.add_action(action, "Appeler", "person", None, None, PERSON)
    with pytest.raises(InvalidState, match="not done"):
        goal.reopen_action(action, PERSON)
    goal.mark_action_done(action, PERSON)
    with pytest.raises(InvalidState, match="already done"):
        goal.mark_action_done(action, PERSON)


def test_a_bad_action_is_refused() -> None:
    goal = new_goal()
    with pytest.raises(InvalidValue, match="unknown doer"):
        goal.add_action(uuid4(), "Appeler", "neighbour", None, None, PERSON)
    with pytest.raises(InvalidValue, match="empty"):
        goal.add_action(uuid4(), "  ", "person", None, None, PERSON)
    with pytest.raises(InvalidValue, match="date"):
        goal.add_action(uuid4(), "Appeler", "person", None, "31/01/2026", PERSON)
    with pytest.raises(NotFound):
        goal.mark_action_done(uuid4(), PERSON)
    assert goal.collect_events() == []
