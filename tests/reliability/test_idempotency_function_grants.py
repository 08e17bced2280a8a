"""Only the web role may call the functions that remember a command's answer: they run as
their owner, past the web role's read-only grant on the keys table."""

from __future__ import annotations

import psycopg
import pytest

from infra.platform import Servers

FUNCTIONS = ("remember_answer", "remember_answer_alone", "idempotent_answer")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_only_the_web_role_may_call_an_idempotency_function(servers: Servers, name: str) -> None:
    def may_execute(role: str) -> bool:
        with psycopg.connect(servers.admin.conninfo(), autocommit=True) as conn:
            row = conn.execute("SELECT bool_or(has_function_privilege(%s, p.oid, 'EXECUTE'))"
                               " FROM pg_proc p WHERE p.proname = %s", [role, name]).fetchone()
        return bool(row and row[0])

    assert may_execute("barometre_web")
    assert not may_execute("barometre_projector")
    assert not may_execute("pg_monitor")  # any role that was granted nothing
