-- The access-log row is committed without waiting for its WAL flush (ADR 0011).
-- synchronous_commit is read when the transaction commits, so setting it locally inside the
-- function (the statement's own implicit transaction) applies to this insert only; events,
-- consent and everything else keep the server's synchronous commit. The row is written,
-- ordered and visible at once; only a crash of PostgreSQL or of the machine within about
-- 3 x wal_writer_delay (600 ms by default) of the insert can lose it.
CREATE OR REPLACE FUNCTION record_access(p_tenant uuid, p_actor uuid, p_role text,
                                         p_person uuid, p_tab text, p_action text,
                                         p_method text, p_path text, p_outcome text,
                                         p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
END $$;

-- The first statement of a guarded read (ADR 0011): writes the request's access-log row as
-- record_access does, leaves the tenant set for the rest of the transaction, then makes the
-- transaction read-only, so the handler's queries can read and nothing else can write.
CREATE OR REPLACE FUNCTION open_record_read(p_tenant uuid, p_actor uuid, p_role text,
                                            p_person uuid, p_tab text, p_action text,
                                            p_method text, p_path text, p_outcome text,
                                            p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM record_access(p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method,
                        p_path, p_outcome, p_reason);
  PERFORM set_config('transaction_read_only', 'on', true);
END $$;
