"""Every operation has a summary and a description in plain words; a route without them
stops the application from starting."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar, get

from infra.http.openapi_words import WORDS, OperationWithoutWords, describe_operations


def test_every_served_operation_has_its_words(base_url: str) -> None:
    document = httpx.get(base_url + "/schema/openapi.json", timeout=30).json()
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len(operations) == len(WORDS)
    for op in operations:
        assert (op["summary"], op["description"]) == WORDS[op["operationId"]]


def test_a_route_without_words_stops_the_application() -> None:
    @get("/api/v1/unnamed", operation_id="somethingNew")
    async def unnamed() -> None:
        return None

    with pytest.raises(OperationWithoutWords, match="somethingNew"):
        describe_operations(Litestar(route_handlers=[unnamed]).openapi_schema)
