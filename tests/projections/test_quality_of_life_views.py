"""What each read model holds after real commands: ratings, history, averages, priorities."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest

from projections.quality_of_life.views import perspective_of


def rows(conn: psycopg.Connection[Any], query: str, *args: object) -> list[tuple[Any, ...]]:
    return conn.execute(query, list(args)).fetchall()


@pytest.fixture
def cast(org):  # type: ignore[no-untyped-def]
    """Two persons served and two practitioners of one organization."""
    return (org.open("person", "Alice"), org.open("person", "Bruno"),
            org.open("practitioner", "Pat"), org.open("practitioner", "Quinn"))


def test_current_ratings_hold_the_latest_value_per_person_perspective_and_theme(
        org, cast, write_side, catch_up, projector_conn) -> None:
    alice, bruno, pat, quinn = cast
    qol = write_side.quality_of_life
    first = qol.open_assessment(alice, alice.user_id).id
    qol.rate(alice, first, [("housing", 70), ("food", 50)])
    qol.complete(alice, first)
    second = qol.open_assessment(pat, alice.user_id).id
    qol.rate(pat, second, [("housing", 40)])  # typed by the practitioner with Alice
    qol.record_perceptions(pat, second, [("housing", 20)])
    qol.record_perceptions(quinn, second, [("housing", 65)])
    other = qol.open_assessment(bruno, bruno.user_id).id
    qol.rate(bruno, other, [("housing", 90)])
    catch_up()
    found = rows(projector_conn,
                 "SELECT person_id, perspective, theme, value, assessment_id, author_id"
                 " FROM qol_current_ratings WHERE tenant_id = %s", org.tenant_id)
    assert sorted(found, key=str) == sorted([
        (alice.user_id, "person", "housing", 40, second, pat.user_id),
        (alice.user_id, "person", "food", 50, first, alice.user_id),
        (alice.user_id, perspective_of(pat.user_id), "housing", 20, second, pat.user_id),
        (alice.user_id, perspective_of(quinn.user_id), "housing", 65, second, quinn.user_id),
        (bruno.user_id, "person", "housing", 90, other, bruno.user_id),
    ], key=str)


def test_theme_history_keeps_every_rating_comment_and_perception_in_order(
        org, cast, write_side, catch_up, projector_conn) -> None:
    alice, _, pat, _ = cast
    qol = write_side.quality_of_life
    before = datetime.now(UTC)
    first = qol.open_assessment(alice, alice.user_id).id
    qol.rate(alice, first, [("housing", 10), ("food", 99)])
    qol.rate(alice, first, [("housing", 20)])
    qol.comment(alice, first, "housing", "Je déménage")
    qol.complete(alice, first)
    second = qol.open_assessment(pat, alice.user_id).id
    qol.record_perceptions(pat, second, [("housing", 35)], comment="Stable")
    qol.rate(pat, second, [("housing", 30)])
    after = datetime.now(UTC)
    catch_up()
    history = rows(projector_conn,
                   "SELECT kind, perspective, value, comment, assessment_id, author_id, at,"
                   " notification_id FROM qol_theme_history WHERE tenant_id = %s"
                   " AND person_id = %s AND theme = 'housing' ORDER BY notification_id",
                   org.tenant_id, alice.user_id)
    assert [row[:6] for row in history] == [
        ("rating", "person", 10, None, first, alice.user_id),
        ("rating", "person", 20, None, first, alice.user_id),
        ("comment", "person", None, "Je déménage", first, alice.user_id),
        ("perception", perspective_of(pat.user_id), 35, "Stable", second, pat.user_id),
        ("rating", "person", 30, None, second, pat.user_id),
    ]
    times = [row[6] for row in history]
    assert times == sorted(times) and before <= times[0] and times[-1] <= after
    assert len({row[7] for row in history}) == len(history)
    food = rows(projector_conn, "SELECT value FROM qol_theme_history WHERE tenant_id = %s"
                " AND theme = 'food'", org.tenant_id)
    assert food == [(99,)]


def test_sphere_averages_use_the_latest_value_of_each_theme_per_assessment_and_perspective(
        org, cast, write_side, catch_up, projector_conn) -> None:
    alice, _, pat, _ = cast
    qol = write_side.quality_of_life
    first = qol.open_assessment(alice, alice.user_id).id
    qol.rate(alice, first, [("housing", 33), ("food", 34), ("income", 34), ("hope", 80)])
    qol.rate(alice, first, [("hope", 60)])  # replaces 80, does not add a value
    qol.record_perceptions(pat, first, [("housing", 10), ("food", 20)])
    second = qol.open_assessment(alice, alice.user_id).id
    qol.rate(alice, second, [("housing", 100)])
    catch_up()
    found = rows(projector_conn,
                 "SELECT assessment_id, person_id, perspective, sphere, average, rated_count"
                 " FROM qol_sphere_averages WHERE tenant_id = %s", org.tenant_id)
    assert sorted(found, key=str) == sorted([
        (first, alice.user_id, "person", "needs", Decimal("33.67"), 3),
        (first, alice.user_id, "person", "self_esteem", Decimal("60.00"), 1),
        (first, alice.user_id, perspective_of(pat.user_id), "needs", Decimal("15.00"), 2),
        (second, alice.user_id, "person", "needs", Decimal("100.00"), 1),
    ], key=str)


def test_priorities_are_the_starred_themes_of_each_assessment_after_unstars(
        org, cast, write_side, catch_up, projector_conn) -> None:
    alice, bruno, pat, _ = cast
    qol = write_side.quality_of_life
    first = qol.open_assessment(alice, alice.user_id).id
    for theme in ("housing", "food", "hope"):
        qol.star(alice, first, theme)
    qol.unstar(alice, first, "food")
    qol.star(pat, first, "sleep")
    qol.star(alice, first, "housing")  # already starred: nothing changes
    theirs = qol.open_assessment(bruno, bruno.user_id).id
    qol.star(bruno, theirs, "family")
    catch_up()
    found = rows(projector_conn,
                 "SELECT person_id, assessment_id, theme, starred_by FROM qol_priorities"
                 " WHERE tenant_id = %s ORDER BY person_id = %s DESC, notification_id",
                 org.tenant_id, alice.user_id)
    assert found == [
        (alice.user_id, first, "housing", alice.user_id),
        (alice.user_id, first, "hope", alice.user_id),
        (alice.user_id, first, "sleep", pat.user_id),
        (bruno.user_id, theirs, "family", bruno.user_id),
    ]


def test_the_assessment_list_follows_version_and_completion(
        org, cast, write_side, catch_up, projector_conn) -> None:
    alice, _, pat, _ = cast
    qol = write_side.quality_of_life
    opened = qol.open_assessment(pat, alice.user_id)
    qol.rate(alice, opened.id, [("housing", 5)])
    catch_up()
    query = ("SELECT person_id, opened_by, catalog_version, version, completed_at IS NOT NULL,"
             " completed_by FROM qol_assessments WHERE tenant_id = %s AND assessment_id = %s")
    assert rows(projector_conn, query, org.tenant_id, opened.id) == [
        (alice.user_id, pat.user_id, "2026.1", 2, False, None)]
    done = qol.complete(alice, opened.id)
    catch_up()
    assert rows(projector_conn, query, org.tenant_id, opened.id) == [
        (alice.user_id, pat.user_id, "2026.1", done.version, True, alice.user_id)]


def test_the_account_directory_lists_every_account_of_the_organization_only(
        org, new_org, cast, write_side, catch_up, projector_conn) -> None:
    other = new_org()
    other.open("person")
    catch_up()
    found = rows(projector_conn,
                 "SELECT account_id, display_name, role, locale FROM account_directory"
                 " WHERE tenant_id = %s", org.tenant_id)
    alice, bruno, pat, quinn = cast
    expected: list[tuple[UUID, str, str, str]] = [
        (org.admin.user_id, "Admin", "org_admin", "fr-CA"),
        (alice.user_id, "Alice", "person", "fr-CA"), (bruno.user_id, "Bruno", "person", "fr-CA"),
        (pat.user_id, "Pat", "practitioner", "fr-CA"), (quinn.user_id, "Quinn", "practitioner", "fr-CA"),
    ]
    assert sorted(found, key=str) == sorted(expected, key=str)
