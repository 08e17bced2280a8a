"""Events carry the instant of the application's clock at commit (ADR 41), in the store, in
the cached aggregate and in the read models."""

from __future__ import annotations

from datetime import timedelta

from infra.eventstore.factory import factory_builder
from services.quality_of_life import QualityOfLife
from services.tenancy import tenant_scope


def test_every_event_of_a_commit_is_dated_by_the_clock_given_to_the_application(
        org, accounts, write_side, clock, catch_up, projector_conn) -> None:  # type: ignore[no-untyped-def]
    qol = QualityOfLife(factory_builder(write_side.datastore), accounts, clock)
    person = org.open("person")
    clock.now -= timedelta(days=200)
    opened = qol.open_assessment(person, person.user_id)
    clock.advance(timedelta(days=30))
    qol.rate(person, opened.id, [("housing", 70), ("food", 40)])
    with tenant_scope(org.tenant_id):
        stamps = [e.timestamp for e in qol.events.get(opened.id)]
        loaded = qol.repository.get(opened.id)  # from what this process kept
    first = clock.now - timedelta(days=30)
    assert stamps == [first, clock.now, clock.now]
    assert (loaded.created_on, loaded.modified_on) == (first, clock.now)
    catch_up()
    row = projector_conn.execute(
        "SELECT opened_at, updated_at FROM qol_assessments WHERE tenant_id = %s"
        " AND assessment_id = %s", [org.tenant_id, opened.id]).fetchone()
    assert row == (first, clock.now)


def test_a_change_after_another_process_saved_is_still_dated_by_the_clock(
        org, accounts, write_side, clock) -> None:  # type: ignore[no-untyped-def]
    ours = QualityOfLife(factory_builder(write_side.datastore), accounts, clock)
    person = org.open("person")
    opened = ours.open_assessment(person, person.user_id)
    write_side.quality_of_life.rate(person, opened.id, [("housing", 10)])  # another process
    clock.advance(timedelta(hours=1))
    ours.rate(person, opened.id, [("food", 20)])  # on the current state
    with tenant_scope(org.tenant_id):
        last = list(ours.events.get(opened.id))[-1]
    assert (last.theme, last.timestamp) == ("food", clock.now)
