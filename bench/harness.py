"""What every benchmark here needs, whatever it measures: the bench's own servers and
database, child processes stopped with the bench, RSS and CPU sampling, percentiles, a
measure of the machine's speed, and cheap password hashing for the setup.

Importing it puts the repository root on sys.path and keeps the embedded servers of the
benchmarks in var/bench, apart from the dev and test ones (before any settings load)."""

from __future__ import annotations

import asyncio
import atexit
import ctypes
import math
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BAROMETRE_DATA_DIR", str(ROOT / "var" / "bench"))

import httpx
import psutil
import psycopg

from infra.database.migrate import drop_database
from infra.platform import Servers, locate_servers, prepare_database
from infra.settings import get_settings

PASSWORD = "bench-Password-0123-qol"
CSRF_HEADER = "X-CSRF-Token"


T = TypeVar("T")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None when there is no value."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def speed_probe() -> float:
    """Seconds for a 10-million-step Python loop, right now: this machine's speed drifts
    (0.23 to 0.41 s within one hour of 2026-11-24), so each report says what it ran on."""
    started = time.perf_counter()
    for _ in range(10_000_000):
        pass
    return round(time.perf_counter() - started, 3)


def summary_ms(seconds: Sequence[float]) -> dict[str, Any]:
    def ms(v: float | None) -> float | None:
        return None if v is None else round(v * 1000, 2)
    return {"count": len(seconds), "p50_ms": ms(percentile(seconds, 50)),
            "p99_ms": ms(percentile(seconds, 99)),
            "mean_ms": ms(sum(seconds) / len(seconds)) if seconds else None,
            "max_ms": ms(max(seconds)) if seconds else None}


def run_client_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a load generator's coroutine on uvloop (installed with uvicorn, as the web's own
    loop): the generator shares the cores with the system it measures, and asyncio's default
    loop costs it more CPU per request."""
    import uvloop

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Child processes -----------------------------------------------------------------------
def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the benchmark dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Children:
    """The web and projector processes; all stopped on exit, exception or signal."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        atexit.register(self.stop_all)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        out = (self.log_dir / f"{name}.log").open("wb")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                                # Started before any thread of ours runs (the setup's pool is closed).
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)  # noqa: PLW1509
        self.procs[name] = proc
        return proc

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"the {name} process exited with {proc.returncode}:\n"
                                   f"{self.log_tail(name)}")

    def stop(self, name: str, timeout: float = 15) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)


def _raise_interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


# Resource sampling ---------------------------------------------------------------------
class RssSampler(threading.Thread):
    """Peak RSS of named processes, sampled every interval seconds.

    A process's children are looked up once a second, not at every sample: psutil finds
    them by reading every process's /proc entry (2.6 ms of CPU here), and at two watched
    processes and ten samples a second that took about 5 % of a core from the processes
    under measurement."""

    CHILDREN_EVERY = 1.0  # seconds between two lookups of a process's children

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.interval = interval
        self.procs: dict[str, psutil.Process] = {"bench": psutil.Process()}
        self.family: dict[str, tuple[float, list[psutil.Process]]] = {}
        self.peak: dict[str, int] = {}
        self.samples = 0
        self.halt = threading.Event()
        self.lock = threading.Lock()

    def watch(self, name: str, pid: int) -> None:
        with self.lock:
            self.procs[name] = psutil.Process(pid)

    def _family(self, name: str, proc: psutil.Process) -> list[psutil.Process]:
        now = time.monotonic()
        found, family = self.family.get(name, (-math.inf, []))
        if now - found >= self.CHILDREN_EVERY or not family or family[0] is not proc:
            family = _with_children(proc)
            self.family[name] = (now, family)
        return family

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            with self.lock:
                procs = list(self.procs.items())
            for name, proc in procs:
                try:
                    rss = sum(p.memory_info().rss for p in self._family(name, proc))
                except psutil.Error:  # a child ended: look its family up again next time
                    self.family.pop(name, None)
                    continue
                self.peak[name] = max(self.peak.get(name, 0), rss)
            self.samples += 1

    def peak_mib(self) -> dict[str, float]:
        return {name: round(rss / 2**20, 1) for name, rss in self.peak.items()}


