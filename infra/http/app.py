"""Builds the Litestar application: the API under /api/v1, the pages (infra/web), errors,
OpenAPI, lifespan."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
import asyncpg
from litestar import Litestar, Router, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from infra.access import Door
from infra.access.inputs import InputsCache
from infra.database.read_pool import open_read_pool
from infra.http.access_guard import consent_guard
from infra.http.access_row import access_row_middleware
from infra.http.allow_header import full_allow_middleware
from infra.http.auth import current_actor
from infra.http.controllers.access_log import AccessLogController
from infra.http.controllers.auth import AuthController
from infra.http.controllers.consent import ConsentController
from infra.http.controllers.network import NetworkController
from infra.http.controllers.organization import OrganizationController
from infra.http.controllers.plan import PlanController
from infra.http.controllers.quality_of_life import QualityOfLifeController
from infra.http.controllers.record import RecordController
from infra.http.controllers.statistics import TeamStatisticsController
from infra.http.controllers.strengths import StrengthsController
from infra.http.controllers.teams import TeamsController
from infra.http.entry_text import TextCheckedRequest, entry_text_middleware
from infra.http.inputs_prefetch import SessionOwners
from infra.http.openapi_problems import document_problems
from infra.http.openapi_words import describe_operations
from infra.http.problems import EXCEPTION_HANDLERS
from infra.http.reads import tenant_db
from infra.http.redis_pool import redis_client
from infra.http.sessions import COOKIE
from infra.http.state import AppState, session_cache_for
from infra.http.touches import check_routes_declare_touches
from infra.platform import Servers, WriteSide, all_projections
from infra.settings import Settings, get_settings
from infra.web.errors import pages_or_problems
from infra.web.openapi_viewers import openapi_viewers
from infra.web.routes import web_routes
from infra.web.security_headers import security_headers_middleware
from infra.web.templating import template_config


@get("/health", include_in_schema=False)
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Skips asyncpg's RESET ALL round trip on every release: the web role changes no session
    state (the tenant is set per transaction; no LISTEN, cursors or session locks), and asyncpg
    still rolls back any transaction left open."""


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Baromètre API", version="1.0.0", path="/schema",
        description="Quality of life, social network, strengths and accomplishment plan; "
                    "commands return the notification id; errors are RFC 9457 problem details.",
        components=Components(security_schemes={
            "session": SecurityScheme(type="apiKey", name=COOKIE, security_scheme_in="cookie"),
            "bearer": SecurityScheme(type="http", scheme="bearer"),
        }),
        security=[{"session": []}, {"bearer": []}],
        render_plugins=openapi_viewers(),
    )


def create_app(servers: Servers, settings: Settings | None = None,
               write_side: WriteSide | None = None, read_pool_size: int = 10) -> Litestar:
    """Refuses (ImproperlyConfiguredException) a route on a person's record that does not
    declare what it touches (infra/http/touches.py)."""
    s = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        write = write_side or WriteSide(servers, s)
        # Bounded waits: an unavailable server is a fast 503, never a hang (ADR 29).
        pool = await open_read_pool(servers.web_db(s), read_pool_size, _keep_session)
        redis = redis_client(servers.redis_url)
        counts = Counter(p.application for p in all_projections())
        app.state.barometre = AppState(write, pool, redis, s, dict(counts),
                                       Door(pool, InputsCache(s.access_inputs_kept)), SessionOwners(),
                                       session_cache_for(s))
        gc.freeze()  # what start-up built lives as long as the process: out of the collector's scans
        # Few service threads: more only contend for the GIL with the event loop (ADR 17).
        anyio.to_thread.current_default_thread_limiter().total_tokens = s.service_threads
        try:
            yield
        finally:
            await pool.close()
            await redis.aclose()
            if write_side is None:
                write.close()

    api = Router(path="/api/v1", route_handlers=[
        AuthController, OrganizationController, TeamsController, QualityOfLifeController,
        NetworkController, StrengthsController, PlanController, RecordController,
        ConsentController, AccessLogController, TeamStatisticsController])
    app = Litestar(
        route_handlers=[health, api, *web_routes()],
        dependencies={"actor": Provide(current_actor), "db": Provide(tenant_db)},
        # Every route with a person_id in its path: consent decides, the access log records.
        guards=[consent_guard],
        # Path, query and stored headers are held to the text rule before anything reads them.
        middleware=[entry_text_middleware, access_row_middleware, full_allow_middleware,
                    security_headers_middleware],
        request_class=TextCheckedRequest,
        # Problem documents for the API, pages for the pages (infra/web/errors.py).
        exception_handlers=pages_or_problems(EXCEPTION_HANDLERS),
        template_config=template_config(),
        lifespan=[lifespan],
        openapi_config=openapi_config(),
        request_max_body_size=s.max_body_bytes,
        state=State(),
    )
    check_routes_declare_touches(app.routes)
    document_problems(app)
    describe_operations(app.openapi_schema)
    return app
