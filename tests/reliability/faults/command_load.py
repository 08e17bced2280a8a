"""Keyed commands sent as a careful client sends them, with every answer recorded.

Each writer is a person rating their own assessment, one command at a time. Command n of a
writer rates three themes with values that spell n, so the stored events tell which command
they belong to. A command is retried with the same Idempotency-Key after a connection error,
a timeout, any 5xx or a 409 "still running", until it is acknowledged (2xx)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx

from domain.catalog import load_catalog
from infra.platform import Servers, WriteSide

PASSWORD = "correct-horse-battery"
THEMES = tuple(list(load_catalog().themes)[:3])
RESOLVE_SECONDS = 20  # after the load stops, how long a command in flight may take to resolve


def values_of(index: int) -> tuple[int, int, int]:
    """The three ratings that spell command `index` (unique below 101 * 101)."""
    return index % 101, index // 101 % 101, 100 - index % 101


def index_of(values: tuple[int, ...]) -> int | None:
    """The command whose values these are; None for values no command sends together."""
    if len(values) != 3 or values[2] != 100 - values[0]:
        return None
    return values[0] + 101 * values[1]


@dataclass
class Writer:
    person_id: UUID
    assessment_id: UUID
    token: str

    @property
    def path(self) -> str:
        return f"/api/v1/persons/{self.person_id}/assessments/{self.assessment_id}/ratings"


@dataclass
class Command:
    writer: int
    index: int
    key: str = field(default_factory=lambda: secrets.token_hex(12))
    answer: dict[str, Any] | None = None  # the acknowledged body
    acked_at: float = 0.0
    last_outcome: str = ""

    def body(self) -> dict[str, Any]:
        return {"ratings": [{"theme": t, "value": v}
                            for t, v in zip(THEMES, values_of(self.index), strict=True)]}


@dataclass(frozen=True)
class Observation:
    """One answer (or its absence) as the client saw it."""

    at: float
    kind: str  # "write" or "read"
    outcome: str  # "201", "503", ..., or the transport error's class name
    elapsed: float
    retry_after: str | None = None
    problem_type: str = ""

    @property
    def status(self) -> int | None:
        return int(self.outcome) if self.outcome.isdigit() else None


def open_writers(servers: Servers, count: int) -> tuple[UUID, list[Writer]]:
    """An organization with `count` persons, each with an open assessment and an API token."""
    side = WriteSide(servers, pool_size=1)
    try:
        slug = f"faults-{secrets.token_hex(4)}"
        tenant_id = side.accounts.register_organization(slug, slug, "qc", "admin", "Admin",
                                                        PASSWORD).id
        admin = side.accounts.authenticate(slug, "admin", PASSWORD)
        writers = []
        for n in range(count):
            opened = side.accounts.open_account(admin, f"person-{n}", f"Person {n}", "person",
                                                PASSWORD)
            person = side.accounts.actor(tenant_id, opened.id)
            assessment = side.quality_of_life.open_assessment(person, person.user_id).id
            token = side.accounts.issue_token(person, "faults", 1).token
            writers.append(Writer(person.user_id, assessment, token))
        return tenant_id, writers
    finally:
        side.close()


class CommandLoad:
    """Writer threads (one per writer) and one reader thread against the web process."""

    def __init__(self, base_url: str, writers: list[Writer], timeout: float = 5.0) -> None:
        self.base_url, self.writers, self.timeout = base_url, writers, timeout
        self.commands: list[Command] = []
        self.observations: list[Observation] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    # Running ----------------------------------------------------------------------------
    def start(self) -> None:
        self.threads = [threading.Thread(target=self._write, args=(n,), daemon=True)
                        for n in range(len(self.writers))]
        self.threads.append(threading.Thread(target=self._read, daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        """Stops sending new commands; waits until the ones in flight are resolved."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=RESOLVE_SECONDS + 2 * self.timeout)

    def _write(self, n: int) -> None:
        writer = self.writers[n]
        with httpx.Client(base_url=self.base_url, timeout=self.timeout, headers={
                "Authorization": f"Bearer {writer.token}"}) as client:
            index = 0
            while not self.stopping.is_set():
                command = Command(n, index)
                with self.lock:
                    self.commands.append(command)
                self.send(client, writer, command, deadline=None)
                index += 1

    def send(self, client: httpx.Client, writer: Writer, command: Command,
             deadline: float | None) -> None:
        """Sends until acknowledged; after the load stops, for RESOLVE_SECONDS at most."""
        while True:
            observation, body = self._post(client, writer, command)
            command.last_outcome = observation.outcome + (f" {body}" if body else "")
            if observation.status is not None and 200 <= observation.status < 300:
                command.answer, command.acked_at = body, observation.at
                return
            if observation.status is not None and observation.status < 500 and not (
                    observation.status == 409 and "idempotency" in observation.problem_type):
                return  # refused: the answer is the command's outcome (checked by the test)
            if self.stopping.is_set() and deadline is None:
                deadline = time.monotonic() + RESOLVE_SECONDS
            if deadline is not None and time.monotonic() > deadline:
                return
            time.sleep(0.1)

    def _post(self, client: httpx.Client, writer: Writer,
              command: Command) -> tuple[Observation, Any]:
        return self._attempt(client, "write", lambda: client.post(
            writer.path, json=command.body(), headers={"Idempotency-Key": command.key}))

    def _read(self) -> None:
        writer = self.writers[0]
        with httpx.Client(base_url=self.base_url, timeout=self.timeout, headers={
                "Authorization": f"Bearer {writer.token}"}) as client:
            while not self.stopping.is_set():
                self._attempt(client, "read", lambda: client.get(
                    f"/api/v1/persons/{writer.person_id}/ratings"))
                time.sleep(0.05)

    def _attempt(self, client: httpx.Client, kind: str,
                 call: Callable[[], httpx.Response]) -> tuple[Observation, Any]:
        started = time.monotonic()
        try:
            response = call()
        except httpx.TransportError as error:
            observation = Observation(started, kind, type(error).__name__,
                                      time.monotonic() - started)
            body = None
            time.sleep(0.05)  # a refused connection fails at once: do not spin
        else:
            body = _json(response)
            problem = body.get("type", "") if isinstance(body, dict) else ""
            observation = Observation(started, kind, str(response.status_code),
                                      time.monotonic() - started,
                                      response.headers.get("retry-after"), str(problem))
        with self.lock:
            self.observations.append(observation)
        return observation, body

    def replay(self, commands: list[Command]) -> list[tuple[int, Any]]:
        """Sends acknowledged commands once more with their keys: (index, answer or outcome)."""
        answers = []
        for command in commands:
            writer = self.writers[command.writer]
            with httpx.Client(base_url=self.base_url, timeout=self.timeout, headers={
                    "Authorization": f"Bearer {writer.token}"}) as client:
                observation, body = self._post(client, writer, command)
            ok = observation.status is not None and 200 <= observation.status < 300
            answers.append((command.index, body if ok else f"{observation.outcome} {body}"))
        return answers

    # Results ----------------------------------------------------------------------------
    def acknowledged(self) -> list[Command]:
        return [c for c in self.commands if c.answer is not None]

    def unresolved(self) -> list[Command]:
        return [c for c in self.commands if c.answer is None]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:200]
