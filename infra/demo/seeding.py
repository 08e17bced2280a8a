"""`seed_demo`: each demo organization with its staff and a year of its persons' records,
made through the services with a clock set to each change's day."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from uuid import UUID

from tqdm import tqdm

from domain.errors import AlreadyExists
from infra.demo.calendar import Calendar, DemoClock, Schedule
from infra.demo.network import add_network
from infra.demo.plan import add_plan
from infra.demo.quality_of_life import add_readings
from infra.demo.record import DemoRecord, Staff
from infra.demo.stories import ORGANIZATIONS
from infra.demo.story import Grant, OrgStory
from infra.demo.strengths import add_strengths
from infra.platform import Servers, WriteSide
from infra.settings import Settings
from services.actor import Actor
from services.base import utc_now

DEMO_PASSWORD = "demo-barometre-2026"
ADMIN = ("admin", "Admin Démo")
STAFF_DAY = -20  # the organization and its staff exist before the first person joins


@dataclass(frozen=True)
class DemoLogin:
    organization: str
    login: str
    name: str
    role: str


def logins_of(org: OrgStory) -> list[DemoLogin]:
    return [DemoLogin(org.slug, *ADMIN, "org_admin"),
            *(DemoLogin(org.slug, login, name, "practitioner") for login, name in org.practitioners),
            *(DemoLogin(org.slug, p.login, p.name, "person") for p in org.persons)]


def seed_demo(servers: Servers, settings: Settings | None = None,
              organizations: tuple[OrgStory, ...] = ORGANIZATIONS) -> list[DemoLogin]:
    """Idempotent: an organization that already exists is left as it is (nothing is added to
    it), so `barometre up` may run any number of times."""
    clock = DemoClock(utc_now())
    side = WriteSide(servers, settings, clock=clock, pool_size=2)
    try:
        schedules = [s for s in (_plan_organization(side, clock, org) for org in organizations) if s]
        with tqdm(total=sum(len(s.steps) for s in schedules), desc="données de démonstration",
                  unit=" changements", file=sys.stderr, disable=None) as bar:
            for schedule in schedules:
                clock.now = utc_now()
                schedule.run(clock, bar.update)
    finally:
        side.close()
    return [login for org in organizations for login in logins_of(org)]


def _plan_organization(side: WriteSide, clock: DemoClock, org: OrgStory) -> Schedule | None:
    """Plans the persons' year (a story the rules would refuse stops here, before anything is
    saved), then registers the organization and its staff; None if it already exists."""
    now = clock.now
    calendar, schedule = Calendar.ending(now, org.zone), Schedule()
    staff = Staff()
    for story in org.persons:
        record = DemoRecord(story, calendar, schedule, side, staff)
        _join(record)
        for add in (add_readings, add_network, add_strengths, add_plan):
            add(record)
    clock.now = calendar.at(STAFF_DAY, 9)
    try:
        side.accounts.register_organization(org.slug, org.name, org.region, ADMIN[0], ADMIN[1],
                                            DEMO_PASSWORD)
    except AlreadyExists:
        return None
    finally:
        clock.now = now
    staff.admin = side.accounts.authenticate(org.slug, ADMIN[0], DEMO_PASSWORD)
    clock.now = calendar.at(STAFF_DAY, 9, 30)
    staff.practitioners.update({login: _open(side, staff.admin, login, name, "practitioner")
                                for login, name in org.practitioners})
    clock.now = now
    return schedule


def _open(side: WriteSide, admin: Actor, login: str, name: str, role: str) -> Actor:
    opened = side.accounts.open_account(admin, login, name, role, DEMO_PASSWORD)
    return side.accounts.actor(admin.tenant_id, opened.id)


def _join(record: DemoRecord) -> None:
    """The person's account, then the consent they give, on the day they join."""
    story, side, calendar = record.story, record.side, record.calendar

    def open_account() -> None:
        record.person = _open(side, record.staff.the_admin(), story.login, story.name, "person")
    record.schedule.add(calendar.at(story.joined, 9), open_account)
    for grant in story.grants:
        _give(record, grant)


def _give(record: DemoRecord, grant: Grant) -> None:
    consent, calendar = record.side.consent, record.calendar
    made: dict[str, UUID] = {}
    day = record.story.joined if grant.day is None else grant.day

    def give() -> None:
        practitioner = record.staff.practitioners[grant.practitioner]
        made["id"] = consent.grant(record.me(), record.person_id, "practitioner",
                                   practitioner.user_id, list(grant.tabs), grant.level).id
    record.schedule.add(calendar.at(day, 9, 10), give)
    if grant.revoked is not None:
        record.schedule.add(calendar.at(grant.revoked, 16), lambda: consent.revoke(
            record.me(), record.person_id, made["id"]))
