"""Who may do what on which part of a person's record: `decide`, the consent decision made on
every request to a record, and the role rules the services keep as defence in depth. Pure:
the grants, the actor's teams and the instant come in as arguments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.access.actor import Actor
from domain.access.grant import Grant
from domain.consent.vocabulary import TABS
from domain.errors import Forbidden


def check_may_reach_person(actor: Actor, person_id: UUID) -> None:
    """Same tenant is given by the tenant scope (and RLS); this adds the role rule."""
    if actor.role == "person":
        if actor.user_id != person_id:
            raise Forbidden("a person may reach only their own record")
        return
    if actor.role in ("practitioner", "close_person"):
        return  # which tabs, and read or co-edit, is the consent decision (`decide`)
    raise Forbidden(f"the role {actor.role} has no access to clinical content")


def check_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"this requires the role {' or '.join(roles)}")


def check_may_see_team_statistics(actor: Actor, manager_id: UUID | None) -> None:
    """De-identified team figures: the team's own manager, or an organization admin."""
    if actor.role == "org_admin" or (actor.role == "team_manager" and manager_id == actor.user_id):
        return
    raise Forbidden("only the team's manager or an organization admin sees its statistics")


# The consent decision ----------------------------------------------------------------------
READ, WRITE = "read", "write"
ACTIONS = (READ, WRITE)
QUALITY_OF_LIFE, SOCIAL_NETWORK, STRENGTHS, PLAN = TABS
CONSENT_PAGE = "consent"  # the person's consent page (practitioners: the grants to them)
CONSENT_INTAKE = "consent_intake"  # a practitioner records in-person consent or asks access
ACCESS_LOG_PAGE = "access_log"  # who accessed the record: the person only
SUMMARY, TIMELINE = "summary", "timeline"
MULTI_TAB = (SUMMARY, TIMELINE)  # allowed if any tab is readable; shows only those
# Every part of the record a route may touch (what `decide` knows; anything else is denied).
PAGES = (*TABS, *MULTI_TAB, CONSENT_PAGE, CONSENT_INTAKE, ACCESS_LOG_PAGE)
_NO_RECORD = {
    "team_manager": "a team manager sees only aggregate, de-identified team statistics",
    "org_admin": "an organization admin sees no clinical content",
    "auditor": "an auditor sees no clinical content (replay tools come later)",
}


@dataclass(frozen=True)
class Decision:
    """Allowed or not, why (for the access log), and the tabs a multi-tab page may show."""

    allowed: bool
    reason: str
    readable_tabs: frozenset[str] = frozenset()


def _deny(reason: str) -> Decision:
    return Decision(False, reason)


def _concerns(actor: Actor, grant: Grant, team_ids: frozenset[UUID]) -> bool:
    if actor.role == "practitioner":
        return ((grant.grantee_kind == "practitioner" and grant.grantee_id == actor.user_id)
                or (grant.grantee_kind == "team" and grant.grantee_id in team_ids))
    return (actor.role == "close_person" and grant.grantee_kind == "close_person"
            and grant.grantee_id == actor.user_id)


def consented_levels(actor: Actor, person_id: UUID, grants: Iterable[Grant],
                     team_ids: Iterable[UUID], now: datetime) -> dict[str, str]:
    """Tab -> the best level of every unrevoked, unexpired grant to the actor (or their team)."""
    teams = frozenset(team_ids)
    levels: dict[str, str] = {}
    for g in grants:
        if (g.person_id == person_id and g.revoked_at is None and g.tab in TABS
                and (g.until is None or g.until > now) and _concerns(actor, g, teams)
                and levels.get(g.tab) != "co_edit"):
            levels[g.tab] = g.level
    return levels


def decide(actor: Actor, person_id: UUID, tab: str, action: str, grants: Iterable[Grant],
           actor_team_ids: Iterable[UUID], now: datetime) -> Decision:
    """May this actor read or write this part of this person's record, now? Anything not
    explicitly allowed is denied. The tenant is already fixed (RLS); existence is the caller's."""
    if action not in ACTIONS:
        return _deny(f"unknown action {action!r}")
    if actor.role == "person":
        if actor.user_id != person_id:
            return _deny("a person may reach only their own record")
        if tab in (*TABS, *MULTI_TAB, CONSENT_PAGE, ACCESS_LOG_PAGE):
            return Decision(True, "the person's own record", frozenset(TABS))
        if tab == CONSENT_INTAKE:
            return _deny("the person grants access directly; practitioners ask or record it")
        return _deny(f"{tab!r} is not a known part of the record: denied by default")
    if actor.role not in ("practitioner", "close_person"):
        return _deny(_NO_RECORD.get(actor.role, f"the role {actor.role} has no access to records"))
    return _decide_by_consent(actor, tab, action,
                              consented_levels(actor, person_id, grants, actor_team_ids, now))


def _decide_by_consent(actor: Actor, tab: str, action: str, levels: dict[str, str]) -> Decision:
    practitioner = actor.role == "practitioner"
    if tab == CONSENT_PAGE:
        if practitioner and action == READ:
            return Decision(True, "a practitioner sees the grants that concern them")
        return _deny("only the person manages their consent")
    if tab == CONSENT_INTAKE:
        if practitioner and action == WRITE:
            return Decision(True, "a practitioner records consent given in person or asks access")
        return _deny("only a practitioner records consent given in person or asks access")
    if tab in TABS:
        level = levels.get(tab)
        if level is None:
            return _deny(f"no current consent to the {tab} tab")
        if action == WRITE and level != "co_edit":
            return _deny(f"the consent to the {tab} tab is read-only; writing needs co-edit")
        return Decision(True, f"consent ({level}) to the {tab} tab", frozenset([tab]))
    if tab in MULTI_TAB:
        if action == WRITE or not levels:
            return _deny(f"the {tab} is read-only" if levels else "no current consent to any tab")
        return Decision(True, "consent to " + ", ".join(sorted(levels)), frozenset(levels))
    return _deny(f"{tab!r} is not a known part of the record: denied by default")
