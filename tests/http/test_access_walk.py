"""Every operation of the API on a person's record, walked as callers without consent: each
is refused (403, or 404 outside the tenant) and each refusal is in the access log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from services.actor import Actor
from tests.conftest import PASSWORD, Org
from tests.http.conftest import (
    RECORD_PREFIX,
    fill,
    grant,
    open_org,
    openapi_document,
    record_operations,
    token_client,
)

# Path parameters that name a part of someone's record: a route taking one must sit under
# the person's path, where the consent guard runs.
RECORD_PARAMETERS = ("{person_id}", "{assessment_id}", "{relationship_id}", "{strength_id}",
                     "{goal_id}", "{action_id}", "{grant_id}", "{request_id}")

# How a practitioner seeks consent: open to practitioners of the organization without consent.
SEEKING = {"getConsent", "requestAccess", "recordConsentGivenInPerson"}


@dataclass
class Walk:
    org: Org
    person: Actor
    document: dict[str, Any]
    callers: dict[str, tuple[Actor, httpx.Client]]


@pytest.fixture(scope="module")
def walk(write_side, base_url) -> Iterator[Walk]:  # type: ignore[no-untyped-def]
    org, elsewhere = open_org(write_side), open_org(write_side)
    person = org.open("person")
    # Consent exists on the record, but for someone else: it must not leak to the callers.
    grant(org, person, org.open("practitioner"))
    close = write_side.accounts.actor(org.tenant_id, write_side.accounts.open_account(
        person, f"{person.login}-proche", "Proche", "close_person", PASSWORD).id)
    outsider = elsewhere.open("practitioner")
    grant(elsewhere, elsewhere.open("person"), outsider)  # consent in their own tenant only
    actors = {"practitioner without consent": (org, org.open("practitioner")),
              "close person without consent": (org, close),
              "team manager": (org, org.open("team_manager")),
              "org admin": (org, org.admin), "auditor": (org, org.open("auditor")),
              "practitioner of another tenant": (elsewhere, outsider)}
    callers = {name: (actor, token_client(base_url, o, actor))
               for name, (o, actor) in actors.items()}
    for _, client in callers.values():
        client.base_url = httpx.URL(base_url)
    yield Walk(org, person, openapi_document(base_url), callers)
    for _, client in callers.values():
        client.close()


def logged(projector_conn: Any, actor: Actor) -> list[tuple[str, str, str]]:
    rows = projector_conn.execute(
        "SELECT method, path, outcome FROM access_log WHERE tenant_id = %s AND actor_id = %s"
        " ORDER BY id", [actor.tenant_id, actor.user_id]).fetchall()
    return [(m, p, o) for m, p, o in rows]


def test_the_api_has_routes_on_a_persons_record_to_walk(walk: Walk) -> None:
    operations = record_operations(walk.document)
    assert len(operations) >= 30
    segments = {path.removeprefix(RECORD_PREFIX).split("/")[1] for _, path, _ in operations}
    assert {"assessments", "network", "strengths", "plan", "consent", "access-log"} <= segments


def test_every_route_naming_a_part_of_a_record_sits_under_the_persons_path(walk: Walk) -> None:
    outside = [path for path in walk.document["paths"]
               if any(p in path for p in RECORD_PARAMETERS)
               and not path.startswith(RECORD_PREFIX + "/")]
    assert outside == []


@pytest.mark.parametrize("caller", ["practitioner without consent", "close person without consent",
                                    "team manager", "org admin", "auditor",
                                    "practitioner of another tenant"])
def test_every_operation_on_a_record_is_refused_and_logged_without_consent(
        walk: Walk, caller: str, projector_conn) -> None:  # type: ignore[no-untyped-def]
    """The only exception: how a practitioner of the organization seeks consent (ask for it,
    record it given in person, see what concerns them), which returns nothing of the record."""
    actor, client = walk.callers[caller]
    components = walk.document.get("components", {}).get("schemas", {})
    before = len(logged(projector_conn, actor))
    sent, leaks = [], []
    for method, path, op in record_operations(walk.document):
        url, query, body = fill(path, op, walk.person.user_id, components)
        response = client.request(method, url, params=query,
                                  json=body if method in ("POST", "PUT", "PATCH") else None)
        seeking = caller == "practitioner without consent" and op["operationId"] in SEEKING
        sent.append((method, url, "allowed" if seeking else "denied"))
        if seeking:
            if response.status_code in (403, 404) or (
                    method == "GET" and response.json() != {"grants": [], "requests": [],
                                                     "grants_next_cursor": None,
                                                     "requests_next_cursor": None}):
                leaks.append((method, path, response.status_code, response.text[:200]))
        elif response.status_code not in ((404,) if "another tenant" in caller else (403, 404)):
            leaks.append((method, path, response.status_code, response.text[:200]))
    assert leaks == []
    assert logged(projector_conn, actor)[before:] == sent
