"""Read-your-writes on a stream the projector parked (ADR 26): answered at once, not promised."""

from __future__ import annotations

import json
import time

import psycopg

from tests.http.conftest import grant

RYW = {"prefer": "read-your-writes"}


def test_a_command_on_a_parked_stream_answers_without_waiting_or_claiming_its_views(
        org, login, servers, write_side) -> None:
    person, practitioner = org.open("person"), org.open("practitioner")
    grant(org, person, practitioner)
    client = login(org, practitioner.login)
    url = f"/persons/{person.user_id}/assessments"
    assessment = client.post(url, headers=RYW).json()["id"]
    url += f"/{assessment}"
    assert client.post(url + "/comments", json={"theme": "food", "text": "ok"}).status_code == 200
    with psycopg.connect(servers.admin.conninfo(), autocommit=True) as admin:
        # A stored comment the views cannot hold (a NUL), as an older release let through.
        version, topic, state = admin.execute(
            "SELECT originator_version, topic, state FROM qualityoflife_events"
            " WHERE originator_id = %s ORDER BY originator_version DESC LIMIT 1",
            [assessment]).fetchone()
        poisoned = json.loads(bytes(state))
        poisoned["text"] = "a\u0000b"
        admin.execute("SELECT barometre_insert_into_qualityoflife_events(%s, %s, %s, %s, %s)",
                      [org.tenant_id, [assessment], [version + 1], [topic],
                       [json.dumps(poisoned).encode()]])

    started = time.monotonic()
    rated = client.post(url + "/ratings", headers=RYW,
                        json={"ratings": [{"theme": "housing", "value": 80}]})
    waited = time.monotonic() - started

    assert rated.status_code == 200  # stored: the command itself succeeded
    assert "preference-applied" not in rated.headers  # its views do not show it
    assert waited < 3  # the projector's usual lag, not the 5 s timeout
