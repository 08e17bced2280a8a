"""The demo's strengths: noted in the person's words, linked, reworded, sometimes retired."""

from __future__ import annotations

from domain.consent.vocabulary import TABS
from infra.demo.record import DemoRecord, StoryError
from infra.demo.story import StrengthNote

TAB = TABS[2]  # strengths


def add_strengths(record: DemoRecord) -> None:
    members = {m.key: m for m in record.story.network}
    for note in record.story.strengths:
        record.check_may_write(TAB, note.by)
        if note.member is not None and (note.member not in members
                                        or members[note.member].day > note.day):
            raise StoryError(f"{record.story.login}: the strength {note.key!r} names"
                             f" {note.member!r} before that relationship is added")
        _add_strength(record, note)


def _add_strength(record: DemoRecord, note: StrengthNote) -> None:
    strengths, calendar, key = record.side.strengths, record.calendar, f"strength:{note.key}"

    def add() -> None:
        member_id = record.id_of(f"member:{note.member}") if note.member else None
        noted = strengths.note(record.author(TAB, note.by), record.person_id, note.kind,
                               note.text, note.sphere, note.theme, member_id)
        record.ids[key] = noted.id
    record.schedule.add(calendar.at(note.day, 11), add)
    for day, text in note.rewordings:  # the person's own words, so the person rewords
        record.schedule.add(calendar.at(day, 11, 5), lambda text=text: strengths.reword(
            record.me(), record.person_id, record.id_of(key), text))
    if note.retired is not None:
        record.schedule.add(calendar.at(note.retired, 11, 10), lambda: strengths.retire(
            record.me(), record.person_id, record.id_of(key)))
