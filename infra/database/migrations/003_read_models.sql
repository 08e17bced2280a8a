-- Read models of accounts and of the quality-of-life tab; each keyed by tenant first.

CREATE TABLE IF NOT EXISTS account_directory (
  tenant_id uuid NOT NULL, account_id uuid NOT NULL, login text NOT NULL,
  display_name text NOT NULL, role text NOT NULL, locale text NOT NULL,
  opened_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, account_id));
SELECT enable_tenant_rls('account_directory');

CREATE TABLE IF NOT EXISTS qol_assessments (
  tenant_id uuid NOT NULL, assessment_id uuid NOT NULL, person_id uuid NOT NULL,
  catalog_version text NOT NULL, opened_by uuid NOT NULL, opened_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1, updated_at timestamptz,
  completed_at timestamptz, completed_by uuid,
  PRIMARY KEY (tenant_id, assessment_id));
CREATE INDEX IF NOT EXISTS qol_assessments_person_idx ON qol_assessments (tenant_id, person_id, opened_at);
SELECT enable_tenant_rls('qol_assessments');

CREATE TABLE IF NOT EXISTS qol_current_ratings (
  tenant_id uuid NOT NULL, person_id uuid NOT NULL, perspective text NOT NULL,
  theme text NOT NULL, value integer NOT NULL, assessment_id uuid NOT NULL,
  author_id uuid NOT NULL, rated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, person_id, perspective, theme));
SELECT enable_tenant_rls('qol_current_ratings');

CREATE TABLE IF NOT EXISTS qol_theme_history (
  tenant_id uuid NOT NULL, notification_id bigint NOT NULL, person_id uuid NOT NULL,
  theme text NOT NULL, kind text NOT NULL, perspective text NOT NULL,
  value integer, comment text, assessment_id uuid NOT NULL, author_id uuid NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, notification_id));
CREATE INDEX IF NOT EXISTS qol_theme_history_theme_idx ON qol_theme_history (tenant_id, person_id, theme, notification_id);
SELECT enable_tenant_rls('qol_theme_history');

CREATE TABLE IF NOT EXISTS qol_assessment_ratings (
  tenant_id uuid NOT NULL, assessment_id uuid NOT NULL, perspective text NOT NULL,
  theme text NOT NULL, sphere text NOT NULL, value integer NOT NULL,
  PRIMARY KEY (tenant_id, assessment_id, perspective, theme));
SELECT enable_tenant_rls('qol_assessment_ratings');

CREATE TABLE IF NOT EXISTS qol_sphere_averages (
  tenant_id uuid NOT NULL, assessment_id uuid NOT NULL, person_id uuid NOT NULL,
  perspective text NOT NULL, sphere text NOT NULL, average numeric(5,2) NOT NULL,
  rated_count integer NOT NULL,
  PRIMARY KEY (tenant_id, assessment_id, perspective, sphere));
SELECT enable_tenant_rls('qol_sphere_averages');

CREATE TABLE IF NOT EXISTS qol_priorities (
  tenant_id uuid NOT NULL, person_id uuid NOT NULL, assessment_id uuid NOT NULL,
  theme text NOT NULL, starred_by uuid NOT NULL, starred_at timestamptz NOT NULL,
  notification_id bigint NOT NULL,
  PRIMARY KEY (tenant_id, assessment_id, theme));
CREATE INDEX IF NOT EXISTS qol_priorities_person_idx ON qol_priorities (tenant_id, person_id, notification_id);
SELECT enable_tenant_rls('qol_priorities');
