"""The quality-of-life views follow what was rated, perceived and starred."""

from __future__ import annotations


def test_sphere_averages_keep_the_persons_and_the_practitioners_views_apart(org, write_side, catch_up, projector_conn):
    person, practitioner = org.open("person"), org.open("practitioner")
    qol = write_side.quality_of_life
    assessment = qol.open_assessment(practitioner, person.user_id)
    qol.rate(person, assessment.id, [("housing", 70), ("food", 40)])
    qol.record_perceptions(practitioner, assessment.id, [("housing", 50)])
    catch_up()
    rows = projector_conn.execute(
        "SELECT perspective, sphere, average, rated_count FROM qol_sphere_averages"
        " WHERE tenant_id = %s ORDER BY perspective", [org.tenant_id]).fetchall()
    assert [(r[0].split(":")[0], r[1], float(r[2]), r[3]) for r in rows] == [
        ("person", "needs", 55.0, 2), ("practitioner", "needs", 50.0, 1)]
