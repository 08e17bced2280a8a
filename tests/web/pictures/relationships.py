"""Relationships for the ecomap tests."""

from __future__ import annotations

from uuid import UUID

from domain.network.vocabulary import CLOSENESS, RELATIONSHIP_TYPES, SUPPORT_KINDS
from infra.web.pictures.ecomap_words import MapRelationship


def rel(n: int, name: str, kind: str = "friend", quality: int = 4, closeness: str = "middle",
        supports: tuple[str, ...] = (), href: str | None = None,
        label: str | None = None) -> MapRelationship:
    return MapRelationship(str(UUID(int=n)), name, kind, quality, closeness, supports, label,
                           href)


FEW = [rel(1, "Maman", "family", 5, "inner", ("emotional", "practical"), "/r/1"),
       rel(2, "Luc", "partner", 4, "inner", ("emotional",)),
       rel(3, "Frère Paul", "family", 1, "middle"),
       rel(4, "Patron", "colleague", 2, "outer", ("practical",)),
       rel(5, "M. Gagnon", "neighbour", 3, "middle"),
       rel(6, "Julie Tremblay", "professional", 5, "middle", ("informational",),
           label="travailleuse sociale")]


def many(count: int, closeness: str | None = None) -> list[MapRelationship]:
    return [rel(100 + n, f"Personne {n}", RELATIONSHIP_TYPES[n % len(RELATIONSHIP_TYPES)],
                1 + n % 5, closeness or CLOSENESS[n % 3], (SUPPORT_KINDS[n % 4],))
            for n in range(count)]
