-- Every list is read a page at a time in a fixed order after the last row's key (ADR 30).
-- These indexes lead with tenant_id and follow the order of the lists that can grow long
-- and had none; the others already walk one (theme history, timeline, access log,
-- current ratings, and the per-stream histories by their primary keys).
CREATE INDEX IF NOT EXISTS account_directory_name_idx
  ON account_directory (tenant_id, display_name, account_id);
CREATE INDEX IF NOT EXISTS account_directory_role_name_idx
  ON account_directory (tenant_id, role, display_name, account_id);
CREATE INDEX IF NOT EXISTS teams_name_idx ON teams (tenant_id, name, team_id);
CREATE INDEX IF NOT EXISTS plan_actions_person_position_idx
  ON plan_actions (tenant_id, person_id, position);
CREATE INDEX IF NOT EXISTS consent_grants_person_granted_idx
  ON consent_grants (tenant_id, person_id, granted_at DESC, grant_id DESC);
