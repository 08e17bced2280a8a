"""What changed in the network between two dates: four short lists (added, ended, better,
worse), from the two maps as they stood (the network queries' `map_as_of`, ended left out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.network.vocabulary import QUALITIES
from infra.web.pictures.ecomap_words import MapRelationship


@dataclass(frozen=True)
class QualityChange:
    before: MapRelationship
    after: MapRelationship

    @property
    def steps(self) -> int:
        """How many steps up (positive) or down the domain's quality order it moved."""
        order = list(QUALITIES)
        return order.index(self.after.quality) - order.index(self.before.quality)


@dataclass(frozen=True)
class NetworkChanges:
    added: tuple[MapRelationship, ...]
    ended: tuple[MapRelationship, ...]
    improved: tuple[QualityChange, ...]
    worsened: tuple[QualityChange, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.ended or self.improved or self.worsened)


def _by_name(entry: MapRelationship) -> tuple[str, str]:
    return entry.name.casefold(), entry.relationship_id


def changes_between(before: Sequence[MapRelationship],
                    after: Sequence[MapRelationship]) -> NetworkChanges:
    """Compares the map at the first date with the map at the second. A relationship on the
    second map only was added; on the first only, ended (an ended relationship never comes
    back); on both, improved or worsened when its quality moved. Other changes (a new name,
    another circle) are not listed; one added and ended in between is on neither map."""
    earlier = {r.relationship_id: r for r in before}
    later = {r.relationship_id: r for r in after}
    if len(earlier) != len(before) or len(later) != len(after):
        raise ValueError("a map lists each relationship once")
    moved = [QualityChange(earlier[key], later[key]) for key in earlier.keys() & later.keys()
             if earlier[key].quality != later[key].quality]
    return NetworkChanges(
        added=tuple(sorted((r for k, r in later.items() if k not in earlier), key=_by_name)),
        ended=tuple(sorted((r for k, r in earlier.items() if k not in later), key=_by_name)),
        improved=tuple(sorted((c for c in moved if c.steps > 0), key=lambda c: _by_name(c.after))),
        worsened=tuple(sorted((c for c in moved if c.steps < 0),
                              key=lambda c: _by_name(c.after))))
