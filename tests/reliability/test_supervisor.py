"""`barometre up`'s supervision, with real child processes: each child restarts on its own
back-off, reset after a healthy run, and one child's back-off never delays another's restart."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import httpx

from infra.supervisor import Child, RestartPolicy, supervise

ROOT = Path(__file__).resolve().parents[2]

# A fake child: reads how many seconds it is to live (a file, read at each start, so a test
# can change it), notes the time it started in its log, then exits with 3 after that time.
FAKE_CHILD = ("import pathlib, sys, time\n"
              "log, lifetime = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
              "seconds = float(lifetime.read_text())\n"
              "with log.open('a') as f: f.write(f'{time.monotonic()}\\n')\n"
              "time.sleep(seconds)\n"
              "sys.exit(3)\n")


class FakeChild:
    def __init__(self, folder: Path, name: str, lifetime: float) -> None:
        self.log, self.lifetime = folder / f"{name}.log", folder / f"{name}.lifetime"
        self.lifetime.write_text(str(lifetime))
        self.child = Child(name, [sys.executable, "-c", FAKE_CHILD, str(self.log), str(self.lifetime)])

    def starts(self) -> list[float]:
        return [float(line) for line in self.log.read_text().split()] if self.log.exists() else []

    def wait_for_starts(self, count: int, timeout: float) -> list[float]:
        deadline = time.monotonic() + timeout
        while len(starts := self.starts()) < count:
            assert time.monotonic() < deadline, f"{self.child.name} started {len(starts)} times"
            time.sleep(0.02)
        return starts


@contextmanager
def supervising(children: list[Child], policy: RestartPolicy,
                env: dict[str, str] | None = None) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=supervise, args=(children, env or dict(os.environ), stop, policy))
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
    assert all(c.process is None or c.process.poll() is not None for c in children)


def test_a_child_in_a_crash_loop_does_not_delay_the_restart_of_another(tmp_path):
    crashing = FakeChild(tmp_path, "crashing", lifetime=0)
    steady = FakeChild(tmp_path, "steady", lifetime=3600)
    policy = RestartPolicy(healthy_seconds=60, first_backoff=20, max_backoff=20)
    with supervising([crashing.child, steady.child], policy):
        crashing.wait_for_starts(2, timeout=30)  # it crashed twice: its next start is 20 s away
        time.sleep(0.3)
        assert steady.child.process is not None
        steady.child.process.kill()
        killed_at = time.monotonic()

        restarted = steady.wait_for_starts(2, timeout=10)[1]

    assert restarted - killed_at < 2  # the tick (0.1 s) and a Python start, not 20 s
    assert len(crashing.starts()) == 2


def test_the_back_off_grows_with_each_short_run_and_resets_after_a_healthy_run(tmp_path):
    child = FakeChild(tmp_path, "projector", lifetime=0)
    policy = RestartPolicy(healthy_seconds=0.8, first_backoff=0.4, max_backoff=1.6)
    with supervising([child.child], policy):
        child.wait_for_starts(5, timeout=30)  # four crashes: waited 0, 0.4, 0.8 then 1.6 s
        child.lifetime.write_text("1")  # the next start lives longer than a healthy run
        starts = child.wait_for_starts(7, timeout=30)

    gaps = [b - a for a, b in pairwise(starts)]
    assert gaps[0] < 0.4  # a first short run: restarted at once
    assert 0.4 <= gaps[1] and 0.8 <= gaps[2]
    assert 1.6 <= gaps[3] < 2.4 and 1.6 <= gaps[4] < 2.4  # at most max_backoff
    # Its sixth run was healthy (1 s >= 0.8 s): restarted at once, not 1.6 s after it stopped.
    assert 1.0 <= gaps[5] < 1.8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_health(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the web process did not answer /health"
        time.sleep(0.05)


def test_a_killed_web_process_is_started_again_at_once_while_another_child_backs_off(
        tmp_path, cli_env):
    port = _free_port()
    web = Child("web", [sys.executable, "-m", "infra.cli", "web"])
    crashing = FakeChild(tmp_path, "worker", lifetime=0)
    policy = RestartPolicy(first_backoff=30, max_backoff=30)
    env = {**cli_env, "BAROMETRE_WEB_PORT": str(port)}
    health = f"http://127.0.0.1:{port}/health"
    with supervising([web, crashing.child], policy, env):
        _wait_for_health(health, timeout=90)
        crashing.wait_for_starts(2, timeout=30)  # the worker now waits 30 s before its next start
        assert web.process is not None
        first = web.process.pid
        os.kill(first, signal.SIGKILL)
        killed_at = time.monotonic()
        while web.process.pid == first:
            assert time.monotonic() - killed_at < 2, "the web process was not started again"
            time.sleep(0.02)

        _wait_for_health(health, timeout=90)  # and it serves (its start-up takes seconds here)

    assert len(crashing.starts()) == 2
