"""The quality-of-life projections: assessments, current ratings, theme history,
sphere averages and priorities. Each owns its tables and is rebuilt on its own."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from domain.catalog import load_catalog
from domain.quality_of_life.assessment import Assessment
from projections.framework import Bulk, Context, Projection, handles

PersonEvent = (Assessment.ThemeRated | Assessment.PerceptionRecorded | Assessment.ThemeCommented
               | Assessment.ThemeStarred | Assessment.ThemeUnstarred | Assessment.Completed)

PERSON = "person"


def perspective_of(practitioner_id: object) -> str:
    return f"practitioner:{practitioner_id}"


ASSESSMENT_VERSIONS = Bulk(
    "UPDATE qol_assessments a SET version = greatest(a.version, r.version),"
    " updated_at = greatest(a.updated_at, r.at) FROM {rows}"
    " WHERE a.tenant_id = r.tenant_id AND a.assessment_id = r.assessment_id",
    (("tenant_id", "uuid"), ("assessment_id", "uuid"), ("version", "bigint"),
     ("at", "timestamptz")))
CURRENT_RATINGS = Bulk(
    "INSERT INTO qol_current_ratings ({columns}) SELECT * FROM {rows}"
    " ON CONFLICT (tenant_id, person_id, perspective, theme) DO UPDATE SET"
    " value = excluded.value, assessment_id = excluded.assessment_id,"
    " author_id = excluded.author_id, rated_at = excluded.rated_at",
    (("tenant_id", "uuid"), ("person_id", "uuid"), ("perspective", "text"), ("theme", "text"),
     ("value", "integer"), ("assessment_id", "uuid"), ("author_id", "uuid"),
     ("rated_at", "timestamptz")))
THEME_HISTORY = Bulk(
    "INSERT INTO qol_theme_history ({columns}) SELECT * FROM {rows}"
    " ON CONFLICT DO NOTHING",
    (("tenant_id", "uuid"), ("notification_id", "bigint"), ("person_id", "uuid"),
     ("theme", "text"), ("kind", "text"), ("perspective", "text"), ("value", "integer"),
     ("comment", "text"), ("assessment_id", "uuid"), ("author_id", "uuid"),
     ("at", "timestamptz")))
ASSESSMENT_RATINGS = Bulk(
    "INSERT INTO qol_assessment_ratings ({columns}) SELECT * FROM {rows}"
    " ON CONFLICT (tenant_id, assessment_id, perspective, theme)"
    " DO UPDATE SET value = excluded.value",
    (("tenant_id", "uuid"), ("assessment_id", "uuid"), ("perspective", "text"),
     ("theme", "text"), ("sphere", "text"), ("value", "integer")))
SPHERE_AVERAGES = Bulk(  # LATERAL: one index lookup per key (a join was planned as a scan)
    "INSERT INTO qol_sphere_averages (tenant_id, assessment_id, person_id, perspective, sphere,"
    " average, rated_count) SELECT k.tenant_id, k.assessment_id, k.person_id, k.perspective,"
    " k.sphere, s.average, s.rated_count FROM {rows} CROSS JOIN LATERAL (SELECT"
    " round(avg(a.value), 2) AS average, count(*) AS rated_count FROM qol_assessment_ratings a"
    " WHERE a.tenant_id = k.tenant_id AND a.assessment_id = k.assessment_id"
    " AND a.perspective = k.perspective AND a.sphere = k.sphere) s WHERE s.rated_count > 0"
    " ON CONFLICT (tenant_id, assessment_id, perspective, sphere) DO UPDATE SET"
    " average = excluded.average, rated_count = excluded.rated_count",
    (("tenant_id", "uuid"), ("assessment_id", "uuid"), ("perspective", "text"),
     ("sphere", "text"), ("person_id", "uuid")), alias="k")


class AssessmentList(Projection):
    name = "qol_assessments"
    application = "QualityOfLife"
    tables = ("qol_assessments",)

    @handles(Assessment.Opened)
    def on_opened(self, ctx: Context, e: Assessment.Opened) -> None:
        ctx.cur.execute(
            "INSERT INTO qol_assessments (tenant_id, assessment_id, person_id, catalog_version,"
            " opened_by, opened_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.person_id, e.catalog_version, e.opened_by,
             e.timestamp])

    @handles(Assessment.ThemeRated, Assessment.PerceptionRecorded, Assessment.ThemeCommented,
             Assessment.ThemeStarred, Assessment.ThemeUnstarred)
    def on_changed(self, ctx: Context, e: PersonEvent) -> None:
        # A sitting of 55 ratings moves the version 55 times: write only the last, once.
        self.defer_latest(ASSESSMENT_VERSIONS, (ctx.tenant_id, e.originator_id),
                          (ctx.tenant_id, e.originator_id, e.originator_version, e.timestamp))

    @handles(Assessment.Completed)
    def on_completed(self, ctx: Context, e: Assessment.Completed) -> None:
        ctx.cur.execute(
            "UPDATE qol_assessments SET version = greatest(version, %s),"
            " updated_at = greatest(updated_at, %s), completed_at = %s,"
            " completed_by = %s WHERE tenant_id = %s AND assessment_id = %s",
            [e.originator_version, e.timestamp, e.timestamp, e.author_id, ctx.tenant_id,
             e.originator_id])


class CurrentRatings(Projection):
    name = "qol_current_ratings"
    application = "QualityOfLife"
    tables = ("qol_current_ratings",)

    def _upsert(self, ctx: Context, e: PersonEvent, perspective: str, value: int,
                author: object, theme: str) -> None:
        # The last rating of a theme in the batch is the current one: write that one only.
        key = (ctx.tenant_id, e.person_id, perspective, theme)
        self.defer_latest(CURRENT_RATINGS, key,
                          (*key, value, e.originator_id, author, e.timestamp))

    @handles(Assessment.ThemeRated)
    def on_rated(self, ctx: Context, e: Assessment.ThemeRated) -> None:
        self._upsert(ctx, e, PERSON, e.value, e.author_id, e.theme)

    @handles(Assessment.PerceptionRecorded)
    def on_perceived(self, ctx: Context, e: Assessment.PerceptionRecorded) -> None:
        self._upsert(ctx, e, perspective_of(e.practitioner_id), e.value, e.practitioner_id,
                     e.theme)


class ThemeHistory(Projection):
    name = "qol_theme_history"
    application = "QualityOfLife"
    tables = ("qol_theme_history",)

    def _insert(self, ctx: Context, e: PersonEvent, kind: str, perspective: str,
                theme: str, author: object, value: int | None, comment: str | None) -> None:
        self.defer(THEME_HISTORY, (ctx.tenant_id, ctx.notification_id, e.person_id, theme, kind, perspective, value,
             comment, e.originator_id, author, e.timestamp))

    @handles(Assessment.ThemeRated)
    def on_rated(self, ctx: Context, e: Assessment.ThemeRated) -> None:
        self._insert(ctx, e, "rating", PERSON, e.theme, e.author_id, e.value, None)

    @handles(Assessment.PerceptionRecorded)
    def on_perceived(self, ctx: Context, e: Assessment.PerceptionRecorded) -> None:
        self._insert(ctx, e, "perception", perspective_of(e.practitioner_id), e.theme,
                     e.practitioner_id, e.value, e.comment)

    @handles(Assessment.ThemeCommented)
    def on_commented(self, ctx: Context, e: Assessment.ThemeCommented) -> None:
        self._insert(ctx, e, "comment", PERSON, e.theme, e.author_id, None, e.text)


class SphereAverages(Projection):
    """Per assessment and perspective: the latest value of each theme, averaged by sphere.

    A batch writes the last value of each rated theme, then recomputes each touched average
    once."""

    name = "qol_sphere_averages"
    application = "QualityOfLife"
    tables = ("qol_assessment_ratings", "qol_sphere_averages")

    def begin_batch(self) -> None:
        super().begin_batch()
        self._touched: dict[tuple[object, object, str, str], object] = {}

    def _rate(self, ctx: Context, e: PersonEvent, perspective: str, theme: str,
              value: int) -> None:
        sphere = load_catalog().sphere_of(theme)  # theme keys keep their sphere across versions
        key = (ctx.tenant_id, e.originator_id, perspective, theme)
        self.defer_latest(ASSESSMENT_RATINGS, key, (*key, sphere, value))
        self._touched[(ctx.tenant_id, e.originator_id, perspective, sphere)] = e.person_id

    def end_batch(self, cur: Cursor[Any]) -> None:
        super().end_batch(cur)  # the ratings first: the averages read them
        SPHERE_AVERAGES.run(cur, [(*key, person) for key, person in self._touched.items()])

    @handles(Assessment.ThemeRated)
    def on_rated(self, ctx: Context, e: Assessment.ThemeRated) -> None:
        self._rate(ctx, e, PERSON, e.theme, e.value)

    @handles(Assessment.PerceptionRecorded)
    def on_perceived(self, ctx: Context, e: Assessment.PerceptionRecorded) -> None:
        self._rate(ctx, e, perspective_of(e.practitioner_id), e.theme, e.value)


class Priorities(Projection):
    """Stars per assessment; the current priorities are those of the latest starred one."""

    name = "qol_priorities"
    application = "QualityOfLife"
    tables = ("qol_priorities",)

    @handles(Assessment.ThemeStarred)
    def on_starred(self, ctx: Context, e: Assessment.ThemeStarred) -> None:
        ctx.cur.execute(
            "INSERT INTO qol_priorities (tenant_id, person_id, assessment_id, theme, starred_by,"
            " starred_at, notification_id) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (tenant_id, assessment_id, theme) DO NOTHING",
            [ctx.tenant_id, e.person_id, e.originator_id, e.theme, e.author_id, e.timestamp,
             ctx.notification_id])

    @handles(Assessment.ThemeUnstarred)
    def on_unstarred(self, ctx: Context, e: Assessment.ThemeUnstarred) -> None:
        ctx.cur.execute(
            "DELETE FROM qol_priorities WHERE tenant_id = %s AND assessment_id = %s AND theme = %s",
            [ctx.tenant_id, e.originator_id, e.theme])


PROJECTIONS = (AssessmentList, CurrentRatings, ThemeHistory, SphereAverages, Priorities)
