"""Use cases of the accomplishment plan: goals, their links, status and progress, and actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID, uuid4

from domain.access.policy import check_may_reach_person
from domain.catalog import Catalog, load_catalog
from domain.errors import NotFound
from domain.plan.goal import Goal
from services.accounts import Accounts
from services.actor import Actor
from services.base import BarometreApplication, Clock, CommandResult, FactoryBuilder, utc_now
from services.strengths import Strengths
from services.tenancy import tenant_scope


class Plan(BarometreApplication):
    """A person and a practitioner co-write the plan; every event names who made the change."""

    name = "Plan"
    snapshot_every = {Goal: 100}  # noqa: RUF012  (declared in BarometreApplication)

    def __init__(self, build_factory: FactoryBuilder, accounts: Accounts, strengths: Strengths,
                 clock: Clock = utc_now) -> None:
        self.accounts = accounts
        self.strengths = strengths
        super().__init__(build_factory, clock)

    # Goals -------------------------------------------------------------------------------
    def set_goal(self, actor: Actor, person_id: UUID, text: str, themes: Sequence[str] = (),
                 strengths: Sequence[UUID] = (), target_date: object = None) -> CommandResult:
        check_may_reach_person(actor, person_id)
        self.accounts.check_person(actor.tenant_id, person_id)
        catalog = self._catalog(actor)
        for strength_id in strengths:
            self.strengths.check_strength_of(actor, person_id, strength_id)
        with tenant_scope(actor.tenant_id):
            goal = Goal.set(uuid4(), actor.tenant_id, person_id, text, catalog, themes,
                            strengths, target_date, actor.user_id)
            return self.commit(goal)

    def reword_goal(self, actor: Actor, person_id: UUID, goal_id: UUID, text: str,
                    expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.reword(text, actor.user_id))

    def set_target_date(self, actor: Actor, person_id: UUID, goal_id: UUID, target_date: object,
                        expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.set_target_date(target_date, actor.user_id))

    def change_status(self, actor: Actor, person_id: UUID, goal_id: UUID, status: str,
                      expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.change_status(status, actor.user_id))

    def rate_progress(self, actor: Actor, person_id: UUID, goal_id: UUID, value: object,
                      expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.rate_progress(value, actor.user_id))

    def link_theme(self, actor: Actor, person_id: UUID, goal_id: UUID, theme: str,
                   expected_version: int | None = None) -> CommandResult:
        catalog = self._catalog(actor)
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.link_theme(catalog, theme, actor.user_id))

    def unlink_theme(self, actor: Actor, person_id: UUID, goal_id: UUID, theme: str,
                     expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.unlink_theme(theme, actor.user_id))

    def link_strength(self, actor: Actor, person_id: UUID, goal_id: UUID, strength_id: UUID,
                      expected_version: int | None = None) -> CommandResult:
        def apply(goal: Goal) -> None:
            if strength_id not in goal.strengths:
                self.strengths.check_strength_of(actor, person_id, strength_id)
            goal.link_strength(strength_id, actor.user_id)
        return self._change(actor, person_id, goal_id, expected_version, apply)

    def unlink_strength(self, actor: Actor, person_id: UUID, goal_id: UUID, strength_id: UUID,
                        expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.unlink_strength(strength_id, actor.user_id))

    # Actions -----------------------------------------------------------------------------
    def add_action(self, actor: Actor, person_id: UUID, goal_id: UUID, text: str, who: str,
                   who_name: str | None = None, due_date: object = None,
                   expected_version: int | None = None) -> CommandResult:
        """Answers with the new action's id, and the goal's version."""
        action_id = uuid4()
        return self._change(actor, person_id, goal_id, expected_version, lambda g: g.add_action(
            action_id, text, who, who_name, due_date, actor.user_id), answer_id=action_id)

    def reword_action(self, actor: Actor, person_id: UUID, goal_id: UUID, action_id: UUID,
                      text: str, expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.reword_action(action_id, text, actor.user_id))

    def assign_action(self, actor: Actor, person_id: UUID, goal_id: UUID, action_id: UUID,
                      who: str, who_name: str | None = None,
                      expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.assign_action(action_id, who, who_name, actor.user_id))

    def set_action_due_date(self, actor: Actor, person_id: UUID, goal_id: UUID,
                            action_id: UUID, due_date: object,
                            expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version, lambda g:
                            g.set_action_due_date(action_id, due_date, actor.user_id))

    def mark_action_done(self, actor: Actor, person_id: UUID, goal_id: UUID, action_id: UUID,
                         expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.mark_action_done(action_id, actor.user_id))

    def reopen_action(self, actor: Actor, person_id: UUID, goal_id: UUID, action_id: UUID,
                      expected_version: int | None = None) -> CommandResult:
        return self._change(actor, person_id, goal_id, expected_version,
                            lambda g: g.reopen_action(action_id, actor.user_id))

    # Shared ------------------------------------------------------------------------------
    def _catalog(self, actor: Actor) -> Catalog:
        return load_catalog(self.accounts.organization(actor.tenant_id).catalog_version)

    def _change(self, actor: Actor, person_id: UUID, goal_id: UUID,
                expected_version: int | None, change: Callable[[Goal], None],
                answer_id: UUID | None = None) -> CommandResult:
        check_may_reach_person(actor, person_id)
        with tenant_scope(actor.tenant_id):
            goal = self.load(goal_id, Goal, "goal")
            if goal.person_id != person_id:
                raise NotFound("goal not found")
            self.check_version(goal, expected_version)
            change(goal)
            return self.commit(goal, answer_id=answer_id)
