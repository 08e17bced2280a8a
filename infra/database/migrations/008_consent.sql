-- Consent: the ledger's event tables, current consent (grants per tab, requests), the
-- append-only access log, and the two functions the access guard calls, one round trip each.
SELECT create_event_tables('consent');

-- One row per grant and tab; revoked grants stay, with revoked_at set.
CREATE TABLE IF NOT EXISTS consent_grants (
  tenant_id uuid NOT NULL, grant_id uuid NOT NULL, tab text NOT NULL, person_id uuid NOT NULL,
  grantee_kind text NOT NULL, grantee_id uuid NOT NULL, level text NOT NULL,
  until timestamptz, legal_basis text, recorded_in_person boolean NOT NULL,
  given_at timestamptz NOT NULL, granted_by uuid NOT NULL, granted_at timestamptz NOT NULL,
  revoked_at timestamptz, revoked_by uuid,
  PRIMARY KEY (tenant_id, grant_id, tab));
CREATE INDEX IF NOT EXISTS consent_grants_access_idx
  ON consent_grants (tenant_id, person_id, grantee_id);
CREATE INDEX IF NOT EXISTS consent_grants_grantee_idx
  ON consent_grants (tenant_id, grantee_id, tab);
SELECT enable_tenant_rls('consent_grants');

CREATE TABLE IF NOT EXISTS consent_requests (
  tenant_id uuid NOT NULL, request_id uuid NOT NULL, person_id uuid NOT NULL,
  practitioner_id uuid NOT NULL, tabs text[] NOT NULL, level text NOT NULL, reason text NOT NULL,
  requested_at timestamptz NOT NULL, status text NOT NULL,
  answered_at timestamptz, grant_id uuid, until timestamptz,
  PRIMARY KEY (tenant_id, request_id));
CREATE INDEX IF NOT EXISTS consent_requests_person_idx
  ON consent_requests (tenant_id, person_id, requested_at);
SELECT enable_tenant_rls('consent_requests');

-- Every read and write of a person's record, allowed or denied. The web role may only add
-- and read rows; nobody may change or delete them (the trigger stops even the owner).
CREATE TABLE IF NOT EXISTS access_log (
  tenant_id uuid NOT NULL DEFAULT app_tenant(), id bigserial,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid NOT NULL, role text NOT NULL, person_id uuid NOT NULL, tab text NOT NULL,
  action text NOT NULL CHECK (action IN ('read', 'write')),
  method text NOT NULL, path text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')), reason text NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX IF NOT EXISTS access_log_person_idx ON access_log (tenant_id, person_id, id);
CREATE INDEX IF NOT EXISTS access_log_actor_idx ON access_log (tenant_id, actor_id, id);
SELECT enable_tenant_rls('access_log');
GRANT INSERT ON access_log TO barometre_web;
GRANT USAGE ON SEQUENCE access_log_id_seq TO barometre_web;
REVOKE INSERT, UPDATE, DELETE ON access_log FROM barometre_projector;
DROP TRIGGER IF EXISTS append_only ON access_log;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION forbid_history_change();
DROP TRIGGER IF EXISTS append_only_truncate ON access_log;
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_history_change();

-- The guard's inputs in one statement: the tenant is set for this statement's transaction
-- only (RLS applies as usual: these run as the caller), then one row per grant of this
-- person to the actor or to a team the actor is in (one row of NULLs if none).
CREATE OR REPLACE FUNCTION access_inputs(p_tenant uuid, p_person uuid, p_actor uuid)
RETURNS TABLE (checked_at timestamptz, person_exists boolean, team_ids uuid[],
               grant_id uuid, grantee_kind text, grantee_id uuid, tab text, level text,
               until timestamptz, revoked_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  RETURN QUERY
    WITH me AS (SELECT ARRAY(SELECT m.team_id FROM team_members m
                             WHERE m.practitioner_id = p_actor) AS teams)
    SELECT now(), EXISTS (SELECT 1 FROM account_directory a
                          WHERE a.account_id = p_person AND a.role = 'person'),
           me.teams, g.grant_id, g.grantee_kind, g.grantee_id, g.tab, g.level, g.until,
           g.revoked_at
    FROM me LEFT JOIN consent_grants g ON g.person_id = p_person
     AND (g.grantee_id = p_actor OR (g.grantee_kind = 'team' AND g.grantee_id = ANY (me.teams)));
END $$;

CREATE OR REPLACE FUNCTION record_access(p_tenant uuid, p_actor uuid, p_role text,
                                         p_person uuid, p_tab text, p_action text,
                                         p_method text, p_path text, p_outcome text,
                                         p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
END $$;
