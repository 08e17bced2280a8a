"""The demo's quality-of-life readings: every theme rated sphere by sphere, comments, three
stars, the practitioner's perception beside the person's, then completed."""

from __future__ import annotations

import random
from uuid import UUID

from domain.catalog import Catalog, load_catalog
from domain.consent.vocabulary import TABS
from infra.demo.record import DemoRecord
from infra.demo.story import PERSON, PRACTITIONER, PersonStory, Reading

TAB = TABS[0]  # quality_of_life
PERCEIVED_EXTRA = 5  # themes the practitioner rates beyond the stars and the story's themes


def _round(value: float) -> int:
    """A rating as a person gives one on a slider: a multiple of 5, from 0 to 100."""
    return max(0, min(100, 5 * round(value / 5)))


def ratings(story: PersonStory, catalog: Catalog) -> list[dict[str, int]]:
    """Each reading's 55 values: the sphere's trend, a steady lean of each theme and a little
    noise (seeded by the login, so every run gives the same year), unless the story says."""
    rng = random.Random(f"ratings:{story.login}")
    lean = {theme: rng.randint(-15, 15) for theme in catalog.themes}
    count = len(story.readings)
    values: list[dict[str, int]] = []
    for index in range(count):
        share = index / (count - 1) if count > 1 else 0.0
        reading: dict[str, int] = {}
        for sphere in catalog.spheres:
            first, last = story.spheres[sphere.key]
            for theme in sphere.theme_keys:
                told = story.themes.get(theme)
                reading[theme] = told[index] if told else _round(
                    first + (last - first) * share + lean[theme] + rng.randint(-5, 5))
        values.append(reading)
    return values


def perceptions(story: PersonStory, reading: Reading, index: int,
                values: dict[str, int]) -> list[tuple[str, int]]:
    """The practitioner's view of the starred themes, the story's themes and a few others."""
    rng = random.Random(f"perceptions:{story.login}:{index}")
    count = len(story.readings)
    share = index / (count - 1) if count > 1 else 0.0
    gap = story.perception_gap[0] + (story.perception_gap[1] - story.perception_gap[0]) * share
    commented = [reading.perception[0]] if reading.perception else []
    chosen = list(dict.fromkeys([*commented, *reading.stars, *story.themes]))
    chosen += rng.sample([t for t in values if t not in chosen], PERCEIVED_EXTRA)
    return [(theme, _round(values[theme] + gap + rng.randint(-10, 10))) for theme in chosen]


def add_readings(record: DemoRecord) -> None:
    story = record.story
    catalog = load_catalog()
    values = ratings(story, catalog)
    for index, reading in enumerate(story.readings):
        if reading.with_practitioner or reading.perception is not None:
            record.check_may_write(TAB, PRACTITIONER)
        _add_reading(record, catalog, reading, index, values[index])


def _add_reading(record: DemoRecord, catalog: Catalog, reading: Reading, index: int,
                 values: dict[str, int]) -> None:
    qol = record.side.quality_of_life
    opened: dict[str, UUID] = {}
    by = PRACTITIONER if reading.with_practitioner else PERSON
    hour = 10 if reading.with_practitioner else 19  # a meeting, or the person alone at home
    session = record.schedule.session(record.calendar.at(reading.day, hour), minutes=4)
    session.then(lambda: opened.setdefault(
        "id", qol.open_assessment(record.author(TAB, by), record.person_id).id))
    for sphere in catalog.spheres:
        chunk = [(theme, values[theme]) for theme in sphere.theme_keys]
        session.then(lambda chunk=chunk: qol.rate(record.me(), opened["id"], chunk))
    for theme, text in reading.comments.items():
        session.then(lambda theme=theme, text=text: qol.comment(
            record.me(), opened["id"], theme, text))
    for theme in reading.stars:
        session.then(lambda theme=theme: qol.star(record.me(), opened["id"], theme))
    if reading.perception is not None:
        about, said = reading.perception  # the comment goes with its own theme only
        seen = perceptions(record.story, reading, index, values)
        others, own = [s for s in seen if s[0] != about], [s for s in seen if s[0] == about]
        session.then(lambda: qol.record_perceptions(
            record.author(TAB, PRACTITIONER), opened["id"], others))
        session.then(lambda: qol.record_perceptions(
            record.author(TAB, PRACTITIONER), opened["id"], own, said))
    if reading.completed:
        session.then(lambda: qol.complete(record.author(TAB, by), opened["id"]))
