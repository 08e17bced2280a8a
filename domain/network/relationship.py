"""A relationship on the person's ecomap: who, what kind, how it goes; ended, never deleted."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidState
from domain.network.vocabulary import (
    LABEL_MAX,
    NAME_MAX,
    check_closeness,
    check_frequency,
    check_quality,
    check_relationship_type,
    check_supports,
)
from domain.text import check_text


def check_label(label: str | None) -> str | None:
    return None if label is None else check_text(label, "label", LABEL_MAX)


class Relationship(Aggregate):
    """One person around the person served. Each change is its own event; setting a field
    to the value it has stores nothing. Every event names the person and its author."""

    id: UUID  # given by the service (an annotation the library reads to accept `id=`)

    class RelationshipAdded(Aggregate.Created):
        tenant_id: UUID
        person_id: UUID
        name: str
        relationship_type: str
        label: str | None
        quality: int
        closeness: str
        supports: list[str]
        frequency: str
        comment: str | None
        author_id: UUID

    class RelationshipRenamed(Aggregate.Event):
        person_id: UUID
        name: str
        author_id: UUID

    class RelationshipRetyped(Aggregate.Event):
        person_id: UUID
        relationship_type: str
        label: str | None
        author_id: UUID

    class RelationshipRated(Aggregate.Event):
        person_id: UUID
        quality: int
        author_id: UUID

    class ClosenessChanged(Aggregate.Event):
        person_id: UUID
        closeness: str
        author_id: UUID

    class SupportsChanged(Aggregate.Event):
        person_id: UUID
        supports: list[str]
        author_id: UUID

    class ContactFrequencyChanged(Aggregate.Event):
        person_id: UUID
        frequency: str
        author_id: UUID

    class RelationshipCommented(Aggregate.Event):
        person_id: UUID
        text: str
        author_id: UUID

    class RelationshipEnded(Aggregate.Event):
        person_id: UUID
        author_id: UUID

    @classmethod
    def add(cls, relationship_id: UUID, tenant_id: UUID, person_id: UUID, name: str,
            relationship_type: object, quality: object, closeness: object, frequency: object,
            author_id: UUID, *, label: str | None = None, supports: Iterable[object] = (),
            comment: str | None = None) -> Relationship:
        return cls(  # type: ignore[call-arg]  # `id` is read by the library, not __init__
            id=relationship_id, tenant_id=tenant_id, person_id=person_id,
            name=check_text(name, "name", NAME_MAX),
            relationship_type=check_relationship_type(relationship_type),
            label=check_label(label), quality=check_quality(quality),
            closeness=check_closeness(closeness), supports=check_supports(supports),
            frequency=check_frequency(frequency),
            comment=None if comment is None else check_text(comment, "comment"),
            author_id=author_id)

    @event(RelationshipAdded)
    def __init__(self, tenant_id: UUID, person_id: UUID, name: str, relationship_type: str,
                 label: str | None, quality: int, closeness: str, supports: list[str],
                 frequency: str, comment: str | None, author_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.person_id = person_id
        self.name = name
        self.relationship_type = relationship_type
        self.label = label
        self.quality = quality
        self.closeness = closeness
        self.supports = list(supports)
        self.frequency = frequency
        self.comment_text = comment
        self.ended = False

    # Rules -----------------------------------------------------------------
    def check_not_ended(self) -> None:
        if self.ended:
            raise InvalidState("this relationship has ended and can no longer change; "
                               "add it again if it starts anew")

    # Commands --------------------------------------------------------------
    def rename(self, name: str, author_id: UUID) -> None:
        self.check_not_ended()
        name = check_text(name, "name", NAME_MAX)
        if name != self.name:
            self._rename(self.person_id, name, author_id)

    @event(RelationshipRenamed)
    def _rename(self, person_id: UUID, name: str, author_id: UUID) -> None:
        self.name = name

    def retype(self, relationship_type: object, label: str | None, author_id: UUID) -> None:
        self.check_not_ended()
        kind, label = check_relationship_type(relationship_type), check_label(label)
        if (kind, label) != (self.relationship_type, self.label):
            self._retype(self.person_id, kind, label, author_id)

    @event(RelationshipRetyped)
    def _retype(self, person_id: UUID, relationship_type: str, label: str | None,
                author_id: UUID) -> None:
        self.relationship_type = relationship_type
        self.label = label

    def rate(self, quality: object, author_id: UUID) -> None:
        self.check_not_ended()
        value = check_quality(quality)
        if value != self.quality:
            self._rate(self.person_id, value, author_id)

    @event(RelationshipRated)
    def _rate(self, person_id: UUID, quality: int, author_id: UUID) -> None:
        self.quality = quality

    def change_closeness(self, closeness: object, author_id: UUID) -> None:
        self.check_not_ended()
        value = check_closeness(closeness)
        if value != self.closeness:
            self._change_closeness(self.person_id, value, author_id)

    @event(ClosenessChanged)
    def _change_closeness(self, person_id: UUID, closeness: str, author_id: UUID) -> None:
        self.closeness = closeness

    def change_supports(self, supports: Iterable[object], author_id: UUID) -> None:
        self.check_not_ended()
        kinds = check_supports(supports)
        if kinds != self.supports:
            self._change_supports(self.person_id, kinds, author_id)

    @event(SupportsChanged)
    def _change_supports(self, person_id: UUID, supports: list[str], author_id: UUID) -> None:
        self.supports = list(supports)

    def change_frequency(self, frequency: object, author_id: UUID) -> None:
        self.check_not_ended()
        value = check_frequency(frequency)
        if value != self.frequency:
            self._change_frequency(self.person_id, value, author_id)

    @event(ContactFrequencyChanged)
    def _change_frequency(self, person_id: UUID, frequency: str, author_id: UUID) -> None:
        self.frequency = frequency

    def comment(self, text: str, author_id: UUID) -> None:
        self.check_not_ended()
        text = check_text(text, "comment")
        if text != self.comment_text:
            self._comment(self.person_id, text, author_id)

    @event(RelationshipCommented)
    def _comment(self, person_id: UUID, text: str, author_id: UUID) -> None:
        self.comment_text = text

    def end(self, author_id: UUID) -> None:
        self.check_not_ended()
        self._end(self.person_id, author_id)

    @event(RelationshipEnded)
    def _end(self, person_id: UUID, author_id: UUID) -> None:
        self.ended = True
