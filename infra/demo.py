"""Demo data: one organization per region, with an admin, a practitioner and a person."""

from __future__ import annotations

from dataclasses import dataclass

from domain.consent.vocabulary import TABS
from domain.errors import AlreadyExists
from infra.platform import WriteSide
from services.actor import Actor

DEMO_PASSWORD = "demo-barometre-2026"


@dataclass(frozen=True)
class DemoLogin:
    organization: str
    login: str
    role: str


_ORGS = (("demo-qc", "Centre de démonstration (Québec)", "qc"),
         ("demo-fr", "Association de démonstration (France)", "fr"))
_PEOPLE = (("intervenant", "Alex Intervenant", "practitioner"), ("marie", "Marie Tremblay", "person"))
_RATINGS = [("housing", 60), ("food", 75), ("income", 30), ("family", 80), ("hope", 55),
            ("physical_health", 50), ("work", 20), ("friendships", 65)]


def seed_demo(side: WriteSide) -> list[DemoLogin]:
    """Idempotent: an organization that already exists is left as it is."""
    logins: list[DemoLogin] = []
    for slug, name, region in _ORGS:
        logins += [DemoLogin(slug, "admin", "org_admin")]
        logins += [DemoLogin(slug, login, role) for login, _, role in _PEOPLE]
        try:
            side.accounts.register_organization(slug, name, region, "admin", "Admin Démo", DEMO_PASSWORD)
        except AlreadyExists:
            continue
        admin = side.accounts.authenticate(slug, "admin", DEMO_PASSWORD)
        actors = {role: _open(side, admin, login, display, role) for login, display, role in _PEOPLE}
        person, practitioner = actors["person"], actors["practitioner"]
        side.consent.grant(person, person.user_id, "practitioner", practitioner.user_id,
                           list(TABS), "co_edit")  # Marie lets Alex co-edit her record
        _first_assessment(side, actors["practitioner"], actors["person"])
    return logins


def _open(side: WriteSide, admin: Actor, login: str, display: str, role: str) -> Actor:
    result = side.accounts.open_account(admin, login, display, role, DEMO_PASSWORD)
    return side.accounts.actor(admin.tenant_id, result.id)


def _first_assessment(side: WriteSide, practitioner: Actor, person: Actor) -> None:
    qol = side.quality_of_life
    opened = qol.open_assessment(practitioner, person.user_id)
    qol.rate(person, opened.id, _RATINGS)
    qol.comment(person, opened.id, "family", "Ma sœur m'appelle chaque semaine.")
    for theme in ("income", "work", "hope"):
        qol.star(person, opened.id, theme)
    qol.record_perceptions(practitioner, opened.id, [("income", 25), ("hope", 40)])
    qol.complete(person, opened.id)
