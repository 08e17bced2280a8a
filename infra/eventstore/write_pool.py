"""The write side's psycopg pool (services in worker threads), with bounded waits (ADR 29).

- A pooled connection the server closed (a restart) is discarded before use: an idle
  connection has nothing to read, so a readable socket means the server hung up. The caller
  gets another connection and never sees the stale one.
- While the server cannot be reached (the last connection attempt failed), a caller does
  not queue behind the pool's reconnection back-off: it makes one attempt of its own (refused
  at once, or CONNECT_SECONDS), so it is answered fast during an outage, and the first
  request after the outage gets a connection. Such a connection is closed after use.
- The pool gives a lost connection up after two quick attempts (`reconnect_timeout=0`) and
  grows again when callers wait, instead of retrying on a back-off that grows to minutes.
- A caller waits at most ACQUIRE_SECONDS for a connection in use by others (in slices of
  0.1 s, so that it stops waiting as soon as the server is found unreachable)."""

from __future__ import annotations

import select
import weakref
from time import monotonic
from typing import Any

from eventsourcing.postgres import ConnectionPool, PostgresDatastore
from psycopg_pool import PoolTimeout

from infra.bounded_waits import ACQUIRE_SECONDS, CONNECT_SECONDS
from infra.database.params import DbParams

WAIT_SLICE_SECONDS = 0.1


def server_hung_up(conn: Any) -> bool:
    """Whether an idle connection's server has closed it (or sent it anything at all)."""
    if conn.closed or conn.broken:
        return True
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    return bool(poller.poll(0))


class WritePool(ConnectionPool[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unreachable = False  # the last attempt to connect failed
        self._own_connections: weakref.WeakSet[Any] = weakref.WeakSet()

    def _connect(self, timeout: float | None = None) -> Any:
        try:
            conn = super()._connect(timeout)
        except Exception:
            self.unreachable = True
            raise
        self.unreachable = False
        return conn

    def getconn(self, timeout: float | None = None) -> Any:
        deadline = monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            if self.unreachable:
                conn = self._connect(CONNECT_SECONDS)  # raises at once while the server is down
                self._own_connections.add(conn)
                return conn
            # Waits in short slices: a caller queued before the server was found unreachable
            # goes to its own attempt above instead of waiting for the whole timeout.
            left = deadline - monotonic()
            if left <= 0:
                raise PoolTimeout(f"no connection to PostgreSQL within {ACQUIRE_SECONDS:g} s")
            try:
                conn = super().getconn(min(left, WAIT_SLICE_SECONDS))
            except PoolTimeout:
                continue
            if not server_hung_up(conn):
                return conn
            conn.close()
            super().putconn(conn)  # a closed connection is replaced by the pool

    def putconn(self, conn: Any) -> None:
        if conn in self._own_connections:
            conn._pool = None
            conn.close()
            return
        super().putconn(conn)


class WriteDatastore(PostgresDatastore):
    """The library's datastore, on a WritePool."""

    def __init__(self, params: DbParams, pool_size: int) -> None:
        super().__init__(
            dbname=params.dbname, host=params.host, port=params.port,
            user=params.user, password=params.password,
            pool_size=pool_size, max_overflow=0, max_waiting=0,
            connect_timeout=ACQUIRE_SECONDS, idle_in_transaction_session_timeout=30,
        )
        library_pool = self.pool  # built, never opened: replaced by one of the same settings
        self.pool = WritePool(
            connection_class=library_pool.connection_class,
            kwargs={**(library_pool.kwargs or {}), "connect_timeout": int(CONNECT_SECONDS)},
            min_size=library_pool.min_size, max_size=library_pool.max_size, open=False,
            configure=self.after_connect_func(), timeout=ACQUIRE_SECONDS,
            max_waiting=library_pool.max_waiting, max_lifetime=library_pool.max_lifetime,
            reconnect_timeout=0,
        )
