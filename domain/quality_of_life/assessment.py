"""An assessment: the person's ratings, comments and stars, and practitioners' perceptions."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.catalog import Catalog
from domain.errors import InvalidState, InvalidValue
from domain.text import check_text

MAX_STARS = 3


class Assessment(Aggregate):
    """One sitting of the self-assessment; each rating, comment, star and perception is an event.

    Every event names the person, so read models and the timeline need no lookups."""

    id: UUID  # given by the service (an annotation the library reads to accept `id=`)

    class Opened(Aggregate.Created):
        tenant_id: UUID
        person_id: UUID
        catalog_version: str
        opened_by: UUID

    class ThemeRated(Aggregate.Event):
        person_id: UUID
        theme: str
        value: int
        author_id: UUID

    class ThemeCommented(Aggregate.Event):
        person_id: UUID
        theme: str
        text: str
        author_id: UUID

    class ThemeStarred(Aggregate.Event):
        person_id: UUID
        theme: str
        author_id: UUID

    class ThemeUnstarred(Aggregate.Event):
        person_id: UUID
        theme: str
        author_id: UUID

    class PerceptionRecorded(Aggregate.Event):
        person_id: UUID
        theme: str
        value: int
        practitioner_id: UUID
        comment: str | None

    class Completed(Aggregate.Event):
        person_id: UUID
        author_id: UUID

    @classmethod
    def open(cls, assessment_id: UUID, tenant_id: UUID, person_id: UUID,
             catalog_version: str, opened_by: UUID) -> Assessment:
        return cls(  # type: ignore[call-arg]  # `id` is read by the library, not __init__
            id=assessment_id, tenant_id=tenant_id, person_id=person_id,
            catalog_version=catalog_version, opened_by=opened_by)

    @event(Opened)
    def __init__(self, tenant_id: UUID, person_id: UUID, catalog_version: str,
                 opened_by: UUID) -> None:
        self.tenant_id = tenant_id
        self.person_id = person_id
        self.catalog_version = catalog_version
        self.opened_by = opened_by
        self.ratings: dict[str, int] = {}
        self.perceptions: dict[str, dict[str, int]] = {}
        self.stars: list[str] = []
        self.completed = False

    # Rules -----------------------------------------------------------------
    def check_open(self) -> None:
        if self.completed:
            raise InvalidState("this assessment is completed; open a new one to rate again")

    def check_theme(self, catalog: Catalog, theme: str) -> None:
        if catalog.version != self.catalog_version:
            raise InvalidState("catalog version does not match this assessment")
        if not catalog.has_theme(theme):
            raise InvalidValue(f"unknown theme {theme!r} in catalog {catalog.version}")

    @staticmethod
    def check_rating(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise InvalidValue(f"a rating is an integer from 0 to 100 (got {value!r})")
        return value

    def check_can_star(self, theme: str) -> None:
        if theme not in self.stars and len(self.stars) >= MAX_STARS:
            raise InvalidState(f"at most {MAX_STARS} priority stars; remove one first")

    # Commands --------------------------------------------------------------
    def rate(self, catalog: Catalog, theme: str, value: object, author_id: UUID) -> None:
        self.check_open()
        self.check_theme(catalog, theme)
        self._rate(self.person_id, theme, self.check_rating(value), author_id)

    @event(ThemeRated)
    def _rate(self, person_id: UUID, theme: str, value: int, author_id: UUID) -> None:
        self.ratings[theme] = value

    def comment(self, catalog: Catalog, theme: str, text: str, author_id: UUID) -> None:
        self.check_open()
        self.check_theme(catalog, theme)
        self._comment(self.person_id, theme, check_text(text, "comment"), author_id)

    @event(ThemeCommented)
    def _comment(self, person_id: UUID, theme: str, text: str, author_id: UUID) -> None:
        pass

    def star(self, catalog: Catalog, theme: str, author_id: UUID) -> None:
        self.check_open()
        self.check_theme(catalog, theme)
        self.check_can_star(theme)
        if theme not in self.stars:
            self._star(self.person_id, theme, author_id)

    @event(ThemeStarred)
    def _star(self, person_id: UUID, theme: str, author_id: UUID) -> None:
        self.stars.append(theme)

    def unstar(self, catalog: Catalog, theme: str, author_id: UUID) -> None:
        self.check_open()
        self.check_theme(catalog, theme)
        if theme in self.stars:
            self._unstar(self.person_id, theme, author_id)

    @event(ThemeUnstarred)
    def _unstar(self, person_id: UUID, theme: str, author_id: UUID) -> None:
        self.stars.remove(theme)

    def record_perception(self, catalog: Catalog, theme: str, value: object,
                          practitioner_id: UUID, comment: str | None = None) -> None:
        """The practitioner's own view, beside the person's rating, never over it."""
        self.check_open()
        self.check_theme(catalog, theme)
        text = check_text(comment, "comment") if comment is not None else None
        self._record_perception(self.person_id, theme, self.check_rating(value), practitioner_id, text)

    @event(PerceptionRecorded)
    def _record_perception(self, person_id: UUID, theme: str, value: int, practitioner_id: UUID,
                           comment: str | None) -> None:
        self.perceptions.setdefault(str(practitioner_id), {})[theme] = value

    def complete(self, author_id: UUID) -> None:
        self.check_open()
        self._complete(self.person_id, author_id)

    @event(Completed)
    def _complete(self, person_id: UUID, author_id: UUID) -> None:
        self.completed = True
