-- The strengths tab: its event tables and read models, each keyed by tenant first.
SELECT create_event_tables('strengths');

-- Each strength as it is now (retired ones kept, flagged).
CREATE TABLE IF NOT EXISTS strengths_current (
  tenant_id uuid NOT NULL, strength_id uuid NOT NULL, person_id uuid NOT NULL,
  kind text NOT NULL, side text NOT NULL, text text NOT NULL,
  sphere text, theme text, member_id uuid,
  noted_by uuid NOT NULL, noted_at timestamptz NOT NULL,
  version integer NOT NULL, updated_by uuid NOT NULL, updated_at timestamptz NOT NULL,
  retired_by uuid, retired_at timestamptz,
  PRIMARY KEY (tenant_id, strength_id));
CREATE INDEX IF NOT EXISTS strengths_current_person_idx ON strengths_current (tenant_id, person_id, noted_at);
SELECT enable_tenant_rls('strengths_current');

-- Every change of every strength: each wording is a row, so every version is kept.
CREATE TABLE IF NOT EXISTS strengths_history (
  tenant_id uuid NOT NULL, strength_id uuid NOT NULL, version integer NOT NULL,
  person_id uuid NOT NULL, change text NOT NULL, text text,
  sphere text, theme text, member_id uuid,
  author_id uuid NOT NULL, at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, strength_id, version));
SELECT enable_tenant_rls('strengths_history');
