"""Dead letters on real PostgreSQL: a poison event parks its stream, never its tenant or others."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.utils import get_topic

from domain.quality_of_life.assessment import Assessment
from infra.cli import main
from infra.dead_letter_replay import DeadLetterReplay
from infra.dead_letters import parked
from infra.platform import WriteSide, all_projections, event_mapper
from infra.projector import (
    ApplicationFollower,
    ApplicationRunner,
    ProjectionFailed,
    application_runners,
)
from projections.framework import Context, Projection, handles
from tests.conftest import PASSWORD, Org
from tests.reliability.test_projector import eventually

APPLICATION = "QualityOfLife"
RATED = get_topic(Assessment.ThemeRated)


def open_org(side: WriteSide) -> Org:
    slug = f"org-{secrets.token_hex(4)}"
    tenant = side.accounts.register_organization(slug, slug, "qc", "admin", "Admin", PASSWORD).id
    return Org(tenant, slug, side.accounts.authenticate(slug, "admin", PASSWORD), side)


def assessment(org: Org) -> tuple[UUID, Callable[[str, int], int]]:
    """A person's open assessment (its stream id), and a function that rates one theme."""
    person = org.open("person")
    qol = org.side.quality_of_life
    stream = qol.open_assessment(person, person.user_id).id
    return stream, lambda theme, value: qol.rate(person, stream, [(theme, value)]).notification_id


def append(admin: psycopg.Connection[Any], tenant: UUID, stream: UUID, topic: str,
           state: bytes) -> int:
    """Writes an event at the stream's next version as the owner would, through the event
    store's own insert function (same lock and NOTIFY), bypassing the application."""
    row = admin.execute("SELECT max(originator_version) FROM qualityoflife_events"
                        " WHERE originator_id = %s", [stream]).fetchone()
    assert row is not None
    inserted = admin.execute(
        "SELECT * FROM barometre_insert_into_qualityoflife_events(%s, %s, %s, %s, %s)",
        [tenant, [stream], [row[0] + 1], [topic], [state]]).fetchone()
    assert inserted is not None
    return int(inserted[0])


def last_state(admin: psycopg.Connection[Any], stream: UUID) -> bytes:
    row = admin.execute("SELECT state FROM qualityoflife_events WHERE originator_id = %s"
                        " ORDER BY originator_version DESC LIMIT 1", [stream]).fetchone()
    assert row is not None
    return bytes(row[0])


def history(conn: psycopg.Connection[Any], tenant: UUID) -> int:
    row = conn.execute("SELECT count(*) FROM qol_theme_history WHERE tenant_id = %s", [tenant]).fetchone()
    return int(row[0]) if row else 0


