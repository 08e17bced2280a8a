"""The API for the benchmarks, served by uvicorn, optionally WITHOUT the consent guard.

    python bench/web_child.py --port 8123 [--no-consent]

Same as `python -m infra.web` (same settings, same servers, same uvicorn options). The
product has no switch that leaves consent out: with `--no-consent` this script builds the
same app (`create_app`) with its own stand-in in the consent guard's place. Only the
benchmark starts this; the real web server always enforces consent.

The stand-in leaves in the request what the guard leaves when it allows a read — a ticket
allowing every tab — but its ticket logs nothing: the read's one statement is led by setting the tenant alone. So the summary handler
does exactly the work it does behind the guard, and what remains of the difference is the
guard's own work (its decision, its inputs query when they are not kept, and the access-log
row)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
import uvicorn

import infra.http.app
from domain.access.policy import Decision
from infra.access import Asked, Ticket
from infra.http.access_guard import TICKET
from infra.http.auth import current_actor
from infra.http.reads import SET_TENANT, TENANT
from infra.platform import locate_servers
from infra.settings import get_settings
from projections.batch import Query

ALL_TABS = frozenset(("quality_of_life", "social_network", "strengths", "plan"))
READS = ("GET", "HEAD")


class TenantOnlyRead(Ticket):
    """A read that writes no access-log row: its first statement only sets the tenant."""

    def opening(self) -> Query:
        return Query(SET_TENANT, (str(self.actor.tenant_id),))

    async def open_read(self, conn: asyncpg.Connection) -> None:
        await conn.execute(TENANT, str(self.actor.tenant_id))
        self.opened()

    async def write_alone(self) -> None:
        self.written = True  # nothing to log


async def allow_without_consent(connection: Any, _: Any) -> None:
    """The consent guard's stand-in: allows every request to a record, decides nothing."""
    raw = connection.path_params.get("person_id")
    if raw is None:
        return
    actor = await current_actor(connection)
    person_id = raw if isinstance(raw, UUID) else UUID(str(raw))
    method = connection.scope["method"]
    if method in READS:
        connection.scope[TICKET] = TenantOnlyRead(
            actor, person_id, "unguarded", "read", Asked(method, connection.url.path),
            person_exists=True, decision=Decision(True, "not logged", ALL_TABS), check=None,
            pool=connection.app.state.barometre.read_pool)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-consent", action="store_true")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.no_consent:  # the same composition root, the stand-in where the guard goes
        infra.http.app.consent_guard = allow_without_consent  # type: ignore[assignment]
    app = infra.http.app.create_app(locate_servers(settings), settings)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                lifespan="on")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
