"""Versioned catalog of quality-of-life spheres and themes, read from packaged JSON."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

LOCALES = ("fr-CA", "fr-FR", "en")
DEFAULT_CATALOG_VERSION = "2026.1"
CATALOG_VERSIONS = ("2026.1",)


@dataclass(frozen=True)
class Theme:
    key: str
    sphere: str
    label: Mapping[str, str] = field(hash=False)
    help: Mapping[str, str] = field(hash=False)


@dataclass(frozen=True)
class Sphere:
    key: str
    label: Mapping[str, str] = field(hash=False)
    theme_keys: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    version: str
    spheres: tuple[Sphere, ...]
    # Keyed by theme key, in catalog order (sphere by sphere).
    themes: Mapping[str, Theme] = field(hash=False)

    def has_theme(self, key: str) -> bool:
        return key in self.themes

    def sphere_of(self, theme_key: str) -> str:
        """Key of the sphere holding the theme; KeyError for an unknown theme."""
        return self.themes[theme_key].sphere


class UnknownCatalogVersion(ValueError):
    def __init__(self, version: str) -> None:
        super().__init__(
            f"unknown catalog version {version!r}; known: {', '.join(CATALOG_VERSIONS)}"
        )
        self.version = version


def _file_name(version: str) -> str:
    return f"themes_{version.replace('.', '_')}.json"


def _texts(raw: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({locale: str(raw[locale]) for locale in LOCALES})


def _sphere_and_themes(raw: Mapping[str, Any]) -> tuple[Sphere, list[Theme]]:
    sphere_key = str(raw["key"])
    themes = [
        Theme(str(t["key"]), sphere_key, _texts(t["label"]), _texts(t["help"]))
        for t in raw["themes"]
    ]
    sphere = Sphere(sphere_key, _texts(raw["label"]), tuple(t.key for t in themes))
    return sphere, themes


@cache
def load_catalog(version: str = DEFAULT_CATALOG_VERSION) -> Catalog:
    """The catalog of a version; UnknownCatalogVersion if none is shipped."""
    if version not in CATALOG_VERSIONS:
        raise UnknownCatalogVersion(version)
    text = resources.files(__name__).joinpath(_file_name(version)).read_text("utf-8")
    raw: Mapping[str, Any] = json.loads(text)
    spheres: list[Sphere] = []
    themes: dict[str, Theme] = {}
    for raw_sphere in raw["spheres"]:
        sphere, sphere_themes = _sphere_and_themes(raw_sphere)
        spheres.append(sphere)
        themes.update((theme.key, theme) for theme in sphere_themes)
    return Catalog(str(raw["version"]), tuple(spheres), MappingProxyType(themes))
