"""The API served by uvicorn on a real port, with a projector following the events."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
import uvicorn
from litestar import Litestar

from infra.http.app import create_app
from infra.platform import Servers, WriteSide, all_projections, event_mapper
from infra.projector import ApplicationFollower, application_runners
from services.actor import Actor
from tests.conftest import PASSWORD, Org


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def projector(servers: Servers) -> Iterator[None]:
    stop = threading.Event()
    runners = application_runners(all_projections(), event_mapper())
    followers = [ApplicationFollower(servers.projector_db().conninfo(), "all", runners, stop, 0.2)]
    for follower in followers:
        follower.start()
    yield
    stop.set()
    for follower in followers:
        follower.join(timeout=5)


@contextmanager
def serving(app: Litestar) -> Iterator[str]:
    """The app served by uvicorn on a free port, in a thread; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(servers: Servers, write_side: WriteSide, projector: None) -> Iterator[str]:
    with serving(create_app(servers, write_side=write_side)) as url:
        yield url


def logged_in(base_url: str, org: Org, login: str, password: str = PASSWORD,
              timeout: float = 30) -> httpx.Client:
    """An HTTP client on the API carrying the user's session cookie and CSRF header."""
    client = httpx.Client(base_url=base_url + "/api/v1", timeout=timeout)
    response = client.post("/auth/login", json={"organization": org.slug, "login": login,
                                                "password": password})
    assert response.status_code == 200, response.text
    # Cookie sessions must send their CSRF token on POST/PUT/PATCH/DELETE (ADR 0009).
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


@pytest.fixture
def login(base_url: str) -> Iterator[Callable[..., httpx.Client]]:
    """Logs a user in and returns an HTTP client that carries their session cookie."""
    clients: list[httpx.Client] = []

    def make(org: Org, login: str, password: str = PASSWORD) -> httpx.Client:
        clients.append(client := logged_in(base_url, org, login, password))
        return client
    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url + "/api/v1", timeout=30) as client:
        yield client


def count_events(projector_conn: psycopg.Connection[Any], org: Org) -> int:
    """Events of every application stored for this tenant (the projector role sees all)."""
    row = projector_conn.execute(
        "SELECT (SELECT count(*) FROM qualityoflife_events WHERE tenant_id = %(t)s)"
        " + (SELECT count(*) FROM accounts_events WHERE tenant_id = %(t)s)",
        {"t": org.tenant_id}).fetchone()
    assert row is not None
    return int(row[0])


# Consent ----------------------------------------------------------------------------------
ALL_TABS = ("quality_of_life", "social_network", "strengths", "plan")


def wait_for_views(org: Org, application: str, notification_id: int,
                   timeout: float = 10.0) -> None:
    """Until every view of the application has applied the notification for the tenant (the
    session's projector applies it; the access guard reads consent and teams from views)."""
    expected = sum(p.application == application for p in all_projections())
    deadline = time.monotonic() + timeout
    while True:
        with org.side.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT set_config('app.tenant_id', %s, true)", [str(org.tenant_id)])
            cur.execute("SELECT count(*) AS done FROM projection_tracking"
                        " WHERE application = %s AND notification_id >= %s",
                        [application, notification_id])
            row = cur.fetchone()
        if row is not None and row["done"] >= expected:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{application} views did not reach notification {notification_id}")
        time.sleep(0.02)


def grant(org: Org, person: Actor, grantee: Actor | UUID, tabs: Sequence[str] = ALL_TABS,
          level: str = "co_edit", until: datetime | None = None) -> UUID:
    """The person grants `grantee` (a practitioner or close person, or a team id) access to
    `tabs`, through the service as the person; returns once the guard will see it."""
    if isinstance(grantee, UUID):
        kind, grantee_id = "team", grantee
    else:
        kind, grantee_id = grantee.role, grantee.user_id
    result = org.side.consent.grant(person, person.user_id, kind, grantee_id, list(tabs), level,
                                    until)
    wait_for_views(org, "Consent", result.notification_id)
    return result.id


def open_org(side: WriteSide, region: str = "qc") -> Org:
    """A new organization (tenant) with its admin; for module-scoped fixtures."""
    slug = f"org-{secrets.token_hex(4)}"
    result = side.accounts.register_organization(slug, f"Organisme {slug}", region, "admin",
                                                 "Admin", PASSWORD)
    return Org(result.id, slug, side.accounts.authenticate(slug, "admin", PASSWORD), side)


def token_client(base_url: str, org: Org, actor: Actor) -> httpx.Client:
    """An API client authenticated by a fresh API token of `actor` (no cookie, no login)."""
    issued = org.side.accounts.issue_token(actor, "tests", 1)
    return httpx.Client(base_url=base_url + "/api/v1", timeout=30,
                        headers={"authorization": f"Bearer {issued.token}"})



# The OpenAPI document, read by tests that must cover every route of a person's record ------
RECORD_PREFIX = "/api/v1/persons/{person_id}"
KNOWN_BODIES = {  # bodies the services accept, for writes the matrix expects to succeed
    "/assessments": None,
    "/network/relationships": {"name": "Sophie", "relationship_type": "family", "quality": 4,
                               "closeness": "inner", "frequency": "weekly"},
    "/strengths": {"kind": "skill", "text": "Je cuisine"},
    "/plan/goals": {"text": "Finir mes cours de chimie"},
}


def openapi_document(base_url: str) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(base_url + "/schema/openapi.json", timeout=30).json()
    return document


def record_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path template, operation) of every operation whose path has {person_id}."""
    return [(method.upper(), path, op) for path, item in document["paths"].items()
            if "{person_id}" in path for method, op in item.items()
            if method in ("get", "head", "post", "put", "patch", "delete")]


def plausible(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A value of the JSON schema, good enough to get past decoding (not business rules)."""
    if "$ref" in schema:
        return plausible(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth + 1)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return plausible(options[0], components, depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "object")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "object":
        required = schema.get("required", [])
        return {name: plausible(prop, components, depth + 1)
                for name, prop in schema.get("properties", {}).items() if name in required}
    if kind == "array":
        return [plausible(schema.get("items", {}), components, depth + 1)] if depth < 6 else []
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    formats = {"uuid": str(UUID(int=secrets.randbits(128))), "date-time": "2026-01-15T12:00:00Z",
               "date": "2026-01-15"}
    return formats.get(schema.get("format", ""), "housing")


def fill(path: str, op: dict[str, Any], person_id: UUID,
         components: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    """The path with its parameters (the person given, made-up ids for the rest), the required
    query parameters, and a plausible JSON body."""
    query: dict[str, Any] = {}
    for param in op.get("parameters", []):
        value = plausible(param.get("schema", {}), components)
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", str(person_id)
                                if param["name"] == "person_id" else str(value))
        elif param["in"] == "query" and param.get("required"):
            query[param["name"]] = value
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    return path, query, plausible(body["schema"], components) if "schema" in body else None
