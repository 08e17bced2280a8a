"""A goal of the accomplishment plan, with its actions; every event names its author."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.catalog import Catalog
from domain.errors import InvalidState, InvalidValue, NotFound
from domain.plan.rules import (
    ACTIVE,
    MAX_NAME_LENGTH,
    OPEN_STATUSES,
    check_date,
    check_doer,
    check_progress,
    check_transition,
)
from domain.text import check_text


class Action(TypedDict):
    """An action's state: a plain dict, so snapshots of the goal need no extra transcoding."""

    text: str
    who: str
    who_name: str | None
    due_date: str | None
    done: bool


class Goal(Aggregate):
    """Set, reworded (every wording kept), dated, linked, moved between statuses, rated 0-100."""

    id: UUID  # given by the service

    class GoalSet(Aggregate.Created):
        tenant_id: UUID
        person_id: UUID
        text: str
        themes: list[str]
        strengths: list[UUID]
        target_date: str | None
        author_id: UUID

    class GoalReworded(Aggregate.Event):
        person_id: UUID
        text: str
        author_id: UUID

    class GoalTargetDateSet(Aggregate.Event):
        person_id: UUID
        target_date: str | None
        author_id: UUID

    class GoalStatusChanged(Aggregate.Event):
        person_id: UUID
        from_status: str
        to_status: str
        author_id: UUID

    class GoalProgressRated(Aggregate.Event):
        person_id: UUID
        value: int
        author_id: UUID

    class GoalLinkedToTheme(Aggregate.Event):
        person_id: UUID
        theme: str
        author_id: UUID

    class GoalUnlinkedFromTheme(Aggregate.Event):
        person_id: UUID
        theme: str
        author_id: UUID

    class GoalLinkedToStrength(Aggregate.Event):
        person_id: UUID
        strength_id: UUID
        author_id: UUID

    class GoalUnlinkedFromStrength(Aggregate.Event):
        person_id: UUID
        strength_id: UUID
        author_id: UUID

    class ActionAdded(Aggregate.Event):
        person_id: UUID
        action_id: UUID
        text: str
        who: str
        who_name: str | None
        due_date: str | None
        author_id: UUID

    class ActionReworded(Aggregate.Event):
        person_id: UUID
        action_id: UUID
        text: str
        author_id: UUID

    class ActionAssigned(Aggregate.Event):
        person_id: UUID
        action_id: UUID
        who: str
        who_name: str | None
        author_id: UUID

    class ActionDueDateSet(Aggregate.Event):
        person_id: UUID
        action_id: UUID
        due_date: str | None
        author_id: UUID

    class ActionDone(Aggregate.Event):
        person_id: UUID
        action_id: UUID
        author_id: UUID

    class ActionReopened(Aggregate.Event):
        person_id: UUID
        action_id: UUID
        author_id: UUID

    @classmethod
    def set(cls, goal_id: UUID, tenant_id: UUID, person_id: UUID, text: str, catalog: Catalog,
            themes: Sequence[str], strengths: Sequence[UUID], target_date: object,
            author_id: UUID) -> Goal:
        """Strength ids must already be checked as this person's (the service does it)."""
        for theme in themes:
            cls.check_theme(catalog, theme)
        return cls(  # type: ignore[call-arg]  # `id` is read by the library, not __init__
            id=goal_id, tenant_id=tenant_id, person_id=person_id,
            text=check_text(text, "a goal"), themes=list(dict.fromkeys(themes)),
            strengths=list(dict.fromkeys(strengths)),
            target_date=check_date(target_date, "the target date"), author_id=author_id)

    @event(GoalSet)
    def __init__(self, tenant_id: UUID, person_id: UUID, text: str, themes: list[str],
                 strengths: list[UUID], target_date: str | None, author_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.person_id = person_id
        self.text = text
        self.themes = list(themes)
        self.strengths = list(strengths)
        self.target_date = target_date
        self.status = ACTIVE
        self.progress: int | None = None
        self.actions: dict[str, Action] = {}  # keyed by str(action id), for JSON

    # Rules -----------------------------------------------------------------
    @staticmethod
    def check_theme(catalog: Catalog, theme: str) -> str:
        if not catalog.has_theme(theme):
            raise InvalidValue(f"unknown theme {theme!r} in catalog {catalog.version}")
        return theme

    def check_open(self) -> None:
        if self.status not in OPEN_STATUSES:
            raise InvalidState(f"this goal is {self.status}; reopen it before changing it")

    def check_action(self, action_id: UUID) -> Action:
        if str(action_id) not in self.actions:
            raise NotFound("action not found in this goal")
        return self.actions[str(action_id)]

    @staticmethod
    def check_who_name(who_name: str | None) -> str | None:
        return None if who_name is None else check_text(who_name, "the doer's name",
                                                        MAX_NAME_LENGTH)

    # The goal ----------------------------------------------------------------
    def reword(self, text: str, author_id: UUID) -> None:
        self.check_open()
        wording = check_text(text, "a goal")
        if wording != self.text:
            self._reword(self.person_id, wording, author_id)

    @event(GoalReworded)
    def _reword(self, person_id: UUID, text: str, author_id: UUID) -> None:
        self.text = text

    def set_target_date(self, target_date: object, author_id: UUID) -> None:
        self.check_open()
        checked = check_date(target_date, "the target date")
        if checked != self.target_date:
            self._set_target_date(self.person_id, checked, author_id)

    @event(GoalTargetDateSet)
    def _set_target_date(self, person_id: UUID, target_date: str | None,
                         author_id: UUID) -> None:
        self.target_date = target_date

    def change_status(self, status: str, author_id: UUID) -> None:
        check_transition(self.status, status)
        self._change_status(self.person_id, self.status, status, author_id)

    @event(GoalStatusChanged)
    def _change_status(self, person_id: UUID, from_status: str, to_status: str,
                       author_id: UUID) -> None:
        self.status = to_status

    def rate_progress(self, value: object, author_id: UUID) -> None:
        self.check_open()
        self._rate_progress(self.person_id, check_progress(value), author_id)

    @event(GoalProgressRated)
    def _rate_progress(self, person_id: UUID, value: int, author_id: UUID) -> None:
        self.progress = value

    def link_theme(self, catalog: Catalog, theme: str, author_id: UUID) -> None:
        self.check_open()
        if self.check_theme(catalog, theme) not in self.themes:
            self._link_theme(self.person_id, theme, author_id)

    @event(GoalLinkedToTheme)
    def _link_theme(self, person_id: UUID, theme: str, author_id: UUID) -> None:
        self.themes.append(theme)

    def unlink_theme(self, theme: str, author_id: UUID) -> None:
        self.check_open()
        if theme in self.themes:
            self._unlink_theme(self.person_id, theme, author_id)

    @event(GoalUnlinkedFromTheme)
    def _unlink_theme(self, person_id: UUID, theme: str, author_id: UUID) -> None:
        self.themes.remove(theme)

    def link_strength(self, strength_id: UUID, author_id: UUID) -> None:
        """The strength must already be checked as this person's (the service does it)."""
        self.check_open()
        if strength_id not in self.strengths:
            self._link_strength(self.person_id, strength_id, author_id)

    @event(GoalLinkedToStrength)
    def _link_strength(self, person_id: UUID, strength_id: UUID, author_id: UUID) -> None:
        self.strengths.append(strength_id)

    def unlink_strength(self, strength_id: UUID, author_id: UUID) -> None:
        self.check_open()
        if strength_id in self.strengths:
            self._unlink_strength(self.person_id, strength_id, author_id)

    @event(GoalUnlinkedFromStrength)
    def _unlink_strength(self, person_id: UUID, strength_id: UUID, author_id: UUID) -> None:
        self.strengths.remove(strength_id)

    # Its actions -------------------------------------------------------------
    def add_action(self, action_id: UUID, text: str, who: str, who_name: str | None,
                   due_date: object, author_id: UUID) -> None:
        self.check_open()
        if str(action_id) in self.actions:
            raise InvalidState("this action already exists")
        self._add_action(self.person_id, action_id, check_text(text, "an action"),
                         check_doer(who), self.check_who_name(who_name),
                         check_date(due_date, "the due date"), author_id)

    @event(ActionAdded)
    def _add_action(self, person_id: UUID, action_id: UUID, text: str, who: str,
                    who_name: str | None, due_date: str | None, author_id: UUID) -> None:
        self.actions[str(action_id)] = Action(text=text, who=who, who_name=who_name,
                                              due_date=due_date, done=False)

    def reword_action(self, action_id: UUID, text: str, author_id: UUID) -> None:
        self.check_open()
        action, wording = self.check_action(action_id), check_text(text, "an action")
        if wording != action["text"]:
            self._reword_action(self.person_id, action_id, wording, author_id)

    @event(ActionReworded)
    def _reword_action(self, person_id: UUID, action_id: UUID, text: str,
                       author_id: UUID) -> None:
        self.actions[str(action_id)]["text"] = text

    def assign_action(self, action_id: UUID, who: str, who_name: str | None,
                      author_id: UUID) -> None:
        self.check_open()
        action = self.check_action(action_id)
        doer = (check_doer(who), self.check_who_name(who_name))
        if doer != (action["who"], action["who_name"]):
            self._assign_action(self.person_id, action_id, *doer, author_id)

    @event(ActionAssigned)
    def _assign_action(self, person_id: UUID, action_id: UUID, who: str, who_name: str | None,
                       author_id: UUID) -> None:
        action = self.actions[str(action_id)]
        action["who"], action["who_name"] = who, who_name

    def set_action_due_date(self, action_id: UUID, due_date: object, author_id: UUID) -> None:
        self.check_open()
        action, checked = self.check_action(action_id), check_date(due_date, "the due date")
        if checked != action["due_date"]:
            self._set_action_due_date(self.person_id, action_id, checked, author_id)

    @event(ActionDueDateSet)
    def _set_action_due_date(self, person_id: UUID, action_id: UUID, due_date: str | None,
                             author_id: UUID) -> None:
        self.actions[str(action_id)]["due_date"] = due_date

    def mark_action_done(self, action_id: UUID, author_id: UUID) -> None:
        self.check_open()
        if self.check_action(action_id)["done"]:
            raise InvalidState("this action is already done")
        self._mark_action_done(self.person_id, action_id, author_id)

    @event(ActionDone)
    def _mark_action_done(self, person_id: UUID, action_id: UUID, author_id: UUID) -> None:
        self.actions[str(action_id)]["done"] = True

    def reopen_action(self, action_id: UUID, author_id: UUID) -> None:
        self.check_open()
        if not self.check_action(action_id)["done"]:
            raise InvalidState("this action is not done, so it cannot be reopened")
        self._reopen_action(self.person_id, action_id, author_id)

    @event(ActionReopened)
    def _reopen_action(self, person_id: UUID, action_id: UUID, author_id: UUID) -> None:
        self.actions[str(action_id)]["done"] = False
