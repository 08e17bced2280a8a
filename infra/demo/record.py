"""One demo person's record while it is seeded: who acts, and the ids made so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from infra.demo.calendar import Calendar, Schedule
from infra.demo.story import PERSON, PersonStory
from infra.platform import WriteSide
from services.actor import Actor


class StoryError(ValueError):
    """A demo story that the platform's rules would not allow (a practitioner writing without
    co-edit consent, a link to something not yet there)."""


@dataclass
class Staff:
    """The organization's admin and practitioners: opened after the stories are planned,
    before any step runs."""

    admin: Actor | None = None
    practitioners: dict[str, Actor] = field(default_factory=dict)  # by login

    def the_admin(self) -> Actor:
        if self.admin is None:
            raise StoryError("a step runs before the organization is registered")
        return self.admin


@dataclass
class DemoRecord:
    story: PersonStory
    calendar: Calendar
    schedule: Schedule
    side: WriteSide
    staff: Staff
    person: Actor | None = None  # opened by its own step, on the day the person joins
    ids: dict[str, UUID] = field(default_factory=dict)  # story keys -> ids, as steps make them

    @property
    def person_id(self) -> UUID:
        return self.me().user_id

    def me(self) -> Actor:
        if self.person is None:
            raise StoryError(f"{self.story.login}: a step runs before the person's account opens")
        return self.person

    def practitioner(self) -> Actor:
        return self.staff.practitioners[self.story.practitioner]

    def check_may_write(self, tab: str, by: str) -> None:
        """What the consent door would ask of a practitioner's change: a co-edit grant on the tab."""
        if by == PERSON:
            return
        if not any(g.practitioner == self.story.practitioner and g.level == "co_edit"
                   and tab in g.tabs for g in self.story.grants):
            raise StoryError(f"{self.story.login}: the practitioner writes in {tab} without"
                             " a co-edit grant")

    def author(self, tab: str, by: str) -> Actor:
        self.check_may_write(tab, by)
        return self.me() if by == PERSON else self.practitioner()

    def id_of(self, key: str) -> UUID:
        if key not in self.ids:
            raise StoryError(f"{self.story.login}: {key!r} is used before it is made")
        return self.ids[key]
