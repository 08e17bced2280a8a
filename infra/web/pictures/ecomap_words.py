"""What the ecomap says, in the caller's language, and the relationship it draws."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.network.vocabulary import (
    CLOSENESS,
    QUALITIES,
    RELATIONSHIP_TYPES,
    SUPPORT_KINDS,
    check_closeness,
    check_quality,
    check_relationship_type,
    check_supports,
)


@dataclass(frozen=True)
class MapRelationship:
    """One relationship as the ecomap shows it; `href` is where the page edits it."""

    relationship_id: str
    name: str
    relationship_type: str
    quality: int
    closeness: str
    supports: tuple[str, ...] = ()
    label: str | None = None  # the person's own word for the type ("travailleur social")
    href: str | None = None

    def __post_init__(self) -> None:  # the domain's vocabulary, or InvalidValue
        check_relationship_type(self.relationship_type)
        check_quality(self.quality)
        check_closeness(self.closeness)
        # kinds of support in the vocabulary's order, whatever order they came in
        object.__setattr__(self, "supports", tuple(check_supports(self.supports)))

    @classmethod
    def from_row(cls, row: Mapping[str, Any], href: str | None = None) -> MapRelationship:
        """From a row of the network queries (current_map, map_as_of)."""
        return cls(str(row["relationship_id"]), row["name"], row["relationship_type"],
                   row["quality"], row["closeness"], tuple(row["supports"] or ()),
                   row["label"], href)


@dataclass(frozen=True)
class EcomapWords:
    title: str
    description: str
    centre: str  # the person's name, or "Moi"
    types: Mapping[str, str]
    qualities: Mapping[int, str]
    circles: Mapping[str, str]
    supports: Mapping[str, str]
    support_tags: Mapping[str, str]  # one or two letters drawn beside a node
    quality_heading: str
    type_heading: str
    support_heading: str
    columns: tuple[str, str, str, str, str]  # name, type, circle, quality, supports
    no_support: str

    def __post_init__(self) -> None:
        wanted: list[tuple[str, Mapping[Any, str], tuple[Any, ...]]] = [
            ("types", self.types, RELATIONSHIP_TYPES), ("qualities", self.qualities,
                                                        tuple(QUALITIES)),
            ("circles", self.circles, CLOSENESS), ("supports", self.supports, SUPPORT_KINDS),
            ("support_tags", self.support_tags, SUPPORT_KINDS)]
        for what, given, keys in wanted:
            missing = [k for k in keys if k not in given]
            if missing:
                raise ValueError(f"the ecomap's words lack {what} {missing}")
