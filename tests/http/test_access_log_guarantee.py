"""No record data leaves without its access-log row: if the row cannot be written, the
response is not sent; a 500 problem goes out instead, whatever the handler answered."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.http.conftest import grant


@pytest.mark.parametrize("suffix", ["/summary", f"/plan/goals/{uuid4()}", "/timeline?limit=0"])
def test_a_read_whose_access_log_row_cannot_be_written_returns_no_data(org, login, servers,
                                                                       suffix):
    import psycopg

    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    url = f"/persons/{person.user_id}{suffix}"
    before = client.get(url).status_code
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        admin.execute("REVOKE INSERT ON access_log FROM barometre_web")
        try:
            response = client.get(url)
        finally:
            admin.execute("GRANT INSERT ON access_log TO barometre_web")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] and "quality_of_life" not in response.text
    assert client.get(url).status_code == before
