"""`barometre up`: the whole platform in one command, its processes supervised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from infra.demo import DEMO_PASSWORD, seed_demo
from infra.platform import Servers, locate_servers, prepare_database
from infra.settings import get_settings

PROCESSES = ("web", "projector", "worker")


@dataclass(frozen=True)
class RestartPolicy:
    """When a stopped child starts again: at once if its run was healthy (`healthy_seconds` or
    more) or the first short one; after a second short run in a row, in `first_backoff`
    seconds, doubling with each further one up to `max_backoff`. A healthy run starts the
    count again."""

    healthy_seconds: float = 60.0
    first_backoff: float = 1.0
    max_backoff: float = 30.0

    def backoff(self, short_runs: int) -> float:
        """The wait before a restart, after `short_runs` consecutive runs that were too short."""
        if short_runs <= 1:
            return 0.0
        return min(self.first_backoff * 2 ** (short_runs - 2), self.max_backoff)


@dataclass
class Child:
    """One supervised program and its own restart state: no child waits on another's back-off."""

    name: str
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    short_runs: int = 0  # runs in a row shorter than the policy's healthy run
    restart_at: float | None = None  # when a stopped child is started again

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(self.command, env=env)
        self.started_at, self.restart_at = time.monotonic(), None
        print(f"{self.name} démarré (started), pid {self.process.pid}", flush=True)

    def schedule_restart(self, policy: RestartPolicy, now: float) -> None:
        """Called once when the child is found stopped: its next start, by its own history."""
        healthy = now - self.started_at >= policy.healthy_seconds
        self.short_runs = 0 if healthy else self.short_runs + 1
        backoff = policy.backoff(self.short_runs)
        self.restart_at = now + backoff
        code = self.process.returncode if self.process else None
        print(f"{self.name} s'est arrêté (code {code}); redémarrage dans {backoff:g} s"
              f" (restart in {backoff:g} s)", flush=True)


def supervise(children: list[Child], env: dict[str, str], stop: threading.Event,
              policy: RestartPolicy = RestartPolicy(), tick: float = 0.1) -> None:
    """Starts the children, restarts each one that stops by its own back-off, and stops them
    all (SIGTERM, then SIGKILL after 10 s) once `stop` is set. The loop never sleeps longer
    than `tick`, so a child whose back-off is due is started within `tick` of it."""
    for child in children:
        child.start(env)
    while not stop.wait(tick):
        now = time.monotonic()
        for child in children:
            if child.restart_at is None and child.process is not None and child.process.poll() is not None:
                child.schedule_restart(policy, now)
            if child.restart_at is not None and now >= child.restart_at:
                child.start(env)
    _stop_all(children)


def _stop_all(children: list[Child]) -> None:
    running = [c.process for c in children if c.process is not None and c.process.poll() is None]
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _child_env(servers: Servers) -> dict[str, str]:
    env = dict(os.environ)
    env["BAROMETRE_DATABASE_URL"] = servers.admin.conninfo()
    env["BAROMETRE_REDIS_URL"] = servers.redis_url
    return env


def up() -> int:
    settings = get_settings()
    print("Baromètre : démarrage de PostgreSQL et Redis…", flush=True)
    servers = locate_servers(settings)
    prepare_database(servers, settings)
    seeding = time.monotonic()
    logins = seed_demo(servers, settings)
    print(f"Données de démonstration prêtes en {time.monotonic() - seeding:.1f} s"
          " (un an d'historique; le projecteur les met en vue au démarrage).", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    children = [Child(name, [sys.executable, "-m", "infra.cli", name]) for name in PROCESSES]
    url = f"http://{settings.web_host}:{settings.web_port}"
    print(f"\nBaromètre est prêt : {url}  (API : {url}/api/v1, OpenAPI : {url}/schema)")
    print(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
    for demo in logins:
        print(f"  organisme {demo.organization:8}  identifiant {demo.login:12}"
              f"  rôle {demo.role:13} {demo.name}")
    print("Ctrl+C pour arrêter.", flush=True)
    supervise(children, _child_env(servers), stop)
    return 0
