"""The ecomap projections: the current map, and the history of each relationship (one row
per event with the full state after it), which also answers the map as of any instant."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from domain.network.relationship import Relationship
from projections.framework import Context, Projection, handles

R = Relationship
Change = (R.RelationshipRenamed | R.RelationshipRetyped | R.RelationshipRated
          | R.ClosenessChanged | R.SupportsChanged | R.ContactFrequencyChanged
          | R.RelationshipCommented | R.RelationshipEnded)
# The state columns a change may set, with their SQL types (for parameters in a SELECT list).
STATE = {"name": "text", "relationship_type": "text", "label": "text", "quality": "integer",
         "closeness": "text", "supports": "text[]", "frequency": "text", "comment": "text",
         "ended_at": "timestamptz"}


def fields_of(e: Change) -> tuple[str, dict[str, Any]]:
    """What a change is called in the history, and the state it sets."""
    if isinstance(e, R.RelationshipRenamed):
        return "renamed", {"name": e.name}
    if isinstance(e, R.RelationshipRetyped):
        return "retyped", {"relationship_type": e.relationship_type, "label": e.label}
    if isinstance(e, R.RelationshipRated):
        return "rated", {"quality": e.quality}
    if isinstance(e, R.ClosenessChanged):
        return "closeness_changed", {"closeness": e.closeness}
    if isinstance(e, R.SupportsChanged):
        return "supports_changed", {"supports": list(e.supports)}
    if isinstance(e, R.ContactFrequencyChanged):
        return "frequency_changed", {"frequency": e.frequency}
    if isinstance(e, R.RelationshipCommented):
        return "commented", {"comment": e.text}
    return "ended", {"ended_at": e.timestamp}


CHANGES = (R.RelationshipRenamed, R.RelationshipRetyped, R.RelationshipRated, R.ClosenessChanged,
           R.SupportsChanged, R.ContactFrequencyChanged, R.RelationshipCommented)


class RelationshipMap(Projection):
    """The current map: one row per relationship, kept with ended_at once it ends."""

    name = "network_relationships"
    application = "Network"
    tables = ("network_relationships",)

    @handles(R.RelationshipAdded)
    def on_added(self, ctx: Context, e: Relationship.RelationshipAdded) -> None:
        ctx.cur.execute(
            "INSERT INTO network_relationships (tenant_id, relationship_id, person_id, name,"
            " relationship_type, label, quality, closeness, supports, frequency, comment, version,"
            " added_at, added_by, updated_at, updated_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
            " %s::text[], %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.person_id, e.name, e.relationship_type, e.label,
             e.quality, e.closeness, list(e.supports), e.frequency, e.comment,
             e.originator_version, e.timestamp, e.author_id, e.timestamp, e.author_id])

    @handles(*CHANGES)
    def on_changed(self, ctx: Context, e: Change) -> None:
        self._update(ctx, e, fields_of(e)[1])

    @handles(R.RelationshipEnded)
    def on_ended(self, ctx: Context, e: Relationship.RelationshipEnded) -> None:
        self._update(ctx, e, {"ended_at": e.timestamp, "ended_by": e.author_id})

    @staticmethod
    def _update(ctx: Context, e: Change, fields: dict[str, Any]) -> None:
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c)) for c in fields)
        ctx.cur.execute(sql.SQL(
            "UPDATE network_relationships SET {}, version = %(version)s, updated_at = %(at)s,"
            " updated_by = %(author)s WHERE tenant_id = %(tenant)s AND relationship_id = %(id)s"
        ).format(assignments), {**fields, "version": e.originator_version, "at": e.timestamp,
                                "author": e.author_id, "tenant": ctx.tenant_id,
                                "id": e.originator_id})


class RelationshipHistory(Projection):
    """Each event copies the row of the previous version and sets what it changed."""

    name = "network_relationship_history"
    application = "Network"
    tables = ("network_relationship_history",)

    @handles(R.RelationshipAdded)
    def on_added(self, ctx: Context, e: Relationship.RelationshipAdded) -> None:
        ctx.cur.execute(
            "INSERT INTO network_relationship_history (tenant_id, relationship_id, version,"
            " notification_id, change, author_id, valid_from, person_id, name, relationship_type,"
            " label, quality, closeness, supports, frequency, comment, added_at) VALUES (%s, %s,"
            " %s, %s, 'added', %s, %s, %s, %s, %s, %s, %s, %s, %s::text[], %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.originator_version, ctx.notification_id,
             e.author_id, e.timestamp, e.person_id, e.name, e.relationship_type, e.label,
             e.quality, e.closeness, list(e.supports), e.frequency, e.comment, e.timestamp])

    @handles(*CHANGES, R.RelationshipEnded)
    def on_changed(self, ctx: Context, e: Change) -> None:
        change, fields = fields_of(e)
        columns = [sql.Identifier(c) for c in STATE]
        values = [sql.SQL("{}::{}").format(sql.Placeholder(c), sql.SQL(t)) if c in fields
                  else sql.Identifier(c) for c, t in STATE.items()]
        ctx.cur.execute(sql.SQL(
            "INSERT INTO network_relationship_history (tenant_id, relationship_id, version,"
            " notification_id, change, author_id, valid_from, person_id, added_at, {})"
            " SELECT tenant_id, relationship_id, %(version)s, %(nid)s, %(change)s, %(author)s,"
            " %(at)s, person_id, added_at, {} FROM network_relationship_history"
            " WHERE tenant_id = %(tenant)s AND relationship_id = %(id)s"
            " AND version = %(version)s - 1 ON CONFLICT DO NOTHING"
        ).format(sql.SQL(", ").join(columns), sql.SQL(", ").join(values)), {
            **fields, "version": e.originator_version, "nid": ctx.notification_id,
            "change": change, "author": e.author_id, "at": e.timestamp,
            "tenant": ctx.tenant_id, "id": e.originator_id})
        if ctx.cur.rowcount == 0:
            self._check_recorded(ctx, e)

    @staticmethod
    def _check_recorded(ctx: Context, e: Change) -> None:
        """Nothing inserted: fine if this version is already there (a replay), else the
        previous state is missing and the event must go to the dead letters, not vanish."""
        ctx.cur.execute(
            "SELECT 1 FROM network_relationship_history WHERE tenant_id = %s"
            " AND relationship_id = %s AND version = %s",
            [ctx.tenant_id, e.originator_id, e.originator_version])
        if ctx.cur.fetchone() is None:
            raise LookupError(f"no state of relationship {e.originator_id} before version "
                              f"{e.originator_version}")


PROJECTIONS = (RelationshipMap, RelationshipHistory)