def test_an_undecodable_event_parks_its_stream_while_its_tenant_and_others_go_on(own, capsys) -> None:
    servers, side = own
    a, b = open_org(side), open_org(side)
    poisoned, rate_poisoned = assessment(a)
    _, rate_a = assessment(a)
    _, rate_b = assessment(b)
    rate_poisoned("housing", 10)
    stop = threading.Event()
    follower = ApplicationFollower(servers.projector_db().conninfo(), "all", application_runners(
        all_projections(), event_mapper()), stop, poll_interval=0.2)
    follower.start()
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        try:
            eventually(lambda: history(admin, a.tenant_id) == 1, what="the first rating")
            valid = last_state(admin, poisoned)
            poison = append(admin, a.tenant_id, poisoned, RATED, b"\xff not an event")
            behind = append(admin, a.tenant_id, poisoned, RATED, valid)  # a good one, after it

            rate_b("food", 40)  # the other tenant's next event, and the same tenant's other stream
            rate_a("food", 50)
            eventually(lambda: history(admin, b.tenant_id) == 1 and history(admin, a.tenant_id) == 2,
                       timeout=2, what="the other streams' events, within the usual lag")
        finally:
            stop.set()
            follower.join(timeout=10)

        concerned = {p.name for p in all_projections()
                     if p.application == APPLICATION and p.concerns(Assessment.ThemeRated)}
        letters = parked(admin, poisoned)
        assert {d.projection for d in letters} == concerned  # and none for the others
        assert "qol_priorities" not in concerned  # it handles stars only: not held back
        assert {(d.tenant_id, d.notification_id, d.attempts) for d in letters} == {(a.tenant_id, poison, 1)}
        assert all("Failed to deserialise" in d.error for d in letters)
        assert history(admin, a.tenant_id) == 2  # the good event behind the poison waits

        assert main(["dead-letters"]) == 0
        listed = capsys.readouterr().out.splitlines()
        assert listed[-1].startswith("1 flux parqués")
        assert str(poisoned) in listed[0] and "waiting behind: 1" in listed[0]
        assert f"#{poison} " in listed[0] and "ThemeRated" in listed[0]

        assert main(["dead-letters", "skip", str(poisoned), "--reason", "bytes lost in a restore",
                     "--by", "ops-alice"]) == 0
        assert history(admin, a.tenant_id) == 3  # the event behind it, applied in order
        assert parked(admin) == []
        skipped = admin.execute("SELECT DISTINCT skipped_by, skip_reason, notification_id"
                                " FROM dead_letters WHERE originator_id = %s", [poisoned]).fetchall()
        assert skipped == [("ops-alice", "bytes lost in a restore", poison)]
        assert admin.execute("SELECT state FROM qualityoflife_events WHERE notification_id = %s",
                             [poison]).fetchone() == (b"\xff not an event",)  # history untouched
        capsys.readouterr()
        assert main(["dead-letters", "--skipped"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("0 flux parqués") and "by ops-alice: bytes lost in a restore" in out
        assert behind > poison


class OnlyStars(Projection):
    name = "a_only_stars"  # first in the runner's order; in a database of one test only
    application = APPLICATION
    tables = ()

    @handles(Assessment.ThemeStarred)
    def on_starred(self, ctx: Context, e: object) -> None:
        pass


class OnlyRatings(OnlyStars):
    name = "b_only_ratings"

    @handles(Assessment.ThemeRated)
    def on_rated(self, ctx: Context, e: object) -> None:
        pass


def test_a_runner_that_does_not_park_names_the_projection_concerned_by_an_undecodable_event(
        own) -> None:
    servers, side = own
    a = open_org(side)
    stream, _ = assessment(a)
    stars, ratings = OnlyStars(), OnlyRatings()
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        poison = append(admin, a.tenant_id, stream, RATED, b"{")
    runner = ApplicationRunner([stars, ratings], event_mapper())
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn, \
            pytest.raises(ProjectionFailed) as failed:
        runner.catch_up(conn)
    assert (failed.value.projection, failed.value.notification_id) == (ratings.name, poison)


class Recording(Projection):
    """Test-only projection with no tables: remembers, in order, the events its committed
    batches applied (kept at end_batch, so a batch run again is not counted twice)."""

    application = APPLICATION
    tables = ()

    def __init__(self, fail_at: int | None = None) -> None:
        self.applied: list[int] = []
        self.fail_at = fail_at

    def begin_batch(self) -> None:
        super().begin_batch()
        self.pending: list[int] = []

    def apply(self, ctx: Context, event: object) -> None:
        if ctx.notification_id == self.fail_at:
            raise RuntimeError(f"cannot apply {type(event).__name__}")
        self.pending.append(ctx.notification_id)

    def end_batch(self, cur: psycopg.Cursor[Any]) -> None:
        super().end_batch(cur)
        self.applied += self.pending


@pytest.fixture
def recording(projector_conn: psycopg.Connection[Any]) -> Iterator[Recording]:
    """A Recording of its own name, starting after the log; its rows are removed after."""
    name = f"test_recording_{secrets.token_hex(4)}"
    projection: Recording = type("Recording", (Recording,), {"name": name})()
    projector_conn.execute(
        "INSERT INTO projection_tracking (tenant_id, projection, application, notification_id)"
        " SELECT gen_random_uuid(), %s, %s, coalesce(max(notification_id), 0)"
        " FROM qualityoflife_events", [name, APPLICATION])
    yield projection
    projector_conn.execute("DELETE FROM projection_tracking WHERE projection = %s", [name])
    projector_conn.execute("DELETE FROM dead_letters WHERE projection = %s", [name])


def test_a_stream_waits_behind_an_event_it_cannot_apply_until_a_retry_after_the_fix(
        new_org, projector_conn, recording) -> None:
    (stream, rate_a), (_, rate_b) = assessment(new_org()), assessment(new_org())
    runner = ApplicationRunner([recording], event_mapper(), parks_failures=True)
    runner.catch_up(projector_conn)  # up to the assessments' openings
    recording.applied.clear()
    a1, bad, b1, a3, b2 = (rate_a("food", 1), rate_a("food", 2), rate_b("food", 1),
                           rate_a("food", 3), rate_b("food", 2))
    recording.fail_at = bad

    runner.catch_up(projector_conn)
    assert recording.applied == [a1, b1, b2]  # a3 waits behind bad; the other tenant goes on
    runner.catch_up(projector_conn)
    a4, b3 = rate_a("food", 4), rate_b("food", 3)
    runner.catch_up(projector_conn)
    assert recording.applied == [a1, b1, b2, b3]
    [letter] = parked(projector_conn, stream)
    assert (letter.notification_id, letter.attempts) == (bad, 1)
    assert "RuntimeError: cannot apply ThemeRated" in letter.error

    replay = DeadLetterReplay([recording], event_mapper())
    still = replay.retry(projector_conn, letter)  # the cause is not fixed yet
    assert (still.parked_at, still.applied) == (bad, 0)
    [again] = parked(projector_conn, stream)
    assert again.attempts == 2 and again.last_failed_at > letter.last_failed_at
    assert again.first_failed_at == letter.first_failed_at

    recording.fail_at = None  # the fix
    done = replay.retry(projector_conn, again)
    assert (done.parked_at, done.applied) == (None, 3)
    assert recording.applied == [a1, b1, b2, b3, bad, a3, a4]  # in the stream's order, once
    assert parked(projector_conn, stream) == []
    a5 = rate_a("food", 5)
    runner.catch_up(projector_conn)
    assert recording.applied[-1] == a5  # un-parked: the stream's next events come live again


def test_a_stream_stays_parked_at_a_later_event_that_fails_in_a_retry(
        new_org, projector_conn, recording) -> None:
    stream, rate = assessment(new_org())
    runner = ApplicationRunner([recording], event_mapper(), parks_failures=True)
    runner.catch_up(projector_conn)
    recording.applied.clear()
    first, second, third = rate("food", 1), rate("food", 2), rate("food", 3)
    recording.fail_at = first
    runner.catch_up(projector_conn)
    [letter] = parked(projector_conn, stream)

    recording.fail_at = third  # the first is fixed; the third fails now
    outcome = DeadLetterReplay([recording], event_mapper()).retry(projector_conn, letter)
    assert (outcome.applied, outcome.parked_at) == (2, third)
    assert recording.applied == [first, second]
    [now] = parked(projector_conn, stream)
    assert (now.notification_id, now.attempts) == (third, 1)


def test_retry_and_skip_of_an_unknown_stream_answer_one_line(cli_env, capsys) -> None:
    stream = UUID(int=7)
    assert main(["dead-letters", "retry", str(stream)]) == 2
    assert capsys.readouterr().err == f"erreur: aucun flux parqué (no parked stream) {stream}\n"
    assert main(["dead-letters", "skip", str(stream), "--reason", "  "]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "--reason" in err[0]
    assert main(["dead-letters", "retry", "not-a-stream"]) == 2
