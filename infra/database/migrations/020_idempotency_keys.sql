-- Idempotency keys live in PostgreSQL, written by the statement that saves the command's
-- events (ADR 28). Until now they lived in Redis: a Redis restart forgot them (a retried key
-- wrote a second time) and a web process killed mid-command left its key "pending" for 24 h.
-- A key's row exists only once its command committed, so there is no pending state: a key
-- whose command never committed is free at once, and of two requests racing with one key
-- the second's save fails on the row the first committed, and stores nothing.

CREATE TABLE IF NOT EXISTS idempotency_keys (
  tenant_id uuid NOT NULL DEFAULT app_tenant(),
  actor_id uuid NOT NULL,
  key text NOT NULL,
  fingerprint bytea NOT NULL,       -- sha256 of the method, path and body of the request
  status integer NOT NULL,          -- the answer: HTTP status, record id, version, ...
  record_id uuid NOT NULL,
  version bigint NOT NULL,
  notification_id bigint NOT NULL,  -- ... the save's last notification (0: saved nothing)
  application text NOT NULL,        -- whose views read-your-writes waits for
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, actor_id, key));
-- The lazy purge below finds a tenant's expired keys without reading its live ones.
CREATE INDEX IF NOT EXISTS idempotency_keys_expiry_idx ON idempotency_keys (tenant_id, expires_at);
SELECT enable_tenant_rls('idempotency_keys');  -- the web role reads; remember_answer writes

-- Writes the key and its answer, for 24 hours. An expired row of the same key is replaced;
-- a live one (committed by another request, or still being committed: the insert waits for
-- it) raises BMI01, which fails the caller's whole statement, events included. Purges lazily,
-- first, up to 8 expired keys of the tenant (locked ones are left to whoever locked them),
-- so a tenant's table holds about one day of keys; an idle tenant's expired rows stay until
-- its next keyed command, and are never answered from. It runs as the owner (the web role may
-- only read keys, not change nor delete them), under the same forced RLS, in the tenant given.
CREATE OR REPLACE FUNCTION remember_answer(p_tenant uuid, p_actor uuid, p_key text,
                                           p_fingerprint bytea, p_status integer,
                                           p_record uuid, p_version bigint,
                                           p_application text, p_notification_ids bigint[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  DELETE FROM idempotency_keys WHERE (tenant_id, actor_id, key) IN (
    SELECT tenant_id, actor_id, key FROM idempotency_keys
     WHERE tenant_id = p_tenant AND expires_at <= now()
     LIMIT 8 FOR UPDATE SKIP LOCKED);
  INSERT INTO idempotency_keys AS k (tenant_id, actor_id, key, fingerprint, status, record_id,
                                     version, notification_id, application, expires_at)
  VALUES (p_tenant, p_actor, p_key, p_fingerprint, p_status, p_record, p_version,
          coalesce((SELECT max(n) FROM unnest(p_notification_ids) AS n), 0), p_application,
          now() + interval '24 hours')
  ON CONFLICT (tenant_id, actor_id, key) DO UPDATE
    SET fingerprint = excluded.fingerprint, status = excluded.status,
        record_id = excluded.record_id, version = excluded.version,
        notification_id = excluded.notification_id, application = excluded.application,
        expires_at = excluded.expires_at
    WHERE k.expires_at <= now();
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this Idempotency-Key was taken by another request'
      USING ERRCODE = 'BMI01';
  END IF;
END $$;

-- The live answer of a key, or no row.
CREATE OR REPLACE FUNCTION idempotent_answer(p_tenant uuid, p_actor uuid, p_key text)
RETURNS TABLE (fingerprint bytea, status integer, record_id uuid, version bigint,
               notification_id bigint, application text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  RETURN QUERY SELECT k.fingerprint, k.status, k.record_id, k.version, k.notification_id,
                      k.application
    FROM idempotency_keys k
   WHERE k.tenant_id = p_tenant AND k.actor_id = p_actor AND k.key = p_key
     AND k.expires_at > now();
END $$;

-- The answer of a command that saved nothing (no statement of events to ride), in a
-- statement of its own; if another request committed the key first, its answer instead.
CREATE OR REPLACE FUNCTION remember_answer_alone(p_tenant uuid, p_actor uuid, p_key text,
                                                 p_fingerprint bytea, p_status integer,
                                                 p_record uuid, p_version bigint,
                                                 p_application text, p_notification_id bigint)
RETURNS TABLE (fingerprint bytea, status integer, record_id uuid, version bigint,
               notification_id bigint, application text, remembered boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM remember_answer(p_tenant, p_actor, p_key, p_fingerprint, p_status, p_record,
                          p_version, p_application, ARRAY[p_notification_id]);
  RETURN QUERY SELECT p_fingerprint, p_status, p_record, p_version, p_notification_id,
                      p_application, true;
EXCEPTION WHEN SQLSTATE 'BMI01' THEN
  RETURN QUERY SELECT a.*, false FROM idempotent_answer(p_tenant, p_actor, p_key) a;
END $$;
