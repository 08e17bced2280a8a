"""A strength: one resource of the person or of their environment, in the person's words."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.catalog import Catalog
from domain.errors import InvalidState, InvalidValue
from domain.text import check_text

PERSONAL_KINDS = ("quality", "skill", "interest", "achievement", "value")
ENVIRONMENT_KINDS = ("people", "place", "service", "resource")
KINDS = PERSONAL_KINDS + ENVIRONMENT_KINDS


def side_of(kind: str) -> str:
    """`personal` for the person's own strengths, `environment` for those around them."""
    return "personal" if kind in PERSONAL_KINDS else "environment"


class Strength(Aggregate):
    """Noted, reworded (every wording is an event, so every version is kept), linked, retired."""

    id: UUID  # given by the service

    class StrengthNoted(Aggregate.Created):
        tenant_id: UUID
        person_id: UUID
        kind: str
        text: str
        sphere: str | None
        theme: str | None
        member_id: UUID | None
        author_id: UUID

    class StrengthReworded(Aggregate.Event):
        person_id: UUID
        text: str
        author_id: UUID

    class StrengthLinked(Aggregate.Event):
        person_id: UUID
        sphere: str | None
        theme: str | None
        member_id: UUID | None
        author_id: UUID

    class StrengthRetired(Aggregate.Event):
        person_id: UUID
        author_id: UUID

    @classmethod
    def note(cls, strength_id: UUID, tenant_id: UUID, person_id: UUID, kind: str, text: str,
             area: tuple[str | None, str | None], member_id: UUID | None,
             author_id: UUID) -> Strength:
        """`area` is (sphere, theme) as returned by `check_area`."""
        return cls(  # type: ignore[call-arg]  # `id` is read by the library, not __init__
            id=strength_id, tenant_id=tenant_id, person_id=person_id, kind=cls.check_kind(kind),
            text=check_text(text, "a strength"), sphere=area[0], theme=area[1],
            member_id=member_id, author_id=author_id)

    @event(StrengthNoted)
    def __init__(self, tenant_id: UUID, person_id: UUID, kind: str, text: str,
                 sphere: str | None, theme: str | None, member_id: UUID | None,
                 author_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.person_id = person_id
        self.kind = kind
        self.text = text
        self.sphere = sphere
        self.theme = theme
        self.member_id = member_id
        self.retired = False

    # Rules -----------------------------------------------------------------
    @staticmethod
    def check_kind(kind: str) -> str:
        if kind not in KINDS:
            raise InvalidValue(f"unknown kind of strength {kind!r}; one of {', '.join(KINDS)}")
        return kind

    @staticmethod
    def check_area(catalog: Catalog, sphere: str | None,
                   theme: str | None) -> tuple[str | None, str | None]:
        """A sphere, a theme (whose sphere is implied), or neither; both must agree."""
        if theme is not None:
            if not catalog.has_theme(theme):
                raise InvalidValue(f"unknown theme {theme!r} in catalog {catalog.version}")
            if sphere is not None and sphere != catalog.sphere_of(theme):
                raise InvalidValue(f"the theme {theme!r} is not in the sphere {sphere!r}")
            return catalog.sphere_of(theme), theme
        if sphere is not None and all(s.key != sphere for s in catalog.spheres):
            raise InvalidValue(f"unknown sphere {sphere!r} in catalog {catalog.version}")
        return sphere, None

    def check_not_retired(self) -> None:
        if self.retired:
            raise InvalidState("this strength is retired; note a new one instead")

    # Commands --------------------------------------------------------------
    def reword(self, text: str, author_id: UUID) -> None:
        self.check_not_retired()
        wording = check_text(text, "a strength")
        if wording != self.text:
            self._reword(self.person_id, wording, author_id)

    @event(StrengthReworded)
    def _reword(self, person_id: UUID, text: str, author_id: UUID) -> None:
        self.text = text

    def link(self, area: tuple[str | None, str | None], member_id: UUID | None,
             author_id: UUID) -> None:
        """Replaces every link at once; `None` removes one. `area` comes from `check_area`."""
        self.check_not_retired()
        if (self.sphere, self.theme, self.member_id) != (*area, member_id):
            self._link(self.person_id, area[0], area[1], member_id, author_id)

    @event(StrengthLinked)
    def _link(self, person_id: UUID, sphere: str | None, theme: str | None,
              member_id: UUID | None, author_id: UUID) -> None:
        self.sphere, self.theme, self.member_id = sphere, theme, member_id

    def retire(self, author_id: UUID) -> None:
        self.check_not_retired()
        self._retire(self.person_id, author_id)

    @event(StrengthRetired)
    def _retire(self, person_id: UUID, author_id: UUID) -> None:
        self.retired = True
