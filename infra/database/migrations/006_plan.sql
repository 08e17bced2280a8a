-- The accomplishment plan: its event tables and read models, each keyed by tenant first.
SELECT create_event_tables('plan');

-- Each goal as it is now: wording, status, target date, latest progress, who changed it last.
CREATE TABLE IF NOT EXISTS plan_goals (
  tenant_id uuid NOT NULL, goal_id uuid NOT NULL, person_id uuid NOT NULL,
  text text NOT NULL, status text NOT NULL, target_date date,
  created_by uuid NOT NULL, created_at timestamptz NOT NULL,
  progress integer, progress_by uuid, progress_at timestamptz,
  version integer NOT NULL, updated_by uuid NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, goal_id));
CREATE INDEX IF NOT EXISTS plan_goals_person_idx ON plan_goals (tenant_id, person_id, created_at);
SELECT enable_tenant_rls('plan_goals');

CREATE TABLE IF NOT EXISTS plan_goal_themes (
  tenant_id uuid NOT NULL, goal_id uuid NOT NULL, theme text NOT NULL, person_id uuid NOT NULL,
  linked_by uuid NOT NULL, linked_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, goal_id, theme));
CREATE INDEX IF NOT EXISTS plan_goal_themes_person_idx ON plan_goal_themes (tenant_id, person_id);
SELECT enable_tenant_rls('plan_goal_themes');

CREATE TABLE IF NOT EXISTS plan_goal_strengths (
  tenant_id uuid NOT NULL, goal_id uuid NOT NULL, strength_id uuid NOT NULL,
  person_id uuid NOT NULL, linked_by uuid NOT NULL, linked_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, goal_id, strength_id));
CREATE INDEX IF NOT EXISTS plan_goal_strengths_person_idx ON plan_goal_strengths (tenant_id, person_id);
SELECT enable_tenant_rls('plan_goal_strengths');

-- Each action as it is now: who does it, when it is due, whether it is done.
CREATE TABLE IF NOT EXISTS plan_actions (
  tenant_id uuid NOT NULL, action_id uuid NOT NULL, goal_id uuid NOT NULL,
  person_id uuid NOT NULL, text text NOT NULL, who text NOT NULL, who_name text,
  due_date date, done boolean NOT NULL DEFAULT false, done_by uuid, done_at timestamptz,
  added_by uuid NOT NULL, added_at timestamptz NOT NULL, position bigint NOT NULL,
  updated_by uuid NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, action_id));
CREATE INDEX IF NOT EXISTS plan_actions_goal_idx ON plan_actions (tenant_id, goal_id, position);
CREATE INDEX IF NOT EXISTS plan_actions_person_idx ON plan_actions (tenant_id, person_id, done, due_date);
SELECT enable_tenant_rls('plan_actions');

-- Every change of a goal and of its actions, with its author: who wrote what, and when.
CREATE TABLE IF NOT EXISTS plan_goal_history (
  tenant_id uuid NOT NULL, goal_id uuid NOT NULL, version integer NOT NULL,
  person_id uuid NOT NULL, change text NOT NULL, text text,
  from_status text, to_status text, progress integer, target_date date, due_date date,
  theme text, strength_id uuid, action_id uuid, who text, who_name text,
  author_id uuid NOT NULL, at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, goal_id, version));
SELECT enable_tenant_rls('plan_goal_history');
