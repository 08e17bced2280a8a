-- Measured under the mixed workload (ADR 14): the stamp was computed once per returned row
-- of access_inputs (one per grant), and each logging statement went through three nested
-- plpgsql calls. The stamp is now computed once, and the logging functions do their check
-- and insert in their own body. Same results.
CREATE OR REPLACE FUNCTION access_inputs(p_tenant uuid, p_person uuid, p_actor uuid)
RETURNS TABLE (checked_at timestamptz, stamp bigint[], person_exists boolean, team_ids uuid[],
               grant_id uuid, grantee_kind text, grantee_id uuid, tab text, level text,
               until timestamptz, revoked_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_stamp bigint[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  v_stamp := access_stamp(p_tenant);
  RETURN QUERY
    WITH me AS (SELECT ARRAY(SELECT m.team_id FROM team_members m
                             WHERE m.practitioner_id = p_actor) AS teams)
    SELECT now(), v_stamp,
           EXISTS (SELECT 1 FROM account_directory a
                   WHERE a.account_id = p_person AND a.role = 'person'),
           me.teams, g.grant_id, g.grantee_kind, g.grantee_id, g.tab, g.level, g.until,
           g.revoked_at
    FROM me LEFT JOIN consent_grants g ON g.person_id = p_person
     AND (g.grantee_id = p_actor OR (g.grantee_kind = 'team' AND g.grantee_id = ANY (me.teams)));
END $$;

CREATE OR REPLACE FUNCTION record_checked_access(p_stamp bigint[], p_valid_until timestamptz,
                                                 p_tenant uuid, p_actor uuid, p_role text,
                                                 p_person uuid, p_tab text, p_action text,
                                                 p_method text, p_path text, p_outcome text,
                                                 p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  IF p_stamp IS NOT NULL AND (access_stamp(p_tenant) IS DISTINCT FROM p_stamp
                              OR now() >= p_valid_until) THEN
    RAISE EXCEPTION 'the consent inputs changed since they were read' USING ERRCODE = 'BMA01';
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);  -- this row only (ADR 11)
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
END $$;

CREATE OR REPLACE FUNCTION open_checked_record_read(p_stamp bigint[],
                                                    p_valid_until timestamptz, p_tenant uuid,
                                                    p_actor uuid, p_role text, p_person uuid,
                                                    p_tab text, p_action text, p_method text,
                                                    p_path text, p_outcome text, p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  IF p_stamp IS NOT NULL AND (access_stamp(p_tenant) IS DISTINCT FROM p_stamp
                              OR now() >= p_valid_until) THEN
    RAISE EXCEPTION 'the consent inputs changed since they were read' USING ERRCODE = 'BMA01';
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);  -- this row only (ADR 11)
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
  PERFORM set_config('transaction_read_only', 'on', true);
END $$;
