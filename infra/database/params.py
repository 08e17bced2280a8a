"""Connection parameters of PostgreSQL, derived from one administrator URL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from psycopg.conninfo import conninfo_to_dict, make_conninfo

WEB_ROLE = "barometre_web"
PROJECTOR_ROLE = "barometre_projector"
OWNER_ROLE = "barometre_owner"


@dataclass(frozen=True)
class DbParams:
    host: str
    port: int
    dbname: str
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> DbParams:
        parts = conninfo_to_dict(url)
        return cls(
            host=str(parts.get("host") or "127.0.0.1"),
            port=int(parts.get("port") or 5432),
            dbname=str(parts.get("dbname") or "postgres"),
            user=str(parts.get("user") or "postgres"),
            password=str(parts.get("password") or ""),
        )

    def as_role(self, user: str, password: str) -> DbParams:
        return replace(self, user=user, password=password)

    def on_database(self, dbname: str) -> DbParams:
        return replace(self, dbname=dbname)

    def conninfo(self) -> str:
        return make_conninfo(
            host=self.host, port=self.port, dbname=self.dbname,
            user=self.user, password=self.password,
        )

    def asyncpg_kwargs(self) -> dict[str, Any]:
        return {
            "host": self.host, "port": self.port, "database": self.dbname,
            "user": self.user, "password": self.password or None,
        }
