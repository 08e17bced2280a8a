"""The access-log row is committed without waiting for its WAL flush (ADR 0011), and only
that row: every other transaction of the same connection keeps synchronous commit. The
statement is the one the guard sends (`record_checked_access`, ADR 14), with no stamp to
verify and with the current one."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
import pytest

from infra.platform import Servers
from tests.conftest import Org

RECORD = ("SELECT record_checked_access({stamp}, {until}, %(tenant)s, %(actor)s, 'practitioner',"
          " %(person)s, 'summary', 'read', 'GET', %(path)s, 'allowed', 'test')")
UNCHECKED = RECORD.format(stamp="NULL", until="NULL")
CHECKED = RECORD.format(stamp="%(stamp)s", until="now() + interval '1 hour'")


def _setting(conn: psycopg.Connection[Any]) -> str:
    return str(conn.execute("SHOW synchronous_commit").fetchone()[0])  # type: ignore[index]


@pytest.mark.parametrize("statement", [UNCHECKED, CHECKED], ids=["unchecked", "checked"])
def test_the_row_commits_asynchronously_and_only_itself(servers: Servers, org: Org,
                                                         catch_up: Any, statement: str) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    catch_up()  # the views have every event of the tenant: its stamp stays put
    path = f"/probe/{uuid4()}"
    with psycopg.connect(servers.web_db().conninfo()) as web:
        web.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
        stamp = web.execute("SELECT access_stamp(%s)", [org.tenant_id]).fetchone()[0]  # type: ignore[index]
        web.commit()
        before = _setting(web)
        web.commit()
        web.execute(statement, {"tenant": org.tenant_id, "actor": practitioner.user_id,
                                "person": person.user_id, "path": path, "stamp": stamp})
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
