"""Who accessed a record: the person sees their own log; the org admin and the auditor,
the organization's."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from litestar import Controller, get
from litestar.params import Parameter

from domain.access.policy import ACCESS_LOG_PAGE, READ
from infra.http.auth import require_roles
from infra.http.schemas_consent import AccessLogEntry, AccessLogPage
from infra.http.touches import touches
from projections.consent import queries

Limit = Parameter(ge=1, le=200, default=50, description="entries per page")
Before = Parameter(default=None, description="next_before of the previous page")


def _page(rows: list[asyncpg.Record], limit: int) -> AccessLogPage:
    entries = [AccessLogEntry(**dict(r)) for r in rows]
    return AccessLogPage(entries, entries[-1].id if len(entries) == limit else None)


class AccessLogController(Controller):
    path = "/"
    tags = ["access log"]  # noqa: RUF012

    @get("/persons/{person_id:uuid}/access-log", operation_id="personAccessLog",
         opt=touches(ACCESS_LOG_PAGE, READ))
    async def of_person(self, db: asyncpg.Connection, person_id: UUID, limit: int = Limit,
                        before: int | None = Before) -> AccessLogPage:
        """Every read and write of the record, allowed or denied, newest first (the person
        only: the consent guard lets no one else here)."""
        return _page(await queries.access_log(db, person_id=person_id, before=before,
                                              limit=limit), limit)

    @get("/access-log", operation_id="organizationAccessLog",
         guards=[require_roles("org_admin", "auditor")])
    async def of_organization(self, db: asyncpg.Connection, person_id: UUID | None = None,
                              actor_id: UUID | None = None, limit: int = Limit,
                              before: int | None = Before) -> AccessLogPage:
        return _page(await queries.access_log(db, person_id=person_id, actor_id=actor_id,
                                              before=before, limit=limit), limit)
