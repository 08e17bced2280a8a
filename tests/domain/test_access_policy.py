"""The access policy as a table: who may read or write which part of whose record, from the
grants, the actor's teams and an instant passed in. No database, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.access.actor import Actor
from domain.access.grant import Grant
from domain.access.policy import (
    check_may_reach_person,
    check_may_see_team_statistics,
    check_role,
    decide,
)
from domain.errors import Forbidden

TENANT, PERSON, OTHER_PERSON, TEAM, OTHER_TEAM = (uuid4() for _ in range(5))
ME, SOMEONE_ELSE = uuid4(), uuid4()  # the actor (when not the person), another user
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
SECOND = timedelta(seconds=1)
TABS = frozenset({"quality_of_life", "social_network", "strengths", "plan"})
NONE: frozenset[str] = frozenset()


def to_me(tab: str, level: str = "read", kind: str = "practitioner", *, grantee: UUID = ME,
          person: UUID = PERSON, until: datetime | None = None,
          revoked_at: datetime | None = None) -> Grant:
    return Grant(uuid4(), person, kind, grantee, tab, level, until, revoked_at)


def to_team(tab: str, level: str = "read", team: UUID = TEAM) -> Grant:
    return to_me(tab, level, "team", grantee=team)


def to_close(tab: str, level: str = "read") -> Grant:
    return to_me(tab, level, "close_person")


EVERY_TAB_CO_EDIT = tuple(to_me(t, "co_edit") for t in sorted(TABS))


@dataclass(frozen=True)
class Case:
    role: str
    tab: str
    action: str
    grants: tuple[Grant, ...] = ()
    teams: tuple[UUID, ...] = ()
    readable: frozenset[str] | None = None  # None: denied; else allowed, showing these tabs
    own_record: bool = False  # the actor is the person of the record (role "person")


def allow(role: str, tab: str, action: str, *grants: Grant, shows: frozenset[str] = NONE,
          teams: tuple[UUID, ...] = (), own: bool = False) -> Case:
    return Case(role, tab, action, grants, teams, shows, own)


def deny(role: str, tab: str, action: str, *grants: Grant, teams: tuple[UUID, ...] = (),
         own: bool = False) -> Case:
    return Case(role, tab, action, grants, teams, None, own)


CASES = [
    # The person: all of their own record, nothing of anyone else's.
    *(pytest.param(allow("person", tab, action, shows=TABS, own=True),
                   id=f"person {action}s own {tab}")
      for tab in (*sorted(TABS), "summary", "timeline", "consent", "access_log")
      for action in ("read", "write")),
    pytest.param(deny("person", "consent_intake", "write", own=True),
                 id="person cannot use the practitioner's consent intake"),
    pytest.param(deny("person", "plan", "read"), id="person denied another person's tab"),
    pytest.param(deny("person", "summary", "read"), id="person denied another person's summary"),
    pytest.param(deny("person", "access_log", "read"),
                 id="person denied another person's access log"),
    pytest.param(deny("person", "diary", "read", own=True), id="person denied an unknown page"),
    pytest.param(deny("person", "plan", "delete", own=True), id="person denied an unknown action"),
    # A practitioner: a current grant on the tab, to them or their team; co-edit to write.
    *(pytest.param(allow("practitioner", tab, "read", to_me(tab), shows=frozenset({tab})),
                   id=f"practitioner reads {tab} with a read grant") for tab in sorted(TABS)),
    *(pytest.param(deny("practitioner", tab, "write", to_me(tab)),
                   id=f"practitioner cannot write {tab} with a read grant") for tab in sorted(TABS)),
    *(pytest.param(allow("practitioner", tab, "write", to_me(tab, "co_edit"),
                         shows=frozenset({tab})),
                   id=f"practitioner writes {tab} with co-edit") for tab in sorted(TABS)),
    pytest.param(allow("practitioner", "plan", "write", to_me("plan"), to_me("plan", "co_edit"),
                       shows=frozenset({"plan"})),
                 id="practitioner with read and co-edit grants gets co-edit"),
    pytest.param(allow("practitioner", "plan", "write", to_me("plan", "co_edit"), to_me("plan"),
                       shows=frozenset({"plan"})),
                 id="a later read grant does not lower co-edit"),
    pytest.param(deny("practitioner", "strengths", "read", to_me("plan", "co_edit")),
                 id="practitioner denied a tab not granted"),
    pytest.param(deny("practitioner", "plan", "read"), id="practitioner without grants denied"),
    pytest.param(deny("practitioner", "plan", "delete", *EVERY_TAB_CO_EDIT),
                 id="practitioner denied an unknown action"),
    pytest.param(deny("practitioner", "diary", "read", *EVERY_TAB_CO_EDIT),
                 id="practitioner denied an unknown page"),
    pytest.param(deny("practitioner", "diary", "read", to_me("diary", "co_edit")),
                 id="a grant on an unknown tab opens nothing"),
    # Expiry and revocation, at the instant passed in.
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", until=NOW)),
                 id="grant ending exactly now has expired"),
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", until=NOW - SECOND)),
                 id="expired grant denied"),
    pytest.param(allow("practitioner", "plan", "read", to_me("plan", until=NOW + SECOND),
                       shows=frozenset({"plan"})),
                 id="grant ending a second from now still counts"),
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", revoked_at=NOW - SECOND)),
                 id="revoked grant denied"),
    pytest.param(deny("practitioner", "plan", "read",
                      to_me("plan", until=NOW + SECOND, revoked_at=NOW - SECOND)),
                 id="revoked grant denied though not yet expired"),
    pytest.param(deny("practitioner", "plan", "write", to_me("plan"),
                      to_me("plan", "co_edit", revoked_at=NOW - SECOND)),
                 id="revoked co-edit leaves only read"),
    pytest.param(allow("practitioner", "plan", "read", to_me("plan", revoked_at=NOW - SECOND),
                       to_team("plan"), teams=(TEAM,), shows=frozenset({"plan"})),
                 id="revoked personal grant but a current team grant allows"),
    # Team grants.
    pytest.param(allow("practitioner", "quality_of_life", "write",
                       to_team("quality_of_life", "co_edit"), teams=(TEAM,),
                       shows=frozenset({"quality_of_life"})),
                 id="team grant reaches its practitioner"),
    pytest.param(deny("practitioner", "quality_of_life", "read", to_team("quality_of_life")),
                 id="team grant denied to a practitioner outside the team"),
    pytest.param(deny("practitioner", "quality_of_life", "read", to_team("quality_of_life"),
                      teams=(OTHER_TEAM,)),
                 id="team grant denied to a practitioner of another team"),
    pytest.param(deny("practitioner", "plan", "write", to_team("plan"), teams=(TEAM,)),
                 id="team read grant does not let its practitioner write"),
    # Grants to someone else, or on someone else's record.
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", "co_edit",
                                                             grantee=SOMEONE_ELSE)),
                 id="grant to another practitioner does not count"),
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", "co_edit",
                                                             person=OTHER_PERSON)),
                 id="grant on another person's record does not count"),
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", kind="close_person")),
                 id="grant to the practitioner as a close person does not count"),
    pytest.param(deny("practitioner", "plan", "read", to_me("plan", kind="team")),
                 id="grant to a team whose id is the practitioner's does not count"),
    # Multi-tab pages: allowed with any readable tab, showing only those, never written.
    pytest.param(allow("practitioner", "summary", "read", to_me("plan"),
                       to_me("strengths", revoked_at=NOW - SECOND), shows=frozenset({"plan"})),
                 id="summary shows only the tabs currently granted"),
    pytest.param(allow("practitioner", "timeline", "read", to_me("plan"),
                       to_team("social_network"), teams=(TEAM,),
                       shows=frozenset({"plan", "social_network"})),
                 id="timeline shows personal and team grants together"),
    pytest.param(deny("practitioner", "summary", "read"), id="summary denied without any grant"),
    pytest.param(deny("practitioner", "timeline", "read", to_me("plan", until=NOW)),
                 id="timeline denied when every grant expired"),
    pytest.param(deny("practitioner", "summary", "write", *EVERY_TAB_CO_EDIT),
                 id="summary is never written by a practitioner"),
    # Consent page, consent intake and access log.
    pytest.param(allow("practitioner", "consent", "read"),
                 id="practitioner reads the grants that concern them"),
    pytest.param(deny("practitioner", "consent", "write", *EVERY_TAB_CO_EDIT),
                 id="practitioner cannot manage the person's consent"),
    pytest.param(allow("practitioner", "consent_intake", "write"),
                 id="practitioner records consent in person or asks access"),
    pytest.param(deny("practitioner", "consent_intake", "read"),
                 id="consent intake is a command, not a page"),
    pytest.param(deny("practitioner", "access_log", "read", *EVERY_TAB_CO_EDIT),
                 id="practitioner never reads the access log"),
    # A close person: the tabs shared with them as a close person.
    pytest.param(allow("close_person", "strengths", "read", to_close("strengths"),
                       shows=frozenset({"strengths"})),
                 id="close person reads a tab shared with them"),
    pytest.param(deny("close_person", "strengths", "write", to_close("strengths")),
                 id="close person cannot write with a read grant"),
    pytest.param(allow("close_person", "strengths", "write", to_close("strengths", "co_edit"),
                       shows=frozenset({"strengths"})),
                 id="close person writes with co-edit"),
    pytest.param(deny("close_person", "plan", "read", to_close("strengths")),
                 id="close person denied a tab not shared"),
    pytest.param(deny("close_person", "plan", "read", to_me("plan")),
                 id="close person denied a grant naming them as a practitioner"),
    pytest.param(deny("close_person", "plan", "read", to_team("plan"), teams=(TEAM,)),
                 id="close person gets nothing from a team grant"),
    pytest.param(deny("close_person", "strengths", "read",
                      to_me("strengths", kind="close_person", grantee=SOMEONE_ELSE)),
                 id="close person denied a grant to another close person"),
    pytest.param(allow("close_person", "summary", "read", to_close("strengths"),
                       shows=frozenset({"strengths"})),
                 id="close person's summary shows the shared tabs"),
    pytest.param(deny("close_person", "consent", "read", to_close("strengths")),
                 id="close person does not see the consent page"),
    pytest.param(deny("close_person", "consent_intake", "write"),
                 id="close person cannot use the consent intake"),
    pytest.param(deny("close_person", "access_log", "read", to_close("strengths")),
                 id="close person never reads the access log"),
    # Roles without clinical access, whatever the grants name.
    *(pytest.param(deny(role, tab, "read", *EVERY_TAB_CO_EDIT, to_team("plan", "co_edit"),
                        teams=(TEAM,)),
                   id=f"{role} denied {tab}")
      for role in ("team_manager", "org_admin", "auditor", "researcher")
      for tab in (*sorted(TABS), "summary", "timeline", "consent", "access_log")),
    pytest.param(deny("team_manager", "consent_intake", "write"),
                 id="team manager cannot use the consent intake"),
    pytest.param(deny("org_admin", "plan", "write", *EVERY_TAB_CO_EDIT),
                 id="org admin cannot write a tab"),
]


@pytest.mark.parametrize("case", CASES)
def test_the_policy_decides_each_case_of_the_table(case: Case) -> None:
    actor = Actor(PERSON if case.own_record else ME, TENANT, case.role)
    decision = decide(actor, PERSON, case.tab, case.action, case.grants, case.teams, NOW)
    assert decision.allowed is (case.readable is not None), decision.reason
    assert decision.readable_tabs == (case.readable or NONE)
    assert decision.reason


def test_the_instant_passed_in_is_the_only_clock() -> None:
    grant = to_me("plan", until=NOW)
    actor = Actor(ME, TENANT, "practitioner")
    assert decide(actor, PERSON, "plan", "read", [grant], [], NOW - SECOND).allowed
    assert not decide(actor, PERSON, "plan", "read", [grant], [], NOW).allowed


ROLE_RULES = [
    pytest.param("person", PERSON, True, id="person reaches their own record"),
    pytest.param("person", ME, False, id="person does not reach another person's record"),
    pytest.param("practitioner", ME, True, id="practitioner reaches, consent decides the tabs"),
    pytest.param("close_person", ME, True, id="close person reaches, consent decides the tabs"),
    pytest.param("team_manager", ME, False, id="team manager never reaches a record"),
    pytest.param("org_admin", ME, False, id="org admin never reaches a record"),
    pytest.param("auditor", ME, False, id="auditor never reaches a record"),
    pytest.param("researcher", ME, False, id="researcher never reaches a record"),
]


@pytest.mark.parametrize(("role", "user_id", "reaches"), ROLE_RULES)
def test_the_services_defence_in_depth_lets_only_the_record_roles_reach_a_person(
        role: str, user_id: UUID, reaches: bool) -> None:
    actor = Actor(user_id, TENANT, role)
    if reaches:
        check_may_reach_person(actor, PERSON)
    else:
        with pytest.raises(Forbidden):
            check_may_reach_person(actor, PERSON)


STATISTICS = [
    pytest.param("org_admin", SOMEONE_ELSE, True, id="org admin sees any team's statistics"),
    pytest.param("org_admin", None, True, id="org admin sees a team without a manager"),
    pytest.param("team_manager", ME, True, id="manager sees their own team's statistics"),
    pytest.param("team_manager", SOMEONE_ELSE, False, id="manager denied another team's"),
    pytest.param("team_manager", None, False, id="manager denied a team without a manager"),
    pytest.param("practitioner", ME, False, id="practitioner denied team statistics"),
    pytest.param("auditor", ME, False, id="auditor denied team statistics"),
]


@pytest.mark.parametrize(("role", "manager_id", "sees"), STATISTICS)
def test_team_statistics_are_for_the_teams_manager_and_the_org_admin(
        role: str, manager_id: UUID | None, sees: bool) -> None:
    actor = Actor(ME, TENANT, role)
    if sees:
        check_may_see_team_statistics(actor, manager_id)
    else:
        with pytest.raises(Forbidden):
            check_may_see_team_statistics(actor, manager_id)


@pytest.mark.parametrize(("role", "allowed_roles", "passes"), [
    pytest.param("org_admin", ("org_admin",), True, id="the named role passes"),
    pytest.param("practitioner", ("person", "practitioner"), True, id="any named role passes"),
    pytest.param("team_manager", ("org_admin",), False, id="a manager is not an admin"),
    pytest.param("person", ("practitioner",), False, id="a person is not a practitioner"),
])
def test_a_use_case_for_some_roles_refuses_every_other(
        role: str, allowed_roles: tuple[str, ...], passes: bool) -> None:
    actor = Actor(ME, TENANT, role)
    if passes:
        check_role(actor, *allowed_roles)
    else:
        with pytest.raises(Forbidden):
            check_role(actor, *allowed_roles)
