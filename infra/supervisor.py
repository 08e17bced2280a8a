"""`barometre up`: the whole platform in one command, its processes supervised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from infra.demo import DEMO_PASSWORD, seed_demo
from infra.platform import Servers, WriteSide, locate_servers, prepare_database
from infra.settings import get_settings

PROCESSES = ("web", "projector", "worker")


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)


def _child_env(servers: Servers) -> dict[str, str]:
    env = dict(os.environ)
    env["BAROMETRE_DATABASE_URL"] = servers.admin.conninfo()
    env["BAROMETRE_REDIS_URL"] = servers.redis_url
    return env


def _start(child: Child, env: dict[str, str]) -> None:
    child.process = subprocess.Popen([sys.executable, "-m", "infra.cli", child.name], env=env)
    child.started_at = time.monotonic()


def up() -> int:
    settings = get_settings()
    print("Baromètre : démarrage de PostgreSQL et Redis…", flush=True)
    servers = locate_servers(settings)
    prepare_database(servers, settings)
    side = WriteSide(servers, settings, pool_size=2)
    logins = seed_demo(side)
    side.close()
    env = _child_env(servers)
    children = [Child(name) for name in PROCESSES]
    for child in children:
        _start(child, env)
    url = f"http://{settings.web_host}:{settings.web_port}"
    print(f"\nBaromètre est prêt : {url}  (API : {url}/api/v1, OpenAPI : {url}/schema)")
    print(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
    for demo in logins:
        print(f"  organisme {demo.organization:8}  identifiant {demo.login:12}  rôle {demo.role}")
    print("Ctrl+C pour arrêter.", flush=True)
    return _supervise(children, env)


def _supervise(children: list[Child], env: dict[str, str]) -> int:
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        for child in children:
            if child.process is not None and child.process.poll() is not None:
                # A crash loop backs off instead of spinning; a long-lived process restarts at once.
                backoff = 0 if time.monotonic() - child.started_at > 30 else min(2 ** child.restarts, 30)
                print(f"{child.name} s'est arrêté (code {child.process.returncode}); "
                      f"redémarrage dans {backoff} s", flush=True)
                time.sleep(backoff)
                child.restarts += 1
                _start(child, env)
        time.sleep(0.5)
    for child in children:
        if child.process is not None:
            child.process.terminate()
    for child in children:
        if child.process is not None:
            try:
                child.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.process.kill()
    return 0
