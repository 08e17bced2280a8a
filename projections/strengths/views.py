"""The strengths projections: the current list, and every version of every strength."""

from __future__ import annotations

from domain.strengths.strength import Strength, side_of
from projections.framework import Context, Projection, handles

Change = Strength.StrengthReworded | Strength.StrengthLinked | Strength.StrengthRetired


class StrengthList(Projection):
    """Each strength as it is now; retired ones stay, with who retired them and when."""

    name = "strengths_current"
    application = "Strengths"
    tables = ("strengths_current",)

    @handles(Strength.StrengthNoted)
    def on_noted(self, ctx: Context, e: Strength.StrengthNoted) -> None:
        ctx.cur.execute(
            "INSERT INTO strengths_current (tenant_id, strength_id, person_id, kind, side, text,"
            " sphere, theme, member_id, noted_by, noted_at, version, updated_by, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.person_id, e.kind, side_of(e.kind), e.text,
             e.sphere, e.theme, e.member_id, e.author_id, e.timestamp, e.originator_version,
             e.author_id, e.timestamp])

    _TOUCH = (" version = %s, updated_by = %s, updated_at = %s"
              " WHERE tenant_id = %s AND strength_id = %s")

    @staticmethod
    def _touched(ctx: Context, e: Change) -> list[object]:
        return [e.originator_version, e.author_id, e.timestamp, ctx.tenant_id, e.originator_id]

    @handles(Strength.StrengthReworded)
    def on_reworded(self, ctx: Context, e: Strength.StrengthReworded) -> None:
        ctx.cur.execute("UPDATE strengths_current SET text = %s," + self._TOUCH,
                        [e.text, *self._touched(ctx, e)])

    @handles(Strength.StrengthLinked)
    def on_linked(self, ctx: Context, e: Strength.StrengthLinked) -> None:
        ctx.cur.execute(
            "UPDATE strengths_current SET sphere = %s, theme = %s, member_id = %s," + self._TOUCH,
            [e.sphere, e.theme, e.member_id, *self._touched(ctx, e)])

    @handles(Strength.StrengthRetired)
    def on_retired(self, ctx: Context, e: Strength.StrengthRetired) -> None:
        ctx.cur.execute(
            "UPDATE strengths_current SET retired_by = %s, retired_at = %s," + self._TOUCH,
            [e.author_id, e.timestamp, *self._touched(ctx, e)])


class StrengthHistory(Projection):
    """Every change of every strength with its author and time; each wording is a version."""

    name = "strengths_history"
    application = "Strengths"
    tables = ("strengths_history",)

    def _insert(self, ctx: Context, e: Strength.StrengthNoted | Change, change: str,
                text: str | None, links: tuple[object, object, object]) -> None:
        ctx.cur.execute(
            "INSERT INTO strengths_history (tenant_id, strength_id, version, person_id, change,"
            " text, sphere, theme, member_id, author_id, at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.originator_version, e.person_id, change, text,
             *links, e.author_id, e.timestamp])

    @handles(Strength.StrengthNoted)
    def on_noted(self, ctx: Context, e: Strength.StrengthNoted) -> None:
        self._insert(ctx, e, "noted", e.text, (e.sphere, e.theme, e.member_id))

    @handles(Strength.StrengthReworded)
    def on_reworded(self, ctx: Context, e: Strength.StrengthReworded) -> None:
        self._insert(ctx, e, "reworded", e.text, (None, None, None))

    @handles(Strength.StrengthLinked)
    def on_linked(self, ctx: Context, e: Strength.StrengthLinked) -> None:
        self._insert(ctx, e, "linked", None, (e.sphere, e.theme, e.member_id))

    @handles(Strength.StrengthRetired)
    def on_retired(self, ctx: Context, e: Strength.StrengthRetired) -> None:
        self._insert(ctx, e, "retired", None, (None, None, None))


PROJECTIONS = (StrengthList, StrengthHistory)
