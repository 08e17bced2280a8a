"""The fast transcoder writes the library's bytes and reads them back as the library does
(ADR 24), for any state made of what events hold, and leaves what it is not sure of to the
library (which then writes, or refuses, exactly as before)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.catalog import load_catalog
from domain.quality_of_life.assessment import Assessment
from infra.eventstore.transcoder import FastJSONTranscoder
from infra.platform import event_mapper


def _registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


LIBRARY, FAST = _registered(JSONTranscoder()), _registered(FastJSONTranscoder())

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.text(), st.uuids(),
    st.datetimes(timezones=st.one_of(st.none(), st.just(UTC),
                                     st.builds(lambda m: timezone(timedelta(minutes=m)),
                                               st.integers(-600, 600)))),
    st.decimals(allow_nan=False), st.floats(allow_nan=False))
states = st.dictionaries(st.text(), st.recursive(
    leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                    st.dictionaries(st.text(), inner, max_size=4)),
    max_leaves=12), max_size=10)


@settings(max_examples=400, deadline=None)
@given(states)
def test_it_writes_the_librarys_bytes_and_reads_them_back_alike(state: dict[str, Any]) -> None:
    written = LIBRARY.encode(state)
    assert FAST.encode(state) == written
    assert FAST.decode(written) == LIBRARY.decode(written)


def test_a_rating_event_is_written_and_read_alike() -> None:
    catalog = load_catalog()
    assessment = Assessment.open(uuid4(), uuid4(), uuid4(), catalog.version, uuid4())
    assessment.rate(catalog, "housing", 70, uuid4())
    library, fast = event_mapper(), event_mapper()
    library.transcoder, fast.transcoder = LIBRARY, FAST
    for event in assessment.collect_events():
        stored = library.to_stored_event(event)
        assert fast.to_stored_event(event).state == stored.state
        assert vars(fast.to_domain_event(stored)) == vars(library.to_domain_event(stored))


class Colour(Enum):
    RED = "red"


def test_what_it_is_not_sure_of_is_left_to_the_library() -> None:
    odd = {"enum_value": 1.5, "big": 2**80, "when": datetime(2026, 1, 2, tzinfo=UTC),
           "nested": [{"x": Decimal("1.10")}], "id": UUID(int=7)}
    assert FAST.encode(odd) == LIBRARY.encode(odd)
    assert math.isnan(FAST.decode(b'{"x":NaN}')["x"])  # msgspec refuses NaN: the library reads it
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.encode({"colour": Colour.RED})
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.decode(b'{"c":{"_type_":"colour","_data_":"red"}}')
