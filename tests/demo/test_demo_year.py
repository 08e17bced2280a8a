"""What `barometre up` seeds: per demo organization, persons with a year of history in all
four tabs, dated in the past, projected into the views, and never seeded twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from infra.demo import seed_demo
from infra.demo.stories import ORGANIZATIONS

NINE_MONTHS = timedelta(days=270)


def test_every_demo_organization_has_staff_and_four_persons_or_more(demo) -> None:  # type: ignore[no-untyped-def]
    for org in ORGANIZATIONS:
        roles = [d.role for d in demo.logins if d.organization == org.slug]
        assert roles.count("person") >= 4 and roles.count("practitioner") >= 1
        assert roles.count("org_admin") == 1
    assert {org.region for org in ORGANIZATIONS} == {"qc", "fr"}


def test_marie_has_four_readings_or_more_spread_over_nine_months(demo) -> None:  # type: ignore[no-untyped-def]
    tenant_id, marie = demo.account("demo-qc", "marie")
    readings = demo.rows("SELECT assessment_id, opened_at FROM qol_assessments WHERE tenant_id = %s"
                         " AND person_id = %s AND completed_at IS NOT NULL ORDER BY opened_at",
                         tenant_id, marie)
    assert len(readings) >= 4
    assert readings[-1][1] - readings[0][1] >= NINE_MONTHS
    assert readings[-1][1] < datetime.now(UTC)
    for assessment_id, _ in readings:  # all 55 themes, three stars
        assert demo.rows("SELECT count(*) FROM qol_assessment_ratings WHERE tenant_id = %s AND"
                         " assessment_id = %s AND perspective = 'person'",
                         tenant_id, assessment_id) == [(55,)]
        assert demo.rows("SELECT count(*) FROM qol_priorities WHERE tenant_id = %s AND"
                         " assessment_id = %s", tenant_id, assessment_id) == [(3,)]
    perceived = demo.rows("SELECT count(DISTINCT assessment_id) FROM qol_assessment_ratings"
                          " WHERE tenant_id = %s AND perspective <> 'person' AND assessment_id"
                          " = ANY(%s)", tenant_id, [r[0] for r in readings])
    assert 0 < perceived[0][0] < len(readings)  # the practitioner's view, for some readings


def test_some_spheres_improve_over_the_year_and_some_do_not(demo) -> None:  # type: ignore[no-untyped-def]
    changes = demo.rows(
        "WITH firsts AS (SELECT DISTINCT ON (tenant_id, person_id) tenant_id, person_id,"
        " assessment_id AS first, last_value(assessment_id) OVER (PARTITION BY tenant_id,"
        " person_id ORDER BY opened_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED"
        " FOLLOWING) AS last FROM qol_assessments ORDER BY tenant_id, person_id, opened_at)"
        " SELECT b.average - a.average FROM firsts f"
        " JOIN qol_sphere_averages a ON a.tenant_id = f.tenant_id AND a.assessment_id = f.first"
        " JOIN qol_sphere_averages b ON b.tenant_id = f.tenant_id AND b.assessment_id = f.last"
        " AND b.sphere = a.sphere AND b.perspective = a.perspective"
        " WHERE a.perspective = 'person'")
    deltas = [float(d) for (d,) in changes]
    assert max(deltas) >= 20 and min(deltas) <= -10


def test_marie_s_network_changed_over_the_year(demo) -> None:  # type: ignore[no-untyped-def]
    tenant_id, marie = demo.account("demo-qc", "marie")
    ended = demo.rows("SELECT count(*) FROM network_relationships WHERE tenant_id = %s AND"
                      " person_id = %s AND ended_at IS NOT NULL", tenant_id, marie)
    assert ended[0][0] >= 1
    qualities = demo.rows(
        "SELECT relationship_id, array_agg(quality ORDER BY version) FROM"
        " network_relationship_history WHERE tenant_id = %s AND person_id = %s"
        " GROUP BY relationship_id", tenant_id, marie)
    assert any(q[-1] > q[0] for _, q in qualities), "a relationship that improved"
    assert any(q[-1] < q[0] for _, q in qualities), "a relationship that worsened"
    added = demo.rows("SELECT min(added_at), max(added_at) FROM network_relationships"
                      " WHERE tenant_id = %s AND person_id = %s", tenant_id, marie)
    assert added[0][1] - added[0][0] >= timedelta(days=180)  # the map of six months ago differs


def test_marie_reworded_a_strength_and_linked_one_to_her_network(demo) -> None:  # type: ignore[no-untyped-def]
    tenant_id, marie = demo.account("demo-qc", "marie")
    reworded = demo.rows("SELECT count(DISTINCT strength_id) FROM strengths_history WHERE"
                         " tenant_id = %s AND person_id = %s AND change = 'reworded'",
                         tenant_id, marie)
    assert reworded[0][0] >= 1
    sides = demo.rows("SELECT side, bool_or(member_id IS NOT NULL) FROM strengths_current"
                      " WHERE tenant_id = %s AND person_id = %s GROUP BY side", tenant_id, marie)
    assert dict(sides) == {"personal": False, "environment": True}


def test_marie_s_goals_have_done_and_pending_actions_and_dates_across_the_year(demo) -> None:  # type: ignore[no-untyped-def]
    tenant_id, marie = demo.account("demo-qc", "marie")
    done = dict(demo.rows("SELECT done, count(*) FROM plan_actions WHERE tenant_id = %s AND"
                          " person_id = %s GROUP BY done", tenant_id, marie))
    assert done.get(True, 0) >= 3 and done.get(False, 0) >= 2
    created = demo.rows("SELECT min(created_at), max(created_at), count(*) FROM plan_goals"
                        " WHERE tenant_id = %s AND person_id = %s", tenant_id, marie)
    first, last, goals = created[0]
    assert goals >= 3 and last - first >= NINE_MONTHS


def test_the_practitioner_has_a_caseload_with_co_edit_and_read_grants(demo) -> None:  # type: ignore[no-untyped-def]
    tenant_id, julie = demo.account("demo-qc", "intervenant")
    grants = demo.rows("SELECT person_id, tab, level FROM consent_grants WHERE tenant_id = %s"
                       " AND grantee_id = %s AND revoked_at IS NULL", tenant_id, julie)
    assert len({person for person, _, _ in grants}) >= 4
    assert {level for _, _, level in grants} == {"read", "co_edit"}
    _, marie = demo.account("demo-qc", "marie")
    assert {(tab, level) for person, tab, level in grants if person == marie} == {
        ("quality_of_life", "co_edit"), ("social_network", "co_edit"), ("strengths", "co_edit"),
        ("plan", "co_edit")}
    revoked = demo.rows("SELECT count(*) FROM consent_grants WHERE tenant_id = %s AND"
                        " revoked_at IS NOT NULL", tenant_id)
    assert revoked[0][0] >= 1


def test_every_event_is_dated_in_the_past_within_the_demo_year(demo) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    for org in ORGANIZATIONS:
        tenant_id, _ = demo.account(org.slug, "admin")
        first, last, tabs = demo.rows("SELECT min(at), max(at), count(DISTINCT tab) FROM"
                                      " record_timeline WHERE tenant_id = %s", tenant_id)[0]
        assert now - timedelta(days=400) < first and last < now
        assert last - first >= timedelta(days=330)
        assert tabs >= 4


def test_seeding_again_adds_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    def counts() -> list[tuple[str, int]]:
        tables = [t for (t,) in demo.rows("SELECT table_name FROM information_schema.tables"
                                          " WHERE table_name LIKE '%%\\_events' ORDER BY 1")]
        return [(t, demo.rows(f"SELECT count(*) FROM {t}")[0][0]) for t in tables]
    before = counts()
    assert sum(n for _, n in before) > 2000
    assert seed_demo(demo.servers) == demo.logins
    assert counts() == before
    assert demo.catch_up() == 0
