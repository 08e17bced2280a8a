"""The quality-of-life theme catalog: shape, keys, texts in every locale, versions."""

import re

import pytest

from domain.catalog import (
    CATALOG_VERSIONS,
    DEFAULT_CATALOG_VERSION,
    LOCALES,
    Catalog,
    UnknownCatalogVersion,
    load_catalog,
)

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@pytest.fixture(params=CATALOG_VERSIONS)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return load_catalog(request.param)


def all_texts(catalog: Catalog) -> list[tuple[str, str, dict[str, str]]]:
    """(owner key, kind, texts by locale) for every sphere label, theme label and help."""
    texts = [(s.key, "label", dict(s.label)) for s in catalog.spheres]
    for theme in catalog.themes.values():
        texts.append((theme.key, "label", dict(theme.label)))
        texts.append((theme.key, "help", dict(theme.help)))
    return texts


def test_the_default_catalog_has_55_themes_in_5_spheres_of_11() -> None:
    catalog = load_catalog()
    assert catalog.version == DEFAULT_CATALOG_VERSION
    assert [s.key for s in catalog.spheres] == [
        "needs",
        "health",
        "self_esteem",
        "social_life",
        "life_project",
    ]
    assert [len(s.theme_keys) for s in catalog.spheres] == [11] * 5
    assert len(catalog.themes) == 55


def test_each_version_loads_with_its_own_version_number(catalog: Catalog) -> None:
    assert catalog.version in CATALOG_VERSIONS
    assert load_catalog(catalog.version) is catalog


def test_every_theme_key_is_unique_snake_case(catalog: Catalog) -> None:
    keys = [key for sphere in catalog.spheres for key in sphere.theme_keys]
    assert len(keys) == len(set(keys))
    assert all(SNAKE_CASE.fullmatch(key) and key.isascii() for key in keys)
    assert list(catalog.themes) == keys


def test_every_label_and_help_text_exists_in_fr_ca_fr_fr_and_en(catalog: Catalog) -> None:
    for owner, kind, texts in all_texts(catalog):
        assert tuple(texts) == LOCALES, owner
        for locale, text in texts.items():
            assert text.strip() == text and text, (owner, locale)
            assert "\n" not in text, (owner, locale)
            assert len(text) <= (140 if kind == "help" else 40), (owner, locale)


def test_every_help_text_asks_the_person_a_question(catalog: Catalog) -> None:
    for theme in catalog.themes.values():
        assert all(text.endswith("?") for text in theme.help.values()), theme.key


def test_french_help_follows_each_locale_typography(catalog: Catalog) -> None:
    for theme in catalog.themes.values():
        canadian, french = theme.help["fr-CA"], theme.help["fr-FR"]
        assert not re.search(r"\s[?!:;]", canadian), theme.key
        assert not re.search(r"[^\s][?!:;]", french), theme.key


def test_fr_ca_and_fr_fr_differ_somewhere(catalog: Catalog) -> None:
    def words(text: str) -> str:
        return re.sub(r"\s+([?!:;])", r"\1", text)

    labels_differ = [t.key for t in catalog.themes.values() if t.label["fr-CA"] != t.label["fr-FR"]]
    helps_differ = [
        t.key for t in catalog.themes.values() if words(t.help["fr-CA"]) != words(t.help["fr-FR"])
    ]
    assert labels_differ
    assert helps_differ
    canadian = " ".join(t.help["fr-CA"] for t in catalog.themes.values())
    french = " ".join(t.help["fr-FR"] for t in catalog.themes.values())
    assert "épicerie" in canadian and "courses" in french
    assert "fin de semaine" in canadian and "week-end" in french


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(UnknownCatalogVersion) as refused:
        load_catalog("1999.1")
    assert refused.value.version == "1999.1"
    assert isinstance(refused.value, ValueError)


def test_sphere_of_a_theme_is_its_sphere(catalog: Catalog) -> None:
    for sphere in catalog.spheres:
        for key in sphere.theme_keys:
            assert catalog.has_theme(key)
            assert catalog.sphere_of(key) == sphere.key == catalog.themes[key].sphere
    assert catalog.sphere_of("housing") == "needs"
    assert catalog.sphere_of("hope") == "self_esteem"


def test_a_theme_outside_the_catalog_is_not_there(catalog: Catalog) -> None:
    assert not catalog.has_theme("astrology")
    with pytest.raises(KeyError):
        catalog.sphere_of("astrology")


def test_the_loaded_catalog_cannot_be_altered(catalog: Catalog) -> None:
    theme = catalog.themes["housing"]
    with pytest.raises(TypeError):
        catalog.themes["housing"] = theme  # type: ignore[index]
    with pytest.raises(TypeError):
        theme.label["en"] = "Home"  # type: ignore[index]
