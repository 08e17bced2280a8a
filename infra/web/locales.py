"""The language of a page: which locale (the browser's choice, the account's, the organization's
default), and its gettext catalog, compiled from the `.po` file in memory on first use.

A message a catalog lacks is shown in English (its msgid) and remembered in
`MISSING_MESSAGES`, which the tests require to stay empty (ADR 39)."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from domain.accounts.organization import LOCALES, REGION_LOCALES

LOCALE_COOKIE = "barometre_locale"  # this browser's explicit choice, from the switcher
DEFAULT_LOCALE = REGION_LOCALES["qc"]
CATALOGS = Path(__file__).parent / "locales"
DOMAIN = "messages"
# Each language named in itself, for the switcher.
AUTONYMS = {"fr-CA": "Français (Canada)", "fr-FR": "Français (France)", "en": "English"}
MISSING_MESSAGES: set[tuple[str, str]] = set()  # (locale, msgid) asked for but not translated


def catalog_path(locale: str) -> Path:
    return CATALOGS / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


class _Missing(gettext.NullTranslations):
    """The last fallback: a message no catalog translates, recorded and shown as its msgid."""

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.locale = locale

    def gettext(self, message: str) -> str:
        MISSING_MESSAGES.add((self.locale, message))
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        MISSING_MESSAGES.add((self.locale, singular))
        return singular if n == 1 else plural


@cache
def translations(locale: str) -> Translations:
    """The locale's catalog (compiled once per process; fuzzy entries are left out)."""
    with catalog_path(locale).open("rb") as po:
        catalog = read_po(po, locale=babel_locale(locale))
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    found = Translations(compiled, domain=DOMAIN)
    found.add_fallback(_Missing(locale))
    return found


@cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale, sep="-")


def _from_accept_language(header: str) -> str | None:
    """The first supported language of an Accept-Language header (weights in their order)."""
    ranked = []
    for part in header.split(","):
        tag, _, weight = part.strip().partition(";q=")
        try:
            ranked.append((-float(weight or 1), tag.strip().lower()))
        except ValueError:
            continue
    for _, tag in sorted(ranked):
        if tag in ("fr-fr", "fr-be", "fr-ch", "fr-lu"):
            return "fr-FR"
        if tag.startswith("fr"):
            return "fr-CA"
        if tag.startswith("en"):
            return "en"
    return None


def choose_locale(chosen: str | None, account_locale: str | None, accept_language: str) -> str:
    """This browser's explicit choice, else the account's locale (set from the organization's
    default when the account was opened), else the browser's languages, else fr-CA."""
    for locale in (chosen, account_locale):
        if locale in LOCALES:
            return locale
    return _from_accept_language(accept_language) or DEFAULT_LOCALE
