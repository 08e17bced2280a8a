"""The OpenAPI document tells the truth: schemathesis walks every operation as a logged-in
person and as their practitioner, with path ids pinned to a real record, and fails on any
server error and on any answer whose status, headers, media type or body the document does
not declare."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from requests.adapters import HTTPAdapter
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.actor import Actor
from services.network import NewRelationship
from tests.conftest import PASSWORD
from tests.http.conftest import grant, open_org, openapi_document

# These end or lock the caller's own session (wrong passwords count as failed logins): each
# is walked with an account of its own instead.
OWN_SESSION = ("logout", "revokeAllMySessions", "changePassword", "confirmTotp", "disableTotp")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@dataclass
class Record:
    """A person's record with something in every tab, and what the path ids are pinned to."""

    ids: dict[str, str]
    sessions: dict[str, requests.Session]


class _FromAddress(HTTPAdapter):
    """Sends from a loopback address of its own: the walk's wrong passwords count against
    that address's failed-login budget, not against 127.0.0.1's, which other tests use."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def _session(base_url: str, organization: str, login: str, address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    answer = session.post(f"{base_url}/api/v1/auth/login", json={
        "organization": organization, "login": login, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def _ids(write_side: Any, org: Any, person: Actor, practitioner: Actor) -> dict[str, str]:
    qol, network = write_side.quality_of_life, write_side.network
    assessment = qol.open_assessment(practitioner, person.user_id).id
    qol.rate(person, assessment, [("housing", 70)])
    relationship = network.add(person, person.user_id, NewRelationship(
        "Sophie", "family", 4, "inner", "weekly")).id
    strength = write_side.strengths.note(person, person.user_id, "skill", "Je cuisine").id
    goal = write_side.plan.set_goal(person, person.user_id, "Finir mes cours").id
    action = write_side.plan.add_action(person, person.user_id, goal, "M'inscrire",
                                        "person").id
    team = write_side.teams.create_team(org.admin, "Équipe Est").id
    token = write_side.accounts.issue_token(person, "schemathesis", 1).token_id
    request = write_side.consent.request_access(practitioner, person.user_id, ["plan"],
                                                "read", "suivi").id
    return {"person_id": person.user_id, "assessment_id": assessment,
            "relationship_id": relationship, "strength_id": strength, "goal_id": goal,
            "action_id": action, "team_id": team, "token_id": token,
            "account_id": practitioner.user_id, "practitioner_id": practitioner.user_id,
            "request_id": request, "theme": "housing"}


@pytest.fixture(scope="module")
def record(write_side: Any, base_url: str) -> Iterator[Record]:
    org = open_org(write_side)
    person, practitioner = org.open("person"), org.open("practitioner")
    ids = {k: str(v) for k, v in _ids(write_side, org, person, practitioner).items()}
    ids["grant_id"] = str(grant(org, person, practitioner))
    sessions = {role: _session(base_url, org.slug, actor.login,  # type: ignore[attr-defined]
                               address)
                for role, actor, address in (("person", person, "127.0.0.2"),
                                             ("practitioner", practitioner, "127.0.0.3"))}
    yield Record(ids, sessions)
    for session in sessions.values():
        session.close()


def _pinned(document: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The document with every known path parameter reduced to the record's own id."""
    pinned = copy.deepcopy(document)
    for item in pinned["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter["in"] == "path" and parameter["name"] in ids:
                    parameter["schema"] = {"type": "string", "enum": [ids[parameter["name"]]]}
    return pinned


@pytest.fixture(scope="module")
def api_schema(base_url: str, record: Record) -> Any:
    document = _pinned(openapi_document(base_url), record.ids)
    return schemathesis.openapi.from_dict(document)


WALK = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))


def _walk(operations: Any, base_url: str, session: requests.Session) -> list[str]:
    """Each operation with hypothesis; the failures, one line each (all of them, not only the
    first, so one run shows everything the document gets wrong)."""
    failures = []
    for result in operations.get_all_operations():
        operation = result.ok()

        @WALK
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)
        try:
            call()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 (reported below)
            first = str(failure).strip().splitlines()
            failures.append(f"{operation.label}: {' / '.join(first[:6])}")
    return failures


@pytest.mark.parametrize("role", ["person", "practitioner"])
def test_every_operation_answers_as_documented(role: str, api_schema: Any, record: Record,
                                               base_url: str) -> None:
    operations = api_schema.exclude(operation_id=list(OWN_SESSION))
    failures = _walk(operations, base_url, record.sessions[role])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("operation_id", "address"), [
    (operation_id, f"127.0.0.{4 + n}") for n, operation_id in enumerate(OWN_SESSION)])
def test_ending_or_locking_ones_own_session_answers_as_documented(
        operation_id: str, address: str, api_schema: Any, write_side: Any, base_url: str) -> None:
    org = open_org(write_side)
    person = org.open("person")
    session = _session(base_url, org.slug, person.login, address)  # type: ignore[attr-defined]
    failures = _walk(api_schema.include(operation_id=operation_id), base_url, session)
    assert not failures, "\n".join(failures)
