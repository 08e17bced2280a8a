-- Teams of practitioners (consent may be granted to a team).
SELECT create_event_tables('teams');

CREATE TABLE IF NOT EXISTS teams (
  tenant_id uuid NOT NULL, team_id uuid NOT NULL, name text NOT NULL,
  manager_id uuid, created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, team_id));
SELECT enable_tenant_rls('teams');

CREATE TABLE IF NOT EXISTS team_members (
  tenant_id uuid NOT NULL, team_id uuid NOT NULL, practitioner_id uuid NOT NULL,
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, team_id, practitioner_id));
CREATE INDEX IF NOT EXISTS team_members_practitioner_idx ON team_members (tenant_id, practitioner_id);
SELECT enable_tenant_rls('team_members');
