"""One timeline of every change to a person's record, across the tabs, newest first.

There is one timeline projection per application (a projection follows one log); they
share the record_timeline table, each owning the rows of its application."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

import asyncpg
import msgspec
from psycopg import Cursor

from projections.batch import Query
from projections.framework import Bulk, Context, Projection
from projections.paging import Key, Keyset, Page, fetch_page

TABS = {"QualityOfLife": "quality_of_life", "Network": "social_network",
        "Strengths": "strengths", "Plan": "plan"}
_AUTHOR_FIELDS = ("author_id", "practitioner_id", "opened_by", "created_by", "noted_by",
                  "granted_by")
_NOT_DETAILS = {"originator_id", "originator_version", "timestamp", "originator_topic",
                "person_id", "tenant_id"}

# The details as json.dumps(details, default=str) wrote them (UUIDs, dates and Decimals as
# text), ten times faster: msgspec writes those types as the same text itself, and anything
# else it cannot write through str(). A datetime, even inside a list or a dict, is given as
# str() first, since msgspec would write it in RFC 3339 form ("…T…Z"), not Python's ("… …+00:00").
_encode = msgspec.json.Encoder(enc_hook=str).encode


def _as_python_wrote(value: Any) -> Any:
    if isinstance(value, datetime):
        return str(value)
    if isinstance(value, list | tuple):
        return [_as_python_wrote(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_python_wrote(v) for k, v in value.items()}
    return value


def details_json(fields: dict[str, Any]) -> str:
    """The event's fields shown in the timeline, as JSON text."""
    return _encode({k: _as_python_wrote(v) if isinstance(v, datetime | list | tuple | dict)
                    else v for k, v in fields.items() if k not in _NOT_DETAILS}).decode()


TIMELINE_ROWS = Bulk(
    "INSERT INTO record_timeline ({columns}) SELECT tenant_id, application, notification_id,"
    " person_id, tab, kind, subject_id, author_id, at, details::jsonb FROM {rows}"
    " ON CONFLICT DO NOTHING",
    (("tenant_id", "uuid"), ("application", "text"), ("notification_id", "bigint"),
     ("person_id", "uuid"), ("tab", "text"), ("kind", "text"), ("subject_id", "uuid"),
     ("author_id", "uuid"), ("at", "timestamptz"), ("details", "text")))


class TimelineBase(Projection):
    tab: ClassVar[str]
    tables = ("record_timeline",)

    def clear(self, cur: Cursor[Any]) -> None:
        cur.execute("DELETE FROM record_timeline WHERE application = %s", [self.application])

    def apply(self, ctx: Context, event: object) -> None:
        person_id = getattr(event, "person_id", None)
        if person_id is None:
            return
        fields = vars(event)
        author = next((fields[f] for f in _AUTHOR_FIELDS if fields.get(f) is not None), None)
        self.defer(TIMELINE_ROWS, (
            ctx.tenant_id, self.application, ctx.notification_id, person_id, self.tab,
            type(event).__name__, fields["originator_id"], author, fields["timestamp"],
            details_json(fields)))


def _timeline(application: str, tab: str) -> type[TimelineBase]:
    return type(f"Timeline{application}", (TimelineBase,), {
        "name": f"timeline_{application.lower()}", "application": application, "tab": tab})


PROJECTIONS = tuple(_timeline(app, tab) for app, tab in TABS.items())


TIMELINE = Keyset("timeline", (Key("at", "timestamptz", True), Key("application", "text", True),
                               Key("notification_id", "bigint", True)))


async def timeline(conn: asyncpg.Connection, person_id: UUID, tabs: list[str],
                   before: Sequence[Any] | None, limit: int) -> Page:
    """Newest first, on the (tenant, person, at, application, notification id) index; `before`
    is the key of the last row seen (`TIMELINE.decode` of the page's cursor)."""
    return await fetch_page(conn, TIMELINE, Query(
        "SELECT application, notification_id, tab, kind, subject_id, author_id, at, details"
        " FROM record_timeline WHERE person_id = $1 AND tab = ANY($2::text[])",
        (person_id, tabs)), before, limit)
