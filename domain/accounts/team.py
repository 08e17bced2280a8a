"""A team of practitioners within an organization, with its manager."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidState
from domain.text import check_text


class Team(Aggregate):
    """Consent can be granted to a team; its manager sees only de-identified figures."""

    id: UUID

    class Created(Aggregate.Created):
        tenant_id: UUID
        name: str
        created_by: UUID

    class Renamed(Aggregate.Event):
        name: str
        author_id: UUID

    class PractitionerJoined(Aggregate.Event):
        practitioner_id: UUID
        author_id: UUID

    class PractitionerLeft(Aggregate.Event):
        practitioner_id: UUID
        author_id: UUID

    class ManagerAssigned(Aggregate.Event):
        manager_id: UUID
        author_id: UUID

    @classmethod
    def create(cls, team_id: UUID, tenant_id: UUID, name: str, created_by: UUID) -> Team:
        return cls(  # type: ignore[call-arg]  # `id` is read by the library, not __init__
            id=team_id, tenant_id=tenant_id, name=check_text(name, "team name", 120),
            created_by=created_by)

    @event(Created)
    def __init__(self, tenant_id: UUID, name: str, created_by: UUID) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.members: list[UUID] = []
        self.manager_id: UUID | None = None

    def rename(self, name: str, author_id: UUID) -> None:
        self._rename(check_text(name, "team name", 120), author_id)

    @event(Renamed)
    def _rename(self, name: str, author_id: UUID) -> None:
        self.name = name

    def add(self, practitioner_id: UUID, author_id: UUID) -> None:
        if practitioner_id in self.members:
            raise InvalidState("this practitioner is already in the team")
        self._join(practitioner_id, author_id)

    @event(PractitionerJoined)
    def _join(self, practitioner_id: UUID, author_id: UUID) -> None:
        self.members.append(practitioner_id)

    def remove(self, practitioner_id: UUID, author_id: UUID) -> None:
        if practitioner_id not in self.members:
            raise InvalidState("this practitioner is not in the team")
        self._leave(practitioner_id, author_id)

    @event(PractitionerLeft)
    def _leave(self, practitioner_id: UUID, author_id: UUID) -> None:
        self.members.remove(practitioner_id)

    def assign_manager(self, manager_id: UUID, author_id: UUID) -> None:
        self._assign_manager(manager_id, author_id)

    @event(ManagerAssigned)
    def _assign_manager(self, manager_id: UUID, author_id: UUID) -> None:
        self.manager_id = manager_id
