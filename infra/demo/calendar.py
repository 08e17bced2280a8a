"""The demo's year: days turned into instants in office hours, and the steps run in time order
with the services' clock set to each step's instant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

YEAR = 365
Step = Callable[[], object]


class DemoClock:
    """The instant the services read: each step of the schedule sets it before it runs."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Calendar:
    """Day 0 is a year before `today`; meetings fall on weekdays (moved back, never later)."""

    today: date
    zone: ZoneInfo

    @classmethod
    def ending(cls, now: datetime, zone: str) -> Calendar:
        tz = ZoneInfo(zone)
        return cls(now.astimezone(tz).date(), tz)

    def date(self, day: int) -> date:
        return self.today - timedelta(days=YEAR - day)

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        when = self.date(day)
        while when.weekday() >= 5:  # Saturday, Sunday
            when -= timedelta(days=1)
        return datetime.combine(when, time(hour, minute), self.zone).astimezone(UTC)


@dataclass
class Schedule:
    """Steps at instants; `run` takes them in time order (same instant: order of adding)."""

    steps: list[tuple[datetime, int, Step]] = field(default_factory=list)

    def add(self, at: datetime, step: Step) -> None:
        self.steps.append((at, len(self.steps), step))

    def session(self, at: datetime, minutes: int = 2) -> Session:
        return Session(self, at, timedelta(minutes=minutes))

    def run(self, clock: DemoClock, done: Callable[[int], object]) -> None:
        latest = max((at for at, _, _ in self.steps), default=None)
        if latest is not None and latest >= clock.now:
            raise ValueError(f"a demo step falls at {latest:%Y-%m-%d %H:%M}, not in the past")
        for at, _, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            clock.now = at
            step()
            done(1)


@dataclass
class Session:
    """Steps a few minutes apart, as someone works through a screen."""

    schedule: Schedule
    at: datetime
    gap: timedelta

    def then(self, step: Step) -> Session:
        self.schedule.add(self.at, step)
        self.at += self.gap
        return self
