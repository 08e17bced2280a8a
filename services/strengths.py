"""Use cases of the strengths tab: note a strength, reword it, relink it, retire it."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application

from domain.access.policy import check_may_reach_person
from domain.catalog import Catalog, load_catalog
from domain.errors import InvalidValue, NotFound
from domain.strengths.strength import Strength
from services.accounts import Accounts
from services.actor import Actor
from services.base import BarometreApplication, Clock, CommandResult, FactoryBuilder, utc_now
from services.tenancy import tenant_scope

# (actor, person id, relationship id) -> is it a relationship of that person's network?
MemberCheck = Callable[[Actor, UUID, UUID], bool]


def network_member_check(network: Callable[[], Application[UUID] | None]) -> MemberCheck:
    """Checks a network member on the Network application's write side, found when asked
    (so the order in which the composition root builds the applications does not matter).

    The Relationship class is recognised by name and `person_id`, so this module does not
    depend on the network tab's modules."""
    def exists(actor: Actor, person_id: UUID, relationship_id: UUID) -> bool:
        app = network()
        if app is None:
            raise InvalidValue("links to network members are not available: the social "
                               "network tab is not installed")
        with tenant_scope(actor.tenant_id):
            try:
                found: object = app.repository.get(relationship_id)
            except AggregateNotFoundError:
                return False
        return (type(found).__name__ == "Relationship"
                and getattr(found, "person_id", None) == person_id)
    return exists


class Strengths(BarometreApplication):
    name = "Strengths"
    snapshot_every = {Strength: 100}  # noqa: RUF012  (declared in BarometreApplication)

    def __init__(self, build_factory: FactoryBuilder, accounts: Accounts,
                 clock: Clock = utc_now, member_exists: MemberCheck | None = None) -> None:
        self.accounts = accounts
        self.member_exists = member_exists
        super().__init__(build_factory, clock)

    def note(self, actor: Actor, person_id: UUID, kind: str, text: str,
             sphere: str | None = None, theme: str | None = None,
             member_id: UUID | None = None) -> CommandResult:
        check_may_reach_person(actor, person_id)
        self.accounts.check_person(actor.tenant_id, person_id)
        area = Strength.check_area(self._catalog(actor), sphere, theme)
        self.check_member(actor, person_id, member_id)
        with tenant_scope(actor.tenant_id):
            strength = Strength.note(uuid4(), actor.tenant_id, person_id, kind, text, area,
                                     member_id, actor.user_id)
            return self.commit(strength)

    def reword(self, actor: Actor, person_id: UUID, strength_id: UUID, text: str,
               expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, strength_id, expected_version,
                            lambda s: s.reword(text, actor.user_id))

    def link(self, actor: Actor, person_id: UUID, strength_id: UUID, sphere: str | None,
             theme: str | None, member_id: UUID | None,
             expected_version: int | None = None) -> CommandResult:
        """Sets every link at once: the area (a sphere or a theme) and the network member."""
        area = Strength.check_area(self._catalog(actor), sphere, theme)

        def apply(strength: Strength) -> None:
            if member_id != strength.member_id:  # a link already made is not checked again
                self.check_member(actor, person_id, member_id)
            strength.link(area, member_id, actor.user_id)
        return self._change(actor, person_id, strength_id, expected_version, apply)

    def retire(self, actor: Actor, person_id: UUID, strength_id: UUID,
               expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, strength_id, expected_version,
                            lambda s: s.retire(actor.user_id))

    def check_strength_of(self, actor: Actor, person_id: UUID, strength_id: UUID) -> None:
        """For other tabs' links: a current strength of this very person (write side)."""
        with tenant_scope(actor.tenant_id):
            try:
                strength = self.load(strength_id, Strength, "strength")
            except NotFound:
                strength = None
        if strength is None or strength.person_id != person_id:
            raise InvalidValue(f"the strength {strength_id} is not one of this person's strengths")
        if strength.retired:
            raise InvalidValue(f"the strength {strength_id} is retired")

    def check_member(self, actor: Actor, person_id: UUID, member_id: UUID | None) -> None:
        if member_id is None:
            return
        if self.member_exists is None:
            raise InvalidValue("links to network members are not available: the social "
                               "network tab is not installed")
        if not self.member_exists(actor, person_id, member_id):
            raise InvalidValue(f"the network member {member_id} is not in this person's network")

    def _catalog(self, actor: Actor) -> Catalog:
        return load_catalog(self.accounts.organization(actor.tenant_id).catalog_version)

    def _change(self, actor: Actor, person_id: UUID, strength_id: UUID,
                expected_version: int | None, change: Callable[[Strength], None]) -> CommandResult:
        check_may_reach_person(actor, person_id)
        with tenant_scope(actor.tenant_id):
            strength = self.load(strength_id, Strength, "strength")
            if strength.person_id != person_id:
                raise NotFound("strength not found")
            self.check_version(strength, expected_version)
            change(strength)
            return self.commit(strength)
