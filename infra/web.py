"""`barometre web`: the API served by uvicorn, on the configured servers."""

from __future__ import annotations

import uvicorn

from infra.http.app import create_app
from infra.platform import locate_servers
from infra.settings import get_settings


def serve() -> int:
    settings = get_settings()
    app = create_app(locate_servers(settings), settings)
    uvicorn.run(app, host=settings.web_host, port=settings.web_port, log_level="warning",
                access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(serve())
