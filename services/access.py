"""Who may reach a person's record. Until consent lands: staff of the person's own
organization (practitioners) and the person themself; admins see no clinical content."""

from __future__ import annotations

from uuid import UUID

from domain.errors import Forbidden
from services.actor import Actor


def check_may_reach_person(actor: Actor, person_id: UUID) -> None:
    """Same tenant is given by the tenant scope (and RLS); this adds the role rule."""
    if actor.role == "person":
        if actor.user_id != person_id:
            raise Forbidden("a person may reach only their own record")
        return
    if actor.role == "practitioner":
        return
    raise Forbidden(f"the role {actor.role} has no access to clinical content")


def check_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"this requires the role {' or '.join(roles)}")
