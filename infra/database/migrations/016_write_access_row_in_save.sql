-- The access-log row of an allowed write, written by the statement that saves the write's
-- events (ADR 22). Until now the consent guard wrote it in a statement of its own before the
-- handler ran (record_checked_access), then the command saved its events in another: two
-- round trips and two commits per write. log_checked_access is that function's check and
-- insert without its `synchronous_commit = off`, which must not reach a transaction that
-- saves events; the recorder calls it in the same statement as barometre_insert_into_<table>,
-- so the row, the check of the kept consent inputs (SQLSTATE BMA01 if they changed) and the
-- events are one statement: all committed, or nothing.

CREATE OR REPLACE FUNCTION log_checked_access(p_stamp bigint[], p_valid_until timestamptz,
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
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
END $$;

-- The row alone, as before: the check and the insert, committed without waiting for the
-- WAL flush (ADR 11).
CREATE OR REPLACE FUNCTION record_checked_access(p_stamp bigint[], p_valid_until timestamptz,
                                                 p_tenant uuid, p_actor uuid, p_role text,
                                                 p_person uuid, p_tab text, p_action text,
                                                 p_method text, p_path text, p_outcome text,
                                                 p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM log_checked_access(p_stamp, p_valid_until, p_tenant, p_actor, p_role, p_person,
                             p_tab, p_action, p_method, p_path, p_outcome, p_reason);
  PERFORM set_config('synchronous_commit', 'off', true);
END $$;
