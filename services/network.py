"""Use cases of the social network (ecomap) tab: add, revise and end relationships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final
from uuid import UUID, uuid4

from domain.access.policy import check_may_reach_person
from domain.errors import InvalidValue, NotFound
from domain.network.relationship import Relationship
from services.accounts import Accounts
from services.actor import Actor
from services.base import BarometreApplication, Clock, CommandResult, FactoryBuilder, utc_now
from services.tenancy import tenant_scope


class Keep(Enum):
    """Marks a field a revision leaves as it is (None is a value: "no label")."""

    FIELD = "keep"


KEEP: Final = Keep.FIELD


@dataclass(frozen=True)
class NewRelationship:
    name: str
    relationship_type: object
    quality: object
    closeness: object
    frequency: object
    label: str | None = None
    supports: Sequence[object] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Revision:
    """The fields one request changes; each changed field is one event, all in one commit."""

    name: str | Keep = KEEP
    relationship_type: object = KEEP
    label: str | None | Keep = KEEP
    quality: object = KEEP
    closeness: object = KEEP
    supports: Sequence[object] | Keep = KEEP
    frequency: object = KEEP
    comment: str | Keep = KEEP

    def is_empty(self) -> bool:
        return all(value is KEEP for value in vars(self).values())


class Network(BarometreApplication):
    name = "Network"
    snapshot_every = {Relationship: 100}  # noqa: RUF012  (declared in BarometreApplication)

    def __init__(self, build_factory: FactoryBuilder, accounts: Accounts,
                 clock: Clock = utc_now) -> None:
        self.accounts = accounts
        super().__init__(build_factory, clock)

    def add(self, actor: Actor, person_id: UUID, new: NewRelationship) -> CommandResult:
        check_may_reach_person(actor, person_id)
        self.accounts.check_person(actor.tenant_id, person_id)
        with tenant_scope(actor.tenant_id):
            relationship = Relationship.add(
                uuid4(), actor.tenant_id, person_id, new.name, new.relationship_type,
                new.quality, new.closeness, new.frequency, actor.user_id, label=new.label,
                supports=new.supports, comment=new.comment)
            return self.commit(relationship)

    def revise(self, actor: Actor, person_id: UUID, relationship_id: UUID, revision: Revision,
               expected_version: int | None = None) -> CommandResult:
        """Applies every changed field, or none of them if one is refused."""
        if revision.is_empty():
            raise InvalidValue("nothing to change: give at least one field")
        with tenant_scope(actor.tenant_id):
            relationship = self._load(actor, person_id, relationship_id, expected_version)
            self._apply(relationship, revision, actor.user_id)
            return self.commit(relationship)

    def end(self, actor: Actor, person_id: UUID, relationship_id: UUID,
            expected_version: int | None = None) -> CommandResult:
        with tenant_scope(actor.tenant_id):
            relationship = self._load(actor, person_id, relationship_id, expected_version)
            relationship.end(actor.user_id)
            return self.commit(relationship)

    def _load(self, actor: Actor, person_id: UUID, relationship_id: UUID,
              expected_version: int | None) -> Relationship:
        check_may_reach_person(actor, person_id)
        relationship = self.load(relationship_id, Relationship, "relationship")
        if relationship.person_id != person_id:
            raise NotFound("relationship not found")
        self.check_version(relationship, expected_version)
        return relationship

    @staticmethod
    def _apply(r: Relationship, revision: Revision, author_id: UUID) -> None:
        r.check_not_ended()  # even a revision that changes nothing is refused once ended
        if not isinstance(revision.name, Keep):
            r.rename(revision.name, author_id)
        if revision.relationship_type is not KEEP or revision.label is not KEEP:
            kind = r.relationship_type if revision.relationship_type is KEEP \
                else revision.relationship_type
            r.retype(kind, r.label if isinstance(revision.label, Keep) else revision.label,
                     author_id)
        if revision.quality is not KEEP:
            r.rate(revision.quality, author_id)
        if revision.closeness is not KEEP:
            r.change_closeness(revision.closeness, author_id)
        if not isinstance(revision.supports, Keep):
            r.change_supports(revision.supports, author_id)
        if revision.frequency is not KEEP:
            r.change_frequency(revision.frequency, author_id)
        if not isinstance(revision.comment, Keep):
            r.comment(revision.comment, author_id)
