-- The consent decision's inputs, stamped, so the web can keep them between requests (ADR 14).
-- Every input of the decision (the person's existence, the actor's teams, the grants) is a
-- projection; the positions of those projections for the tenant change whenever any of them
-- does. A stamp is those positions, in a fixed order; a logging statement given a stamp
-- refuses to run (SQLSTATE BMA01) if the positions moved, or if the database's now() has
-- reached the moment an active grant used in the decision expires (p_valid_until).

-- plpgsql, so that its plan is kept (a SQL function called from plpgsql is planned per call).
CREATE OR REPLACE FUNCTION access_stamp(p_tenant uuid) RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN ARRAY[
    coalesce((SELECT t.notification_id FROM projection_tracking t WHERE t.tenant_id = p_tenant
              AND t.projection = 'account_directory' AND t.application = 'Accounts'), 0),
    coalesce((SELECT t.notification_id FROM projection_tracking t WHERE t.tenant_id = p_tenant
              AND t.projection = 'team_directory' AND t.application = 'Teams'), 0),
    coalesce((SELECT t.notification_id FROM projection_tracking t WHERE t.tenant_id = p_tenant
              AND t.projection = 'consent_grants' AND t.application = 'Consent'), 0)];
END $$;

-- The inputs and their stamp, in one snapshot (the stamp computed once, not per row).
DROP FUNCTION IF EXISTS access_inputs(uuid, uuid, uuid);
CREATE FUNCTION access_inputs(p_tenant uuid, p_person uuid, p_actor uuid)
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
GRANT EXECUTE ON FUNCTION access_inputs(uuid, uuid, uuid) TO barometre_web;

-- The request's access-log row, after checking the stamp (NULL: nothing to check), committed
-- without waiting for its WAL flush (this row only, ADR 11). They replace record_access and
-- open_record_read of migration 011.
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
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
END $$;

-- The first statement of an allowed read: the checked row, then the rest of the transaction
-- is read-only, with the tenant still set for the handler's queries.
CREATE OR REPLACE FUNCTION open_checked_record_read(p_stamp bigint[],
                                                    p_valid_until timestamptz, p_tenant uuid,
                                                    p_actor uuid, p_role text, p_person uuid,
                                                    p_tab text, p_action text, p_method text,
                                                    p_path text, p_outcome text, p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM record_checked_access(p_stamp, p_valid_until, p_tenant, p_actor, p_role, p_person,
                                p_tab, p_action, p_method, p_path, p_outcome, p_reason);
  PERFORM set_config('transaction_read_only', 'on', true);
END $$;

DROP FUNCTION IF EXISTS open_record_read(uuid, uuid, text, uuid, text, text, text, text, text, text);
DROP FUNCTION IF EXISTS record_access(uuid, uuid, text, uuid, text, text, text, text, text, text);
