"""An allowed read writes its access-log row in its own first statement (ADR 0011): exactly one
row per request whether the read answers 200, fails in the handler or is refused before it,
and no pooled connection is kept by any of them."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
import pytest

from infra.platform import Servers
from tests.http.conftest import grant


def _rows(servers: Servers, tenant_id: Any, path: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(servers.web_db().conninfo()) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_id)])
        return conn.execute("SELECT tab, action, outcome FROM access_log WHERE path = %s",
                            [path]).fetchall()  # type: ignore[return-value]


@pytest.fixture
def reader(org, login):  # type: ignore[no-untyped-def]
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    return login(org, practitioner.login), f"/persons/{person.user_id}"


@pytest.mark.parametrize(("suffix", "params", "status", "tab"), [
    ("/summary", {}, 200, "summary"),
    (f"/plan/goals/{uuid4()}", {}, 404, "plan"),  # the handler reads, then answers 404
    ("/timeline", {"limit": 0}, 400, "timeline"),  # refused before the handler runs
])
def test_each_allowed_read_leaves_exactly_one_row(org, servers, reader, suffix, params, status,
                                                  tab) -> None:
    client, base = reader
    response = client.get(base + suffix, params=params)
    assert response.status_code == status, response.text
    assert _rows(servers, org.tenant_id, "/api/v1" + base + suffix) == [(tab, "read", "allowed")]


def test_reads_that_fail_keep_no_connection(org, servers, reader) -> None:
    client, base = reader  # more failing reads in a row than the web's pool has connections
    for _ in range(15):
        assert client.get(f"{base}/plan/goals/{uuid4()}").status_code == 404
        assert client.get(base + "/timeline", params={"limit": 0}).status_code == 400
    assert client.get(base + "/summary").status_code == 200