def _with_children(proc: psutil.Process) -> list[psutil.Process]:
    """A child process of the bench and its own children (the web's worker processes when
    it has several); the bench itself without its children, which are measured apart."""
    if proc.pid == os.getpid():
        return [proc]
    return [proc, *proc.children(recursive=True)]


def _cpu(proc: psutil.Process) -> float:
    total = 0.0
    for p in _with_children(proc):
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def postgres_backends(dbname: str) -> dict[int, float]:
    """CPU seconds of every PostgreSQL backend connected to the benchmark database."""
    found: dict[int, float] = {}
    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            if cmdline.startswith("postgres:") and f" {dbname} " in f"{cmdline} ":
                found[proc.pid] = _cpu(proc)
        except psutil.Error:
            continue
    return found


@dataclass
class CpuMark:
    at: float
    procs: dict[str, float]
    backends: dict[int, float]
    machine: Any


def cpu_mark(procs: dict[str, psutil.Process], dbname: str) -> CpuMark:
    values = {}
    for name, proc in procs.items():
        try:
            values[name] = _cpu(proc)
        except psutil.Error:
            values[name] = float("nan")
    return CpuMark(time.perf_counter(), values, postgres_backends(dbname), psutil.cpu_times())


def cpu_between(a: CpuMark, b: CpuMark) -> dict[str, Any]:
    """CPU seconds each part used between two marks, and how busy the whole machine was."""
    wall = b.at - a.at
    used = {name: round(b.procs[name] - a.procs.get(name, 0.0), 2) for name in b.procs}
    used["postgres_backends"] = round(
        sum(cpu - a.backends.get(pid, 0.0) for pid, cpu in b.backends.items()), 2)
    busy = lambda t: t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0)
    machine_busy = busy(b.machine) - busy(a.machine)
    cores = psutil.cpu_count() or 1
    ours = sum(v for v in used.values() if not math.isnan(v))
    return {"wall_s": round(wall, 3), "cpu_s": used,
            "machine_busy_pct": round(100 * machine_busy / (wall * cores), 1) if wall else None,
            "other_processes_cpu_s": round(max(0.0, machine_busy - ours), 2)}


@contextmanager
def cheap_password_hashing() -> Iterator[None]:
    """Setup only, in this process: argon2id with small parameters. The hash carries its
    parameters, so the web process verifies it as any other; nothing measured hashes."""
    from argon2 import PasswordHasher

    from services import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        yield
    finally:
        passwords._hasher = original


def wait_for_health(base_url: str, children: Children, timeout: float = 60) -> float:
    started = time.perf_counter()
    deadline = started + timeout
    while True:
        children.check_alive()
        try:
            if httpx.get(base_url + "/health", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the web server did not answer /health within {timeout} s:\n"
                               f"{children.log_tail('web')}")
        time.sleep(0.1)


def command_line() -> str:
    env = [f"{k}={shlex.quote(os.environ[k])}" for k in
           ("BAROMETRE_DATABASE_URL", "BAROMETRE_REDIS_URL", "BAROMETRE_DATA_DIR")
           if k in os.environ and not (k == "BAROMETRE_DATA_DIR"
                                       and os.environ[k] == str(ROOT / "var" / "bench"))]
    return " ".join([*env, shlex.join([sys.executable, *sys.argv])])


@contextmanager
def bench_database(keep: bool) -> Iterator[tuple[Servers, str]]:
    dbname = f"barometre_bench_{secrets.token_hex(4)}"
    servers = locate_servers(get_settings(), dbname=dbname)
    try:
        prepare_database(servers)
        yield servers, dbname
    finally:
        if keep:
            log(f"kept database {dbname} ({servers.admin.conninfo()})")
        else:
            try:
                drop_database(servers.admin, dbname)
            except psycopg.Error as exc:
                log(f"could not drop {dbname}: {exc}")
