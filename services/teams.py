"""Use cases of teams: the org admin forms teams of practitioners and names their manager."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.access.policy import check_role
from domain.accounts.team import Team
from domain.errors import InvalidValue
from services.accounts import Accounts
from services.actor import Actor
from services.base import BarometreApplication, Clock, CommandResult, FactoryBuilder, utc_now
from services.tenancy import tenant_scope


class Teams(BarometreApplication):
    name = "Teams"

    def __init__(self, build_factory: FactoryBuilder, accounts: Accounts,
                 clock: Clock = utc_now) -> None:
        self.accounts = accounts
        super().__init__(build_factory, clock)

    def _check_account(self, actor: Actor, account_id: UUID, role: str) -> None:
        account = self.accounts.account(actor.tenant_id, account_id)
        if account.role != role:
            raise InvalidValue(f"this account is not a {role.replace('_', ' ')}")

    def create_team(self, actor: Actor, name: str) -> CommandResult:
        check_role(actor, "org_admin")
        with tenant_scope(actor.tenant_id):
            return self.commit(Team.create(uuid4(), actor.tenant_id, name, actor.user_id))

    def _change_team(self, actor: Actor, team_id: UUID, expected_version: int | None) -> Team:
        check_role(actor, "org_admin")
        team = self.load(team_id, Team, "team")
        self.check_version(team, expected_version)
        return team

    def add_practitioner(self, actor: Actor, team_id: UUID, practitioner_id: UUID,
                         expected_version: int | None = None) -> CommandResult:
        self._check_account(actor, practitioner_id, "practitioner")
        with tenant_scope(actor.tenant_id):
            team = self._change_team(actor, team_id, expected_version)
            team.add(practitioner_id, actor.user_id)
            return self.commit(team)

    def remove_practitioner(self, actor: Actor, team_id: UUID, practitioner_id: UUID,
                            expected_version: int | None = None) -> CommandResult:
        with tenant_scope(actor.tenant_id):
            team = self._change_team(actor, team_id, expected_version)
            team.remove(practitioner_id, actor.user_id)
            return self.commit(team)

    def assign_manager(self, actor: Actor, team_id: UUID, manager_id: UUID,
                       expected_version: int | None = None) -> CommandResult:
        self._check_account(actor, manager_id, "team_manager")
        with tenant_scope(actor.tenant_id):
            team = self._change_team(actor, team_id, expected_version)
            team.assign_manager(manager_id, actor.user_id)
            return self.commit(team)
