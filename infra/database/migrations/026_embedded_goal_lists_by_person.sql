-- A goal's embedded lists (its themes, strengths and actions, ADR 30) are read for the goals of
-- one person, each goal's rows in order: these indexes give exactly that, so the planner no
-- longer walks the whole tenant's primary key for its goal_id order (at 10,000 persons the
-- summary read touched 30,000 buffers and took 12 ms; with them, 79 and 0.5 ms).
CREATE INDEX IF NOT EXISTS plan_goal_themes_person_goal_idx
  ON plan_goal_themes (tenant_id, person_id, goal_id, linked_at, theme);
CREATE INDEX IF NOT EXISTS plan_goal_strengths_person_goal_idx
  ON plan_goal_strengths (tenant_id, person_id, goal_id, linked_at, strength_id);
CREATE INDEX IF NOT EXISTS plan_actions_person_goal_idx
  ON plan_actions (tenant_id, person_id, goal_id, position);
-- Their first two columns were these indexes.
DROP INDEX IF EXISTS plan_goal_themes_person_idx;
DROP INDEX IF EXISTS plan_goal_strengths_person_idx;
