"""The consent decision (`domain.access.policy.decide`), pure: no storage, no clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.access.grant import Grant
from domain.access.policy import decide
from services.actor import Actor

TENANT, PERSON, TEAM = uuid4(), uuid4(), uuid4()
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
TABS = ("quality_of_life", "social_network", "strengths", "plan")


def actor(role: str, user_id: UUID | None = None) -> Actor:
    return Actor(user_id or uuid4(), TENANT, role)


def grant(grantee: UUID, tab: str, level: str = "read", kind: str = "practitioner",
          until: datetime | None = None, revoked: bool = False) -> Grant:
    return Grant(uuid4(), PERSON, kind, grantee, tab, level, until,
                 NOW - timedelta(minutes=1) if revoked else None)


def test_a_person_reaches_every_part_of_their_own_record_and_nothing_of_anyone_else() -> None:
    me = actor("person", PERSON)
    for page in (*TABS, "consent", "access_log", "summary", "timeline"):
        assert decide(me, PERSON, page, "write", [], [], NOW).allowed
    assert not decide(actor("person"), PERSON, "plan", "read", [], [], NOW).allowed
    assert decide(me, PERSON, "summary", "read", [], [], NOW).readable_tabs == frozenset(TABS)


def test_an_unknown_part_of_the_record_is_denied_to_everyone() -> None:
    practitioner = actor("practitioner")
    grants = [grant(practitioner.user_id, t, "co_edit") for t in TABS]
    assert not decide(actor("person", PERSON), PERSON, "unknown", "read", [], [], NOW).allowed
    assert not decide(practitioner, PERSON, "unknown", "read", grants, [], NOW).allowed


@pytest.mark.parametrize(("level", "action", "allowed"), [
    ("read", "read", True), ("read", "write", False), ("co_edit", "read", True),
    ("co_edit", "write", True)])
def test_a_practitioner_needs_a_grant_on_the_tab_and_co_edit_to_write(
        level: str, action: str, allowed: bool) -> None:
    practitioner = actor("practitioner")
    grants = [grant(practitioner.user_id, "plan", level)]
    assert decide(practitioner, PERSON, "plan", action, grants, [], NOW).allowed is allowed
    assert not decide(practitioner, PERSON, "strengths", action, grants, [], NOW).allowed


def test_an_expired_or_revoked_grant_gives_nothing() -> None:
    practitioner = actor("practitioner")
    for g in (grant(practitioner.user_id, "plan", until=NOW),
              grant(practitioner.user_id, "plan", until=NOW - timedelta(seconds=1)),
              grant(practitioner.user_id, "plan", revoked=True)):
        assert not decide(practitioner, PERSON, "plan", "read", [g], [], NOW).allowed
    future = grant(practitioner.user_id, "plan", until=NOW + timedelta(seconds=1))
    assert decide(practitioner, PERSON, "plan", "read", [future], [], NOW).allowed


def test_a_grant_to_a_team_reaches_its_practitioners_but_not_its_manager() -> None:
    practitioner, manager = actor("practitioner"), actor("team_manager")
    grants = [grant(TEAM, "quality_of_life", "co_edit", kind="team")]
    assert decide(practitioner, PERSON, "quality_of_life", "write", grants, [TEAM], NOW).allowed
    assert not decide(practitioner, PERSON, "quality_of_life", "read", grants, [], NOW).allowed
    assert not decide(manager, PERSON, "quality_of_life", "read", grants, [TEAM], NOW).allowed


def test_a_grant_to_someone_else_or_of_another_person_does_not_count() -> None:
    practitioner = actor("practitioner")
    others = [grant(uuid4(), "plan", "co_edit"),
              Grant(uuid4(), uuid4(), "practitioner", practitioner.user_id, "plan", "co_edit",
                    None, None)]
    assert not decide(practitioner, PERSON, "plan", "read", others, [], NOW).allowed


def test_a_close_person_sees_only_the_tabs_shared_with_them() -> None:
    close = actor("close_person")
    grants = [grant(close.user_id, "strengths", kind="close_person")]
    assert decide(close, PERSON, "strengths", "read", grants, [], NOW).allowed
    assert not decide(close, PERSON, "plan", "read", grants, [], NOW).allowed
    # a grant naming them as a practitioner is not theirs
    wrong_kind = [grant(close.user_id, "plan", kind="practitioner")]
    assert not decide(close, PERSON, "plan", "read", wrong_kind, [], NOW).allowed


@pytest.mark.parametrize("role", ["team_manager", "org_admin", "auditor", "researcher"])
def test_roles_without_clinical_access_are_denied_every_tab(role: str) -> None:
    someone = actor(role)
    grants = [grant(someone.user_id, t, "co_edit") for t in TABS]
    for page in (*TABS, "summary", "consent", "access_log"):
        assert not decide(someone, PERSON, page, "read", grants, [], NOW).allowed


def test_a_summary_is_readable_with_any_tab_and_shows_only_the_readable_tabs() -> None:
    practitioner = actor("practitioner")
    grants = [grant(practitioner.user_id, "plan"), grant(practitioner.user_id, "strengths",
                                                         revoked=True)]
    decision = decide(practitioner, PERSON, "timeline", "read", grants, [], NOW)
    assert decision.allowed and decision.readable_tabs == frozenset({"plan"})
    assert not decide(practitioner, PERSON, "summary", "read", [], [], NOW).allowed
    assert not decide(practitioner, PERSON, "summary", "write", grants, [], NOW).allowed


def test_the_consent_pages_belong_to_the_person_with_the_practitioners_share() -> None:
    practitioner, close = actor("practitioner"), actor("close_person")
    assert decide(practitioner, PERSON, "consent", "read", [], [], NOW).allowed
    assert not decide(practitioner, PERSON, "consent", "write", [], [], NOW).allowed
    assert decide(practitioner, PERSON, "consent_intake", "write", [], [], NOW).allowed
    assert not decide(practitioner, PERSON, "access_log", "read", [], [], NOW).allowed
    assert not decide(close, PERSON, "consent", "read", [], [], NOW).allowed
    assert not decide(actor("person", PERSON), PERSON, "consent_intake", "write", [], [],
                      NOW).allowed
