"""A PostgreSQL and a Redis of one fault test alone, that it may crash and start again, with
the platform's database on them (tests/reliability/stoppable_servers.py).

Redis keeps nothing: killed, it comes back empty, as a Redis restarted without its data."""

from __future__ import annotations

from infra.database.params import DbParams
from infra.platform import Servers, prepare_database
from tests.reliability.stoppable_servers import StoppablePostgres, StoppableRedis


class PrivateServers:
    """Both private servers and the platform's database on them, migrated."""

    def __init__(self) -> None:
        self.postgres = StoppablePostgres()
        try:
            self.redis = StoppableRedis(persistent=False)
        except Exception:
            self.postgres.close()
            raise
        self.servers = Servers(DbParams.from_url(self.postgres.url).on_database("barometre"),
                               self.redis.url)
        prepare_database(self.servers)

    def close(self) -> None:
        self.redis.close()
        self.postgres.close()
