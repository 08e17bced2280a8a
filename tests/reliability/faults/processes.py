"""The platform's processes, started as `barometre up` starts them, that a test kills with -9.

The test plays the supervisor: it restarts what it killed, at once, so what is measured is the
platform's own recovery, not the supervisor's back-off."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from infra.platform import Servers
from tests.http.conftest import _free_port
from tests.reliability.conftest import barometre_env

ROOT = Path(__file__).resolve().parents[3]
KINDS = ("web", "projector", "worker")


class PlatformProcesses:
    """web, projector and worker on the given servers; output kept in files of `logs`."""

    def __init__(self, servers: Servers, logs: Path) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.queue = f"barometre-faults-{secrets.token_hex(3)}"
        self.logs = logs
        self.env = {**os.environ, **barometre_env(servers), "BAROMETRE_WEB_PORT": str(self.port),
                    "BAROMETRE_PROJECTOR_NICE": "0", "BAROMETRE_PASSWORD_HASHING": "fast"}
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.kills: dict[str, int] = dict.fromkeys(KINDS, 0)

    def start(self, kind: str) -> None:
        args = {"worker": ["--queue", self.queue, "--concurrency", "1"]}.get(kind, [])
        with open(self.logs / f"{kind}.log", "ab") as log:
            self.children[kind] = subprocess.Popen(
                [sys.executable, "-m", "infra.cli", kind, *args], cwd=ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT)
        if kind == "web":
            self.wait_for_web()

    def start_all(self) -> None:
        for kind in KINDS:
            self.start(kind)

    def pid(self, kind: str) -> int:
        return self.children[kind].pid

    def kill(self, kind: str) -> None:
        """kill -9, as a crash or the kernel's OOM killer would."""
        child = self.children[kind]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        self.kills[kind] += 1

    def restart_if_dead(self) -> list[str]:
        """Starts again any child that died; the kinds restarted."""
        dead = [kind for kind, child in self.children.items() if child.poll() is not None]
        for kind in dead:
            self.start(kind)
        return dead

    def wait_for_web(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.children["web"].poll() is not None:
                raise RuntimeError(f"the web process exited: see {self.logs / 'web.log'}")
            try:
                if httpx.get(self.base_url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the web process did not answer /health in time")

    def stop_all(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        for child in self.children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=5)
