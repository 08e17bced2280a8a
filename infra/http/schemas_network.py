"""Request and response bodies of the social network (ecomap) tab (msgspec).

Vocabularies are plain strings here and checked by the domain, so an unknown value gets a
422 that lists the allowed ones; text limits too (name and label 120, comment 2,000)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from domain.network.vocabulary import (
    CLOSENESS,
    FREQUENCIES,
    LABEL_MAX,
    NAME_MAX,
    QUALITIES,
    RELATIONSHIP_TYPES,
    SUPPORT_KINDS,
)
from infra.http.texts import Text, Word, text_rule


def _one_of(values: tuple[str, ...], **constraints: int) -> msgspec.Meta:
    return msgspec.Meta(description=f"one of: {', '.join(values)}", **constraints)


PersonName = Annotated[str, text_rule(NAME_MAX)]
Label = Annotated[str, text_rule(LABEL_MAX)]


RelationshipType = Annotated[Word, _one_of(RELATIONSHIP_TYPES)]
Quality = Annotated[int, msgspec.Meta(description="1 to 5: " + ", ".join(
    f"{k} = {v}" for k, v in QUALITIES.items()))]
Closeness = Annotated[Word, _one_of(CLOSENESS)]
Frequency = Annotated[Word, _one_of(FREQUENCIES)]
Supports = Annotated[list[Word], _one_of(SUPPORT_KINDS, max_length=16)]
Change = Literal["added", "renamed", "retyped", "rated", "closeness_changed", "supports_changed",
                 "frequency_changed", "commented", "ended"]


class RelationshipCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: PersonName
    relationship_type: RelationshipType
    quality: Quality
    closeness: Closeness
    frequency: Frequency
    label: Label | None = None
    supports: Supports = msgspec.field(default_factory=list)
    comment: Text | None = None


class RelationshipUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields given change, each as its own event, all in one transaction;
    `label: null` removes the label."""

    name: PersonName | UnsetType = UNSET
    relationship_type: RelationshipType | UnsetType = UNSET
    label: Label | None | UnsetType = UNSET
    quality: Quality | UnsetType = UNSET
    closeness: Closeness | UnsetType = UNSET
    supports: Supports | UnsetType = UNSET
    frequency: Frequency | UnsetType = UNSET
    comment: Text | UnsetType = UNSET


class RelationshipView(msgspec.Struct):
    relationship_id: UUID
    person_id: UUID
    name: str
    relationship_type: str
    label: str | None
    quality: int
    quality_name: str
    closeness: str
    supports: list[str]
    frequency: str
    comment: str | None
    version: int
    added_at: datetime
    updated_at: datetime
    ended_at: datetime | None


class NetworkMapView(msgspec.Struct):
    """The map now (as_of null) or as it stood at as_of."""

    as_of: datetime | None
    relationships: list[RelationshipView]
    next_cursor: str | None = None  # pass as `cursor` for the next page (null: no more)


class HistoryEntry(msgspec.Struct):
    """The full state of the relationship after one change, valid from valid_from."""

    version: int
    change: Change
    author_id: UUID
    valid_from: datetime
    name: str
    relationship_type: str
    label: str | None
    quality: int
    quality_name: str
    closeness: str
    supports: list[str]
    frequency: str
    comment: str | None
    ended_at: datetime | None


class RelationshipChange(msgspec.Struct):
    relationship_id: UUID
    name: str
    relationship_type: str
    label: str | None
    quality_before: int | None
    quality_after: int
    closeness_before: str | None
    closeness_after: str
    added_at: datetime
    ended_at: datetime | None


class NetworkChangesView(msgspec.Struct):
    start: datetime = msgspec.field(name="from")
    end: datetime = msgspec.field(name="to")
    added: list[RelationshipChange] = msgspec.field(default_factory=list)
    ended: list[RelationshipChange] = msgspec.field(default_factory=list)
    improved: list[RelationshipChange] = msgspec.field(default_factory=list)
    worsened: list[RelationshipChange] = msgspec.field(default_factory=list)
    next_cursor: str | None = None  # pass as `cursor` for the next page (null: no more)
