"""The pages in fr-CA, fr-FR and en: every catalog complete, no page showing a message its
catalog lacks, the locale chosen as ADR 39 says, and Babel's formats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import httpx
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

from infra.http.app import create_app
from infra.platform import Servers, WriteSide
from infra.web.locales import CATALOGS, MISSING_MESSAGES, catalog_path, choose_locale
from infra.web.templating import TEMPLATES, environment
from tests.conftest import Org
from tests.http.conftest import serving
from tests.web.pages_client import signed_in

LOCALES = ("fr-CA", "fr-FR", "en")


def _template_messages() -> set[str]:
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    return {m[2] if isinstance(m[2], str) else m[2][0]
            for m in extract_from_dir(str(TEMPLATES), method_map, options)}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_of_the_templates_is_translated_in_each_catalog(locale: str) -> None:
    with catalog_path(locale).open("rb") as po:
        catalog = read_po(po, locale=locale.replace("-", "_"))
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple)
                                                  else [m.string])}
    wanted = _template_messages()
    assert len(wanted) > 40  # the extraction found the templates' messages
    assert wanted - translated == set(), f"untranslated in {locale}"
    assert sorted(p.name for p in CATALOGS.iterdir() if p.is_dir()) == ["en", "fr_CA", "fr_FR"]


@pytest.fixture(scope="module")
def app_url(servers: Servers, write_side: WriteSide) -> Iterator[str]:
    """The app in this process, so its record of missing messages can be read."""
    with serving(create_app(servers, write_side=write_side)) as url:
        yield url


@pytest.mark.parametrize("locale", ["fr-CA", "fr-FR"])
def test_pages_rendered_in_french_use_no_message_their_catalog_lacks(
        locale: str, app_url: str, org: Org, catch_up: Callable[[], int]) -> None:
    person, practitioner = org.open("person", "Marie"), org.open("practitioner", "Julie")
    catch_up()
    MISSING_MESSAGES.clear()
    cookies = {"barometre_locale": locale}
    pages = []
    for who in (person, practitioner):
        client, answer = signed_in(app_url, org, who.login)
        client.cookies.update(cookies)
        pages += [client.get(answer.headers["location"], follow_redirects=True),
                  client.get("/app/nowhere")]
    anonymous = httpx.Client(base_url=app_url, cookies=cookies)
    pages.append(anonymous.get("/"))
    _, refused = signed_in(app_url, org, person.login, "wrong-password")
    pages.append(refused)
    assert [p.status_code for p in pages] == [200, 404, 200, 404, 200, 401]
    assert all(f'<html lang="{locale}">' in p.text for p in pages[:-1])
    assert MISSING_MESSAGES == set()
    assert "Se connecter" in pages[4].text and "Sign in" not in pages[4].text


def test_a_missing_message_is_recorded_and_shown_in_english() -> None:
    MISSING_MESSAGES.clear()
    rendered = environment().from_string('{{ _("A message no catalog has") }}').render(
        locale="fr-FR")
    assert rendered == "A message no catalog has"
    assert MISSING_MESSAGES == {("fr-FR", "A message no catalog has")}
    MISSING_MESSAGES.clear()


def test_this_browsers_choice_comes_first_then_the_account_then_the_browsers_languages() -> None:
    assert choose_locale("en", "fr-CA", "fr-FR") == "en"
    assert choose_locale(None, "fr-FR", "en-US,en;q=0.9") == "fr-FR"
    assert choose_locale("xx", "en", "") == "en"  # an unknown choice is ignored
    assert choose_locale(None, None, "en-GB,fr;q=0.5") == "en"
    assert choose_locale(None, None, "de, fr-BE;q=0.8, en;q=0.5") == "fr-FR"
    assert choose_locale(None, None, "fr") == "fr-CA"
    assert choose_locale(None, None, "de;q=nonsense, es") == "fr-CA"


def test_an_account_of_a_french_organization_gets_its_pages_in_fr_fr(
        app_url: str, new_org: Callable[..., Org], catch_up: Callable[[], int]) -> None:
    org = new_org("fr")
    person = org.open("person", "Camille")
    catch_up()
    client, answer = signed_in(app_url, org, person.login)
    record = client.get(answer.headers["location"], follow_redirects=True)
    assert '<html lang="fr-FR">' in record.text
    assert "Personne accompagnée" in record.text  # the fr-FR word, not Québec's « usager »


# CLDR (through Babel): a no-break space before « % » in French, a narrow one between thousands.
@pytest.mark.parametrize(("locale", "written"), [
    ("fr-CA", "70\u00a0%|12\u00a0345,5|20 janvier 2016"),
    ("fr-FR", "70\u00a0%|12\u202f345,5|20 janvier 2016"),
    ("en", "70%|12,345.5|January 20, 2016")])
def test_numbers_and_dates_are_written_as_the_locale_writes_them(
        locale: str, written: str) -> None:
    env: Environment = environment()
    rendered = env.from_string("{{ 0.7|percent }}|{{ 12345.5|number(1) }}|{{ day|date }}").render(
        locale=locale, day=date(2016, 1, 20))
    assert rendered == written
