"""Use cases of the quality-of-life tab: open, rate, comment, star, perceive, complete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID, uuid4

from domain.access.policy import check_may_reach_person, check_role
from domain.catalog import load_catalog
from domain.errors import NotFound
from domain.quality_of_life.assessment import Assessment
from services.accounts import Accounts
from services.actor import Actor
from services.base import (
    BarometreApplication,
    Clock,
    CommandResult,
    Decision,
    FactoryBuilder,
    utc_now,
)
from services.tenancy import tenant_scope

Rating = tuple[str, object]


class QualityOfLife(BarometreApplication):
    name = "QualityOfLife"
    snapshot_every = {Assessment: 100}  # noqa: RUF012  (declared in BarometreApplication)

    def __init__(self, build_factory: FactoryBuilder, accounts: Accounts,
                 clock: Clock = utc_now) -> None:
        self.accounts = accounts
        super().__init__(build_factory, clock)

    def open_assessment(self, actor: Actor, person_id: UUID) -> CommandResult:
        check_may_reach_person(actor, person_id)
        self.accounts.check_person(actor.tenant_id, person_id)
        version = self.accounts.organization(actor.tenant_id).catalog_version
        with tenant_scope(actor.tenant_id):
            assessment = Assessment.open(uuid4(), actor.tenant_id, person_id, version, actor.user_id)
            return self.commit(assessment)

    def _change(self, actor: Actor, assessment_id: UUID, expected_version: int | None,
                person_id: UUID | None, change: Callable[[Assessment], None]) -> CommandResult:
        def apply(assessment: Assessment) -> None:
            if person_id is not None and assessment.person_id != person_id:
                raise NotFound("assessment not found")
            check_may_reach_person(actor, assessment.person_id)
            self.check_version(assessment, expected_version)
            change(assessment)
        with tenant_scope(actor.tenant_id):
            return self.change(assessment_id, Assessment, "assessment", Decision(apply))

    def person_of(self, actor: Actor, assessment_id: UUID) -> UUID:
        with tenant_scope(actor.tenant_id):
            return self.load(assessment_id, Assessment, "assessment").person_id

    def rate(self, actor: Actor, assessment_id: UUID, ratings: Sequence[Rating],
             expected_version: int | None = None, *,
             person_id: UUID | None = None) -> CommandResult:
        """The person's own ratings (a practitioner may type them with the person)."""
        def apply(a: Assessment) -> None:
            catalog = load_catalog(a.catalog_version)
            for theme, value in ratings:
                a.rate(catalog, theme, value, actor.user_id)
        return self._change(actor, assessment_id, expected_version, person_id, apply)

    def record_perceptions(self, actor: Actor, assessment_id: UUID, ratings: Sequence[Rating],
                           comment: str | None = None,
                           expected_version: int | None = None, *,
             person_id: UUID | None = None) -> CommandResult:
        """The practitioner's own perception, a separate perspective from the person's."""
        check_role(actor, "practitioner")

        def apply(a: Assessment) -> None:
            catalog = load_catalog(a.catalog_version)
            for theme, value in ratings:
                a.record_perception(catalog, theme, value, actor.user_id, comment)
        return self._change(actor, assessment_id, expected_version, person_id, apply)

    def comment(self, actor: Actor, assessment_id: UUID, theme: str, text: str,
                expected_version: int | None = None, *,
             person_id: UUID | None = None) -> CommandResult:
        return self._change(actor, assessment_id, expected_version, person_id, lambda a: a.comment(
            load_catalog(a.catalog_version), theme, text, actor.user_id))

    def star(self, actor: Actor, assessment_id: UUID, theme: str,
             expected_version: int | None = None, *,
             person_id: UUID | None = None) -> CommandResult:
        return self._change(actor, assessment_id, expected_version, person_id, lambda a: a.star(
            load_catalog(a.catalog_version), theme, actor.user_id))

    def unstar(self, actor: Actor, assessment_id: UUID, theme: str,
               expected_version: int | None = None, *,
             person_id: UUID | None = None) -> CommandResult:
        return self._change(actor, assessment_id, expected_version, person_id, lambda a: a.unstar(
            load_catalog(a.catalog_version), theme, actor.user_id))

    def complete(self, actor: Actor, assessment_id: UUID,
                 expected_version: int | None = None, *,
             person_id: UUID | None = None) -> CommandResult:
        return self._change(actor, assessment_id, expected_version, person_id,
                            lambda a: a.complete(actor.user_id))
