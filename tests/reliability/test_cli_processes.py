"""The `barometre` command as its own process: create an organization, project, work."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import psutil
import psycopg

from infra.celery_app import make_celery
from infra.platform import Servers, WriteSide
from infra.tasks import REBUILD_PROJECTION
from tests.conftest import PASSWORD
from tests.reliability.conftest import barometre_env

ROOT = Path(__file__).resolve().parents[2]
BAROMETRE = [sys.executable, "-m", "infra.cli"]


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*BAROMETRE, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.communicate(timeout=30)


def test_a_separate_process_creates_an_organization_whose_admin_can_log_in(cli_env, write_side):
    slug = f"cli-{secrets.token_hex(4)}"
    env = {**cli_env, "BAROMETRE_ADMIN_PASSWORD": PASSWORD}

    done = subprocess.run(
        [*BAROMETRE, "create-organization", "--code", slug, "--name", "Organisme", "--region",
         "fr", "--admin-login", "chef", "--admin-name", "Chef"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)

    assert (done.returncode, done.stderr) == (0, "")
    admin = write_side.accounts.authenticate(slug, "chef", PASSWORD)
    assert str(admin.tenant_id) in done.stdout


def test_the_projector_projects_new_events_and_stops_cleanly_on_sigterm(own_database):
    env = {**os.environ, **barometre_env(own_database), "BAROMETRE_PROJECTOR_NICE": "7"}
    process = _start(env, "projector")
    side = WriteSide(own_database, pool_size=1)
    try:
        slug = f"proj-{secrets.token_hex(4)}"
        tenant_id = side.accounts.register_organization(
            slug, "Organisme", "qc", "admin", "Admin", PASSWORD).id
        _wait_until_projected(own_database, tenant_id, process)
        # It yields the CPU to request serving by the niceness configured (ADR 17).
        assert psutil.Process(process.pid).nice() == min(19, os.nice(0) + 7)
    finally:
        side.close()
        out, err = _stop(process)
    assert process.returncode == 0, err
    assert "projecteur arrêté" in out


def _wait_until_projected(servers: Servers, tenant_id: UUID,
                          process: subprocess.Popen[str]) -> None:
    """Polls the read model of a database only the projector process follows."""
    deadline = time.monotonic() + 30
    with psycopg.connect(servers.projector_db().conninfo(), autocommit=True) as conn:
        while not conn.execute("SELECT 1 FROM account_directory WHERE tenant_id = %s",
                               [tenant_id]).fetchone():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the projector did not project the new account"
            time.sleep(0.1)


def test_the_worker_command_runs_the_rebuilds_sent_to_its_queue(
        cli_env, servers, count_events):
    queue = f"barometre-test-{secrets.token_hex(4)}"
    process = _start(cli_env, "worker", "--queue", queue, "--concurrency", "1")
    try:
        # Sent before the worker is up: the message waits in Redis until it is.
        pending = make_celery(servers, queue=queue).tasks[REBUILD_PROJECTION].delay(
            "account_directory")
        result = pending.get(timeout=60)
    finally:
        _, err = _stop(process)
    assert result == {"projection": "account_directory", "events": count_events("Accounts")}
    assert process.returncode == 0, err


def test_the_web_command_serves_with_several_worker_processes(cli_env):
    import httpx

    from tests.http.conftest import _free_port

    port = _free_port()
    process = _start({**cli_env, "BAROMETRE_WEB_WORKERS": "2", "BAROMETRE_WEB_PORT": str(port)},
                     "web")
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
        workers = _spawned_workers(process.pid)
    finally:
        _stop(process)
    assert answer is not None and answer.json() == {"status": "ok"}
    assert len(workers) == 2


def _spawned_workers(pid: int) -> list[int]:
    """uvicorn's worker processes: children started by multiprocessing's spawn."""
    import psutil

    return [c.pid for c in psutil.Process(pid).children(recursive=True)
            if "spawn_main" in " ".join(c.cmdline())]
