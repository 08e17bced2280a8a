"""The access-log row is committed without waiting for its WAL flush (ADR 0011), and only
that row: every other transaction of the same connection keeps synchronous commit."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg

from infra.platform import Servers
from tests.conftest import Org

RECORD = "SELECT record_access(%s, %s, 'practitioner', %s, 'summary', 'read', 'GET', %s," \
         " 'allowed', 'test')"


def _setting(conn: psycopg.Connection[Any]) -> str:
    return str(conn.execute("SHOW synchronous_commit").fetchone()[0])  # type: ignore[index]


def test_record_access_commits_asynchronously_and_only_itself(servers: Servers, org: Org) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    path = f"/probe/{uuid4()}"
    with psycopg.connect(servers.web_db().conninfo()) as web:
        before = _setting(web)
        web.commit()
        web.execute(RECORD, [org.tenant_id, practitioner.user_id, person.user_id, path])
        inside = _setting(web)
        web.commit()
        after = _setting(web)
        web.commit()
    assert before == "on" and inside == "off" and after == "on"
    with psycopg.connect(servers.web_db().conninfo()) as reader:
        reader.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
        rows = reader.execute("SELECT actor_id, outcome FROM access_log WHERE path = %s",
                              [path]).fetchall()
    assert rows == [(practitioner.user_id, "allowed")]
