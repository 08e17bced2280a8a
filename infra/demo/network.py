"""The demo's ecomap: relationships added over the year, revised (quality, closeness, kinds
of support), some ended."""

from __future__ import annotations

from typing import Any

from domain.consent.vocabulary import TABS
from infra.demo.record import DemoRecord
from infra.demo.story import Change, Member
from services.network import KEEP, NewRelationship, Revision

TAB = TABS[1]  # social_network


def add_network(record: DemoRecord) -> None:
    for member in record.story.network:
        record.check_may_write(TAB, member.by)
        for change in member.changes:
            record.check_may_write(TAB, change.by)
        _add_member(record, member)


def _add_member(record: DemoRecord, member: Member) -> None:
    network, calendar, key = record.side.network, record.calendar, f"member:{member.key}"
    new = NewRelationship(member.name, member.kind, member.quality, member.closeness,
                          member.frequency, label=member.label, supports=member.supports,
                          comment=member.comment)

    def add() -> None:
        added = network.add(record.author(TAB, member.by), record.person_id, new)
        record.ids[key] = added.id
    record.schedule.add(calendar.at(member.day, 10, 30), add)
    for change in member.changes:
        revision = _revision(change)
        record.schedule.add(calendar.at(change.day, 10, 40), lambda revision=revision, by=change.by:
                            network.revise(record.author(TAB, by), record.person_id,
                                           record.id_of(key), revision))
    if member.ended is not None:
        record.schedule.add(calendar.at(member.ended, 10, 50), lambda: network.end(
            record.author(TAB, member.by), record.person_id, record.id_of(key)))


def _revision(change: Change) -> Revision:
    fields: dict[str, Any] = {
        "quality": change.quality, "closeness": change.closeness, "frequency": change.frequency,
        "supports": change.supports, "comment": change.comment}
    return Revision(**{name: KEEP if value is None else value for name, value in fields.items()})
