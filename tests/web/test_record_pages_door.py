"""A record's pages pass the one door: the consent guard decides and logs each page view as
it does an API call, and the page shows only what was granted."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Org
from tests.http.conftest import logged_in
from tests.web.pages_client import signed_in


def _access_log(web_url: str, org: Org, login: str, person_id: object) -> list[dict[str, str]]:
    api = logged_in(web_url, org, login)
    try:
        entries: list[dict[str, str]] = api.get(f"/persons/{person_id}/access-log").json()[
            "entries"]
    finally:
        api.close()
    return sorted(entries, key=lambda e: e["id"])[:-1]  # less the person's own read of it


def test_a_practitioner_without_a_grant_is_refused_the_record_page_and_the_refusal_is_logged(
        web_url: str, org: Org, catch_up: Callable[[], int]) -> None:
    person, practitioner = org.open("person", "Marie"), org.open("practitioner", "Julie")
    catch_up()
    client, _ = signed_in(web_url, org, practitioner.login)
    refused = client.get(f"/app/persons/{person.user_id}")
    assert refused.status_code == 403
    assert "Vous n'avez pas accès à cette page" in refused.text
    assert "text/html" in refused.headers["content-type"]
    entry = _access_log(web_url, org, person.login, person.user_id)[-1]
    assert (entry["actor_name"], entry["tab"], entry["outcome"], entry["path"]) == (
        "Julie", "summary", "denied", f"/app/persons/{person.user_id}")


def test_a_practitioner_sees_the_tabs_granted_to_them_and_the_view_is_logged(
        web_url: str, org: Org, catch_up: Callable[[], int]) -> None:
    person, practitioner = org.open("person", "Marie"), org.open("practitioner", "Julie")
    org.side.consent.grant(person, person.user_id, "practitioner", practitioner.user_id,
                           ["quality_of_life", "plan"], "read", None)
    catch_up()
    client, answer = signed_in(web_url, org, practitioner.login)
    assert answer.headers["location"] == "/app"
    assert client.get("/app").headers["location"] == "/app/caseload"
    record = client.get(f"/app/persons/{person.user_id}")
    assert record.status_code == 200
    assert ">Qualité de vie</a>" in record.text and ">Plan d'accomplissement</a>" in record.text
    assert "Réseau social" not in record.text and "Forces" not in record.text
    assert "Aucune évaluation pour le moment." in record.text
    entry = _access_log(web_url, org, person.login, person.user_id)[-1]
    assert (entry["actor_name"], entry["tab"], entry["outcome"]) == ("Julie", "summary",
                                                                     "allowed")


def test_the_record_page_shows_the_latest_reading_in_the_locales_formats(
        web_url: str, org: Org, catch_up: Callable[[], int]) -> None:
    person = org.open("person", "Marie")
    opened = org.side.quality_of_life.open_assessment(person, person.user_id)
    org.side.quality_of_life.rate(person, opened.id, [("housing", 60), ("food", 75)])
    catch_up()
    client, _ = signed_in(web_url, org, person.login)
    client.cookies.set("barometre_locale", "fr-FR")
    record = client.get(f"/app/persons/{person.user_id}").text
    assert "<th scope=\"row\">Besoins</th><td>68\u00a0%</td>" in record  # (60 + 75) / 2, rounded
    assert "Dernière évaluation commencée le " in record


def test_a_person_is_refused_the_caseload_and_another_persons_record(
        web_url: str, org: Org, catch_up: Callable[[], int]) -> None:
    person, other = org.open("person"), org.open("person")
    catch_up()
    client, _ = signed_in(web_url, org, person.login)
    assert client.get("/app/caseload").status_code == 403
    assert client.get(f"/app/persons/{other.user_id}").status_code == 403
