"""The plan projections: goals as they are now (with their links), actions, and the history
of every goal. Each owns its tables and is rebuilt on its own."""

from __future__ import annotations

from datetime import date

from domain.plan.goal import Goal
from projections.framework import Context, Projection, handles

G = Goal
GoalEvent = (G.GoalReworded | G.GoalTargetDateSet | G.GoalStatusChanged | G.GoalProgressRated
             | G.GoalLinkedToTheme | G.GoalUnlinkedFromTheme | G.GoalLinkedToStrength
             | G.GoalUnlinkedFromStrength)
ActionEvent = (G.ActionAdded | G.ActionReworded | G.ActionAssigned | G.ActionDueDateSet
               | G.ActionDone | G.ActionReopened)
ACTION_EVENTS = (G.ActionAdded, G.ActionReworded, G.ActionAssigned, G.ActionDueDateSet,
                 G.ActionDone, G.ActionReopened)


def as_date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


class GoalList(Projection):
    """Each goal now: wording, status, target date, latest progress, and its links."""

    name = "plan_goals"
    application = "Plan"
    tables = ("plan_goals", "plan_goal_themes", "plan_goal_strengths")

    @staticmethod
    def _touch(ctx: Context, e: GoalEvent | ActionEvent) -> None:
        ctx.cur.execute(
            "UPDATE plan_goals SET version = %s, updated_by = %s, updated_at = %s"
            " WHERE tenant_id = %s AND goal_id = %s",
            [e.originator_version, e.author_id, e.timestamp, ctx.tenant_id, e.originator_id])

    @handles(G.GoalSet)
    def on_set(self, ctx: Context, e: Goal.GoalSet) -> None:
        cur, key = ctx.cur, [ctx.tenant_id, e.originator_id]
        cur.execute(
            "INSERT INTO plan_goals (tenant_id, goal_id, person_id, text, status, target_date,"
            " created_by, created_at, version, updated_by, updated_at)"
            " VALUES (%s, %s, %s, %s, 'active', %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [*key, e.person_id, e.text, as_date(e.target_date), e.author_id, e.timestamp,
             e.originator_version, e.author_id, e.timestamp])
        for theme in e.themes:
            self._link_theme(ctx, e, theme)
        for strength_id in e.strengths:
            self._link_strength(ctx, e, strength_id)

    @handles(G.GoalReworded)
    def on_reworded(self, ctx: Context, e: Goal.GoalReworded) -> None:
        ctx.cur.execute("UPDATE plan_goals SET text = %s WHERE tenant_id = %s AND goal_id = %s",
                        [e.text, ctx.tenant_id, e.originator_id])
        self._touch(ctx, e)

    @handles(G.GoalTargetDateSet)
    def on_target_date(self, ctx: Context, e: Goal.GoalTargetDateSet) -> None:
        ctx.cur.execute(
            "UPDATE plan_goals SET target_date = %s WHERE tenant_id = %s AND goal_id = %s",
            [as_date(e.target_date), ctx.tenant_id, e.originator_id])
        self._touch(ctx, e)

    @handles(G.GoalStatusChanged)
    def on_status(self, ctx: Context, e: Goal.GoalStatusChanged) -> None:
        ctx.cur.execute("UPDATE plan_goals SET status = %s WHERE tenant_id = %s AND goal_id = %s",
                        [e.to_status, ctx.tenant_id, e.originator_id])
        self._touch(ctx, e)

    @handles(G.GoalProgressRated)
    def on_progress(self, ctx: Context, e: Goal.GoalProgressRated) -> None:
        ctx.cur.execute(
            "UPDATE plan_goals SET progress = %s, progress_by = %s, progress_at = %s"
            " WHERE tenant_id = %s AND goal_id = %s",
            [e.value, e.author_id, e.timestamp, ctx.tenant_id, e.originator_id])
        self._touch(ctx, e)

    def _link_theme(self, ctx: Context, e: Goal.GoalSet | Goal.GoalLinkedToTheme,
                    theme: str) -> None:
        ctx.cur.execute(
            "INSERT INTO plan_goal_themes (tenant_id, goal_id, theme, person_id, linked_by,"
            " linked_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, theme, e.person_id, e.author_id, e.timestamp])

    def _link_strength(self, ctx: Context, e: Goal.GoalSet | Goal.GoalLinkedToStrength,
                       strength_id: object) -> None:
        ctx.cur.execute(
            "INSERT INTO plan_goal_strengths (tenant_id, goal_id, strength_id, person_id,"
            " linked_by, linked_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, strength_id, e.person_id, e.author_id, e.timestamp])

    @handles(G.GoalLinkedToTheme)
    def on_theme_linked(self, ctx: Context, e: Goal.GoalLinkedToTheme) -> None:
        self._link_theme(ctx, e, e.theme)
        self._touch(ctx, e)

    @handles(G.GoalUnlinkedFromTheme)
    def on_theme_unlinked(self, ctx: Context, e: Goal.GoalUnlinkedFromTheme) -> None:
        ctx.cur.execute(
            "DELETE FROM plan_goal_themes WHERE tenant_id = %s AND goal_id = %s AND theme = %s",
            [ctx.tenant_id, e.originator_id, e.theme])
        self._touch(ctx, e)

    @handles(G.GoalLinkedToStrength)
    def on_strength_linked(self, ctx: Context, e: Goal.GoalLinkedToStrength) -> None:
        self._link_strength(ctx, e, e.strength_id)
        self._touch(ctx, e)

    @handles(G.GoalUnlinkedFromStrength)
    def on_strength_unlinked(self, ctx: Context, e: Goal.GoalUnlinkedFromStrength) -> None:
        ctx.cur.execute(
            "DELETE FROM plan_goal_strengths WHERE tenant_id = %s AND goal_id = %s"
            " AND strength_id = %s", [ctx.tenant_id, e.originator_id, e.strength_id])
        self._touch(ctx, e)

    @handles(*ACTION_EVENTS)
    def on_action(self, ctx: Context, e: ActionEvent) -> None:
        self._touch(ctx, e)  # an action's change is a change of its goal (one version)


class ActionList(Projection):
    """Each action now: its wording, who does it, when it is due, whether it is done."""

    name = "plan_actions"
    application = "Plan"
    tables = ("plan_actions",)
    _WHERE = ", updated_by = %s, updated_at = %s WHERE tenant_id = %s AND action_id = %s"

    @staticmethod
    def _key(ctx: Context, e: ActionEvent) -> list[object]:
        return [e.author_id, e.timestamp, ctx.tenant_id, e.action_id]

    @handles(G.ActionAdded)
    def on_added(self, ctx: Context, e: Goal.ActionAdded) -> None:
        ctx.cur.execute(
            "INSERT INTO plan_actions (tenant_id, action_id, goal_id, person_id, text, who,"
            " who_name, due_date, added_by, added_at, position, updated_by, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.action_id, e.originator_id, e.person_id, e.text, e.who, e.who_name,
             as_date(e.due_date), e.author_id, e.timestamp, ctx.notification_id, e.author_id,
             e.timestamp])

    @handles(G.ActionReworded)
    def on_reworded(self, ctx: Context, e: Goal.ActionReworded) -> None:
        ctx.cur.execute("UPDATE plan_actions SET text = %s" + self._WHERE,
                        [e.text, *self._key(ctx, e)])

    @handles(G.ActionAssigned)
    def on_assigned(self, ctx: Context, e: Goal.ActionAssigned) -> None:
        ctx.cur.execute("UPDATE plan_actions SET who = %s, who_name = %s" + self._WHERE,
                        [e.who, e.who_name, *self._key(ctx, e)])

    @handles(G.ActionDueDateSet)
    def on_due_date(self, ctx: Context, e: Goal.ActionDueDateSet) -> None:
        ctx.cur.execute("UPDATE plan_actions SET due_date = %s" + self._WHERE,
                        [as_date(e.due_date), *self._key(ctx, e)])

    @handles(G.ActionDone)
    def on_done(self, ctx: Context, e: Goal.ActionDone) -> None:
        ctx.cur.execute("UPDATE plan_actions SET done = true, done_by = %s, done_at = %s"
                        + self._WHERE, [e.author_id, e.timestamp, *self._key(ctx, e)])

    @handles(G.ActionReopened)
    def on_reopened(self, ctx: Context, e: Goal.ActionReopened) -> None:
        ctx.cur.execute("UPDATE plan_actions SET done = false, done_by = NULL, done_at = NULL"
                        + self._WHERE, self._key(ctx, e))


class GoalHistory(Projection):
    """Every change of a goal and of its actions, with its author and time: who wrote what."""

    name = "plan_goal_history"
    application = "Plan"
    tables = ("plan_goal_history",)
    COLUMNS = ("text", "from_status", "to_status", "progress", "target_date", "due_date",
               "theme", "strength_id", "action_id", "who", "who_name")

    def _insert(self, ctx: Context, e: Goal.GoalSet | GoalEvent | ActionEvent, change: str,
                **values: object) -> None:
        ctx.cur.execute(
            "INSERT INTO plan_goal_history (tenant_id, goal_id, version, person_id, change,"
            " text, from_status, to_status, progress, target_date, due_date, theme, strength_id,"
            " action_id, who, who_name, author_id, at) VALUES (%s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [ctx.tenant_id, e.originator_id, e.originator_version, e.person_id, change,
             *(values.get(column) for column in self.COLUMNS), e.author_id, e.timestamp])

    @handles(G.GoalSet)
    def on_set(self, ctx: Context, e: Goal.GoalSet) -> None:
        self._insert(ctx, e, "set", text=e.text, to_status="active",
                     target_date=as_date(e.target_date))

    @handles(G.GoalReworded)
    def on_reworded(self, ctx: Context, e: Goal.GoalReworded) -> None:
        self._insert(ctx, e, "reworded", text=e.text)

    @handles(G.GoalTargetDateSet)
    def on_target_date(self, ctx: Context, e: Goal.GoalTargetDateSet) -> None:
        self._insert(ctx, e, "target_date_set", target_date=as_date(e.target_date))

    @handles(G.GoalStatusChanged)
    def on_status(self, ctx: Context, e: Goal.GoalStatusChanged) -> None:
        self._insert(ctx, e, "status_changed", from_status=e.from_status, to_status=e.to_status)

    @handles(G.GoalProgressRated)
    def on_progress(self, ctx: Context, e: Goal.GoalProgressRated) -> None:
        self._insert(ctx, e, "progress_rated", progress=e.value)

    @handles(G.GoalLinkedToTheme, G.GoalUnlinkedFromTheme)
    def on_theme(self, ctx: Context, e: Goal.GoalLinkedToTheme | Goal.GoalUnlinkedFromTheme) -> None:
        linked = isinstance(e, G.GoalLinkedToTheme)
        self._insert(ctx, e, "theme_linked" if linked else "theme_unlinked", theme=e.theme)

    @handles(G.GoalLinkedToStrength, G.GoalUnlinkedFromStrength)
    def on_strength(self, ctx: Context,
                    e: Goal.GoalLinkedToStrength | Goal.GoalUnlinkedFromStrength) -> None:
        linked = isinstance(e, G.GoalLinkedToStrength)
        self._insert(ctx, e, "strength_linked" if linked else "strength_unlinked",
                     strength_id=e.strength_id)

    @handles(G.ActionAdded)
    def on_action_added(self, ctx: Context, e: Goal.ActionAdded) -> None:
        self._insert(ctx, e, "action_added", action_id=e.action_id, text=e.text, who=e.who,
                     who_name=e.who_name, due_date=as_date(e.due_date))

    @handles(G.ActionReworded)
    def on_action_reworded(self, ctx: Context, e: Goal.ActionReworded) -> None:
        self._insert(ctx, e, "action_reworded", action_id=e.action_id, text=e.text)

    @handles(G.ActionAssigned)
    def on_action_assigned(self, ctx: Context, e: Goal.ActionAssigned) -> None:
        self._insert(ctx, e, "action_assigned", action_id=e.action_id, who=e.who,
                     who_name=e.who_name)

    @handles(G.ActionDueDateSet)
    def on_action_due_date(self, ctx: Context, e: Goal.ActionDueDateSet) -> None:
        self._insert(ctx, e, "action_due_date_set", action_id=e.action_id,
                     due_date=as_date(e.due_date))

    @handles(G.ActionDone, G.ActionReopened)
    def on_action_done(self, ctx: Context, e: Goal.ActionDone | Goal.ActionReopened) -> None:
        done = isinstance(e, G.ActionDone)
        self._insert(ctx, e, "action_done" if done else "action_reopened", action_id=e.action_id)


PROJECTIONS = (GoalList, ActionList, GoalHistory)
