"""An organization: one tenant, in one region whose data never leaves it."""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalog import CATALOG_VERSIONS
from domain.errors import InvalidValue
from domain.text import check_text

REGION_LOCALES = {"qc": "fr-CA", "fr": "fr-FR"}
LOCALES = ("fr-CA", "fr-FR", "en")
NAME_MAX = 120
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
ORGANIZATION_NAMESPACE = uuid5(NAMESPACE_URL, "https://barometre.example/organizations")


def check_slug(slug: str) -> None:
    if not _SLUG.match(slug):
        raise InvalidValue("organization code: 1-40 lowercase letters, digits or dashes")


def check_region(region: str) -> None:
    if region not in REGION_LOCALES:
        raise InvalidValue(f"region must be one of {', '.join(REGION_LOCALES)} (got {region!r})")


def check_locale(locale: str) -> None:
    if locale not in LOCALES:
        raise InvalidValue(f"locale must be one of {', '.join(LOCALES)} (got {locale!r})")


def check_catalog_version(version: str) -> None:
    if version not in CATALOG_VERSIONS:
        raise InvalidValue(f"catalog version must be one of {', '.join(CATALOG_VERSIONS)}")


class Organization(Aggregate):
    """The tenant itself; its id is derived from its code, so codes are unique."""

    class Registered(Aggregate.Created):
        slug: str
        name: str
        region: str
        default_locale: str
        catalog_version: str

    class CatalogPinned(Aggregate.Event):
        version: str

    @staticmethod
    def create_id(slug: str, **_: object) -> UUID:
        return uuid5(ORGANIZATION_NAMESPACE, slug)

    @classmethod
    def register(cls, slug: str, name: str, region: str, catalog_version: str) -> Organization:
        check_slug(slug)
        check_region(region)
        check_catalog_version(catalog_version)
        return cls(slug=slug, name=check_text(name, "organization name", NAME_MAX), region=region,
                   default_locale=REGION_LOCALES[region], catalog_version=catalog_version)

    @event(Registered)
    def __init__(self, slug: str, name: str, region: str, default_locale: str,
                 catalog_version: str) -> None:
        self.slug = slug
        self.name = name
        self.region = region
        self.default_locale = default_locale
        self.catalog_version = catalog_version

    def pin_catalog(self, version: str) -> None:
        check_catalog_version(version)
        self._pin_catalog(version)

    @event(CatalogPinned)
    def _pin_catalog(self, version: str) -> None:
        self.catalog_version = version
