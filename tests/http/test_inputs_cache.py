"""The guard's kept inputs (ADR 14): given back as they were put, least recently used first
out, nothing kept at size 0, and stored as objects the garbage collector does not track; the
decisions taken from them kept with them until fresh inputs replace them (ADR 15)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from domain.access.grant import Grant
from domain.access.policy import Decision
from infra.access.inputs import AccessInputs, InputsCache


def _inputs(person: object, grants: int = 3) -> AccessInputs:
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    return AccessInputs(now, [3, 1, 7], True, frozenset({uuid4(), uuid4()}), tuple(
        Grant(uuid4(), person, "team", uuid4(), "plan", "read",  # type: ignore[arg-type]
              now + timedelta(days=i) if i % 2 else None, now if i == 2 else None)
        for i in range(grants)), True)


def test_inputs_come_back_as_they_were_put() -> None:
    cache, person = InputsCache(10), uuid4()
    key = (uuid4(), uuid4(), person)
    kept = _inputs(person)
    cache.put(key, kept)
    assert cache.get(key) == kept
    assert cache.get((key[0], key[1], uuid4())) is None


def test_the_least_recently_used_goes_first_and_size_zero_keeps_nothing() -> None:
    cache = InputsCache(2)
    keys = [(uuid4(), uuid4(), uuid4()) for _ in range(3)]
    cache.put(keys[0], _inputs(keys[0][2]))
    cache.put(keys[1], _inputs(keys[1][2]))
    assert cache.get(keys[0]) is not None  # now the most recent
    cache.put(keys[2], _inputs(keys[2][2]))
    assert [cache.get(k) is not None for k in keys] == [True, False, True]
    empty = InputsCache(0)
    empty.put(keys[0], _inputs(keys[0][2]))
    assert (len(empty), empty.get(keys[0])) == (0, None)


def test_kept_entries_add_no_object_for_the_collector_to_scan() -> None:
    cache = InputsCache(1000)
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(1000):
        key = (uuid4(), uuid4(), uuid4())
        cache.put(key, _inputs(key[2], grants=4))
    for _ in range(3):  # each collection untracks one more level of nested tuples
        gc.collect()
    assert len(gc.get_objects()) - before < 100


def test_a_decision_is_kept_with_its_inputs_until_fresh_ones_replace_them() -> None:
    cache, person = InputsCache(10), uuid4()
    key = (uuid4(), uuid4(), person)
    cache.put(key, _inputs(person))
    basis = cache.kept(key)
    assert basis is not None and basis.decision("practitioner", "plan", "read") is None
    allowed = Decision(True, "consent to plan", frozenset({"plan"}))
    cache.remember(key, basis, "practitioner", "plan", "read", allowed)
    again = cache.kept(key)
    assert again is not None
    assert again.decision("practitioner", "plan", "read") == allowed
    assert again.decision("practitioner", "plan", "write") is None  # another action
    assert again.decision("close_person", "plan", "read") is None  # another role
    assert again.check() == basis.check() and again.inputs() == basis.inputs()

    cache.put(key, _inputs(person))  # fresh inputs: decisions taken before do not carry over
    fresh = cache.kept(key)
    assert fresh is not None and fresh.decision("practitioner", "plan", "read") is None
    cache.remember(key, basis, "practitioner", "plan", "read", allowed)  # from the old inputs
    kept = cache.kept(key)
    assert kept is not None and kept.decision("practitioner", "plan", "read") is None
