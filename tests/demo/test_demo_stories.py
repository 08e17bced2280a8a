"""A demo story the platform's rules would refuse is refused before anything is saved."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest

from domain.errors import NotFound
from infra.demo import seed_demo
from infra.demo.record import StoryError
from infra.demo.story import (
    PRACTITIONER,
    Grant,
    Member,
    OrgStory,
    PersonStory,
    Reading,
    StrengthNote,
)

SPHERES = {s: (50, 60) for s in ("needs", "health", "self_esteem", "social_life", "life_project")}


def org_with(person: PersonStory) -> OrgStory:
    return OrgStory(f"demo-{secrets.token_hex(4)}", "Démo refusée", "qc", "America/Toronto",
                    (("intervenant", "Julie Tremblay"),), (person,))


def person(**changes: object) -> PersonStory:
    story = PersonStory("alice", "Alice Roy", 10, (Grant("intervenant", ("plan",), "co_edit"),
                        Grant("intervenant", ("social_network",), "read")), SPHERES,
                        (Reading(20, ("housing", "food", "income")),))
    return replace(story, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("story", [
    person(network=(Member("soeur", 20, "Lise", "family", 4, "middle", "weekly",
                           by=PRACTITIONER),)),
    person(readings=(Reading(20, ("housing",), perception=("housing", "Mon regard")),)),
], ids=["network-on-a-read-grant", "perception-without-quality-of-life-grant"])
def test_a_practitioner_writing_without_co_edit_is_refused_and_nothing_is_saved(
        servers, write_side, story) -> None:  # type: ignore[no-untyped-def]
    org = org_with(story)
    with pytest.raises(StoryError, match="without a co-edit grant"):
        seed_demo(servers, organizations=(org,))
    with pytest.raises(NotFound):
        write_side.accounts.organization(write_side.accounts.tenant_of(org.slug))


def test_a_strength_naming_a_relationship_added_later_is_refused(servers) -> None:  # type: ignore[no-untyped-def]
    story = person(network=(Member("lise", 100, "Lise", "family", 4, "middle", "weekly"),),
                   strengths=(StrengthNote("lise", 50, "people", "Ma sœur Lise", member="lise"),))
    with pytest.raises(StoryError, match="before that relationship is added"):
        seed_demo(servers, organizations=(org_with(story),))
