"""`barometre web`: the API and the pages served by uvicorn, on the configured servers."""

from __future__ import annotations

from typing import Any

import uvicorn
from litestar import Litestar

from infra.http.app import create_app
from infra.http.request_deadlines import RequestDeadlines
from infra.platform import locate_servers
from infra.settings import get_settings


def app_from_environment() -> Litestar:
    """The app of one worker process (uvicorn's factory when there are several)."""
    settings = get_settings()
    return create_app(locate_servers(settings), settings)


def serve() -> int:
    settings = get_settings()
    options: dict[str, Any] = {"host": settings.web_host, "port": settings.web_port,
                               "log_level": "warning", "access_log": False,
                               "http": RequestDeadlines}  # slow clients get 408 (ADR 29)
    if settings.web_workers > 1:  # one process per core: each has its own GIL and pools
        uvicorn.run("infra.web.server:app_from_environment", factory=True,
                    workers=settings.web_workers, **options)
    else:
        uvicorn.run(app_from_environment(), **options)
    return 0

