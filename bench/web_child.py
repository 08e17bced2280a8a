"""The API for the benchmarks, served by uvicorn, optionally WITHOUT the consent guard.

    python bench/web_child.py --port 8123 [--no-consent]

Same as `python -m infra.web` (same settings, same servers, same uvicorn options) except that
`--no-consent` builds the app with `create_app(..., enforce_consent=False)`. Only the benchmark
starts this; the real web server always enforces consent.

Without the guard nobody computes the tabs a caller may read, so the summary would answer
with no tab at all and the comparison would be unfair. With `--no-consent` a thin ASGI
wrapper therefore marks every tab readable and the person of the path as already checked
(what the guard leaves in the request scope when it allows a request): the handler then does
exactly the work it does behind the guard, and what remains of the difference is the
guard's own work (its decision query and its access-log insert)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn

from infra.http.access_guard import PERSON_CHECKED, READABLE_TABS
from infra.http.app import create_app
from infra.platform import locate_servers
from infra.settings import get_settings

ALL_TABS = frozenset(("quality_of_life", "social_network", "strengths", "plan"))
PERSON_PATH = re.compile(r"^/api/v1/persons/([0-9a-fA-F-]{36})/")


def without_consent(app: Any) -> Any:
    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and (m := PERSON_PATH.match(scope.get("path", ""))):
            scope[READABLE_TABS] = ALL_TABS
            scope[PERSON_CHECKED] = UUID(m.group(1))
        await app(scope, receive, send)
    return wrapped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-consent", action="store_true")
    args = parser.parse_args(argv)
    settings = get_settings()
    app: Any = create_app(locate_servers(settings), settings,
                          enforce_consent=not args.no_consent)
    if args.no_consent:
        app = without_consent(app)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                lifespan="on")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
