"""The composition root: where the servers are, and everything built on them, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    Mapper,
    UUIDAsHex,
)

from infra.database.migrate import ensure_database, ensure_roles, migrate
from infra.database.params import PROJECTOR_ROLE, WEB_ROLE, DbParams
from infra.eventstore.factory import build_datastore, factory_builder
from infra.eventstore.transcoder import FastJSONTranscoder
from infra.settings import Settings, get_settings
from projections.accounts.directory import AccountDirectory
from projections.accounts.teams import TeamDirectory
from projections.consent.views import PROJECTIONS as CONSENT_PROJECTIONS
from projections.framework import Projection
from projections.network.views import PROJECTIONS as NETWORK_PROJECTIONS
from projections.plan.views import PROJECTIONS as PLAN_PROJECTIONS
from projections.quality_of_life.views import PROJECTIONS as QOL_PROJECTIONS
from projections.record.timeline import PROJECTIONS as TIMELINE_PROJECTIONS
from projections.strengths.views import PROJECTIONS as STRENGTH_PROJECTIONS
from services.accounts import Accounts
from services.base import Clock, utc_now
from services.consent import Consent
from services.network import Network
from services.plan import Plan
from services.quality_of_life import QualityOfLife
from services.strengths import Strengths, network_member_check
from services.teams import Teams

DEFAULT_DBNAME = "barometre"


def all_projections() -> list[Projection]:
    return [AccountDirectory(), TeamDirectory(), *(cls() for cls in CONSENT_PROJECTIONS),
            *(cls() for cls in QOL_PROJECTIONS),
            *(cls() for cls in NETWORK_PROJECTIONS),
            *(cls() for cls in STRENGTH_PROJECTIONS), *(cls() for cls in PLAN_PROJECTIONS),
            *(cls() for cls in TIMELINE_PROJECTIONS)]


def event_mapper() -> Mapper[Any]:
    """The same mapper the applications use (JSON, with UUID, Decimal and datetime)."""
    transcoder = FastJSONTranscoder()  # the library's format, faster (ADR 24)
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return Mapper(transcoder=transcoder)


@dataclass
class Servers:
    """Where PostgreSQL (as administrator, on the platform's database) and Redis are."""

    admin: DbParams
    redis_url: str
    handles: list[Any] = field(default_factory=list)  # embedded servers kept alive

    def web_db(self, settings: Settings | None = None) -> DbParams:
        s = settings or get_settings()
        return self.admin.as_role(WEB_ROLE, s.web_db_password)

    def projector_db(self, settings: Settings | None = None) -> DbParams:
        s = settings or get_settings()
        return self.admin.as_role(PROJECTOR_ROLE, s.projector_db_password)


def locate_servers(settings: Settings | None = None, dbname: str | None = None) -> Servers:
    """The configured servers, or embedded ones when no URL is set."""
    s = settings or get_settings()
    handles: list[Any] = []
    if s.database_url:
        admin = DbParams.from_url(s.database_url)
    else:
        from infra.embedded import start_postgres
        url, server = start_postgres(s.data_dir)
        admin, handles = DbParams.from_url(url), [server]
    if dbname or admin.dbname == "postgres":
        admin = admin.on_database(dbname or DEFAULT_DBNAME)
    if s.redis_url:
        redis_url = s.redis_url
    else:
        from infra.embedded import start_redis
        redis_url, redis_server = start_redis(s.data_dir)
        handles.append(redis_server)
    return Servers(admin, redis_url, handles)


def prepare_database(servers: Servers, settings: Settings | None = None) -> list[str]:
    s = settings or get_settings()
    ensure_database(servers.admin, servers.admin.dbname)
    ensure_roles(servers.admin, s.web_db_password, s.projector_db_password)
    return migrate(servers.admin)


class WriteSide:
    """The applications of one process, all on one shared pool of the web role."""

    def __init__(self, servers: Servers, settings: Settings | None = None,
                 clock: Clock = utc_now, pool_size: int = 8) -> None:
        self.datastore = build_datastore(servers.web_db(settings), pool_size)
        build = factory_builder(self.datastore)
        self.accounts = Accounts(build, clock)
        self.teams = Teams(build, self.accounts, clock)
        self.consent = Consent(build, self.accounts, self.teams, clock)
        self.quality_of_life = QualityOfLife(build, self.accounts, clock)
        self.network = Network(build, self.accounts, clock)
        # A strength may name a member of the person's network; checked on Network's write side.
        self.strengths = Strengths(build, self.accounts, clock, member_exists=network_member_check(
            lambda: getattr(self, "network", None)))
        self.plan = Plan(build, self.accounts, self.strengths, clock)

    def close(self) -> None:
        self.datastore.close()
