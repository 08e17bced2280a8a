"""The demo's accomplishment plan: goals in the person's words, actions (who, what, by when)
done or pending, progress and status over the year."""

from __future__ import annotations

from datetime import date

from domain.consent.vocabulary import TABS
from infra.demo.record import DemoRecord, StoryError
from infra.demo.story import Act, GoalStory

TAB = TABS[3]  # plan


def add_plan(record: DemoRecord) -> None:
    notes = {s.key: s for s in record.story.strengths}
    for number, goal in enumerate(record.story.goals):
        for by in (goal.by, *(act.by for act in goal.actions)):
            record.check_may_write(TAB, by)
        for key in goal.strengths:
            if key not in notes or notes[key].day > goal.day:
                raise StoryError(f"{record.story.login}: a goal links {key!r} before it is noted")
        _add_goal(record, f"goal-{number}", goal)


def _due(record: DemoRecord, day: int | None) -> date | None:
    return None if day is None else record.calendar.date(day)


def _add_goal(record: DemoRecord, key: str, goal: GoalStory) -> None:
    plan, calendar = record.side.plan, record.calendar

    def set_goal() -> None:
        strengths = [record.id_of(f"strength:{s}") for s in goal.strengths]
        made = plan.set_goal(record.author(TAB, goal.by), record.person_id, goal.text,
                             goal.themes, strengths, _due(record, goal.target))
        record.ids[key] = made.id
    record.schedule.add(calendar.at(goal.day, 14), set_goal)
    for day, text in goal.rewordings:
        record.schedule.add(calendar.at(day, 14, 5), lambda text=text: plan.reword_goal(
            record.me(), record.person_id, record.id_of(key), text))
    for number, act in enumerate(goal.actions):
        _add_action(record, key, f"{key}-action-{number}", act)
    for day, value in goal.progress:
        record.schedule.add(calendar.at(day, 14, 30), lambda value=value: plan.rate_progress(
            record.me(), record.person_id, record.id_of(key), value))
    for day, status in goal.status:
        record.schedule.add(calendar.at(day, 14, 35), lambda status=status: plan.change_status(
            record.author(TAB, goal.by), record.person_id, record.id_of(key), status))


def _add_action(record: DemoRecord, goal_key: str, key: str, act: Act) -> None:
    plan, calendar = record.side.plan, record.calendar

    def add() -> None:
        made = plan.add_action(record.author(TAB, act.by), record.person_id,
                               record.id_of(goal_key), act.text, act.who, act.who_name,
                               _due(record, act.due))
        record.ids[key] = made.id
    record.schedule.add(calendar.at(act.day, 14, 10), add)
    if act.done is not None:
        record.schedule.add(calendar.at(act.done, 14, 20), lambda: plan.mark_action_done(
            record.author(TAB, act.by), record.person_id, record.id_of(goal_key),
            record.id_of(key)))
