-- Event keys per tenant (ADR 31). The events and snapshots tables were keyed by
-- (originator_id, originator_version) across all tenants, so a row of tenant A at tenant B's
-- stream id and version made B's own append fail on the key. They are now keyed by
-- (tenant_id, originator_id, originator_version): tenants cannot collide, a stream read walks
-- the key from its tenant, and the key is the one a database sharded by tenant needs.
--
-- Existing tables keep their rows: the primary key is replaced in place (same name,
-- <table>_pkey, which the recorder maps to StreamMovedOn). ALTER TABLE builds the new index
-- and changes no row, so the append-only triggers (row UPDATE/DELETE, TRUNCATE) never fire.

-- Future applications: as in migration 001, with the tenant first in both keys.
CREATE OR REPLACE FUNCTION create_event_tables(app text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  events text := app || '_events';
  snapshots text := app || '_snapshots';
BEGIN
  EXECUTE format($f$
    CREATE TABLE IF NOT EXISTS %I (
      tenant_id uuid NOT NULL DEFAULT app_tenant(),
      originator_id uuid NOT NULL,
      originator_version bigint NOT NULL,
      topic text NOT NULL,
      state bytea NOT NULL,
      notification_id bigserial,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (tenant_id, originator_id, originator_version))$f$, events);
  EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I (notification_id)',
                 events || '_notification_id_idx', events);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (tenant_id, notification_id)',
                 events || '_tenant_idx', events);
  EXECUTE format($f$
    CREATE TABLE IF NOT EXISTS %I (
      tenant_id uuid NOT NULL DEFAULT app_tenant(),
      originator_id uuid NOT NULL,
      originator_version bigint NOT NULL,
      topic text NOT NULL,
      state bytea NOT NULL,
      PRIMARY KEY (tenant_id, originator_id, originator_version))$f$, snapshots);
  PERFORM enable_tenant_rls(events);
  PERFORM enable_tenant_rls(snapshots);
  EXECUTE format('REVOKE UPDATE, DELETE ON %I FROM barometre_projector', events);
  EXECUTE format('GRANT INSERT ON %I, %I TO barometre_web', events, snapshots);
  EXECUTE format('GRANT USAGE ON SEQUENCE %I TO barometre_web', events || '_notification_id_seq');
  EXECUTE format('DROP TRIGGER IF EXISTS append_only ON %I', events);
  EXECUTE format('CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON %I '
                 'FOR EACH ROW EXECUTE FUNCTION forbid_history_change()', events);
  EXECUTE format('DROP TRIGGER IF EXISTS append_only_truncate ON %I', events);
  EXECUTE format('CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON %I '
                 'FOR EACH STATEMENT EXECUTE FUNCTION forbid_history_change()', events);
END $$;

-- Stream reads (migration 015) with the tenant as the key's first bound: an explicit
-- predicate besides the RLS policy, so the read is a range of the primary key
-- (tenant, stream, version) whatever the planner knows, and a sharded database can route it.
CREATE OR REPLACE FUNCTION create_stream_read_functions(app text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY[app || '_events', app || '_snapshots'] LOOP
    EXECUTE format($f$
      CREATE OR REPLACE FUNCTION %1$I(tenant uuid, originator uuid, gt bigint, lte bigint,
                                      descending boolean, lim integer)
      RETURNS TABLE (originator_id uuid, originator_version bigint, topic text, state bytea)
      LANGUAGE plpgsql SECURITY INVOKER
      SET plan_cache_mode = force_generic_plan SET enable_bitmapscan = off AS $b$
      #variable_conflict use_column
      DECLARE
        lo bigint := coalesce(gt, '-9223372036854775808'::bigint);
        hi bigint := coalesce(lte, '9223372036854775807'::bigint);
      BEGIN
        PERFORM set_config('app.tenant_id', tenant::text, true);
        IF descending THEN
          RETURN QUERY SELECT e.originator_id, e.originator_version, e.topic, e.state
            FROM %2$I e WHERE e.tenant_id = tenant AND e.originator_id = originator
             AND e.originator_version > lo AND e.originator_version <= hi
            ORDER BY e.originator_version DESC LIMIT lim;
        ELSE
          RETURN QUERY SELECT e.originator_id, e.originator_version, e.topic, e.state
            FROM %2$I e WHERE e.tenant_id = tenant AND e.originator_id = originator
             AND e.originator_version > lo AND e.originator_version <= hi
            ORDER BY e.originator_version ASC LIMIT lim;
        END IF;
      END $b$ $f$, 'barometre_select_from_' || tbl, tbl);
  END LOOP;
END $$;

-- Existing events and snapshots tables: the key replaced in place, rows untouched.
DO $$
DECLARE
  found record;
BEGIN
  FOR found IN
    SELECT c.relname AS tbl, k.conname AS key
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE k.contype = 'p' AND c.relnamespace = current_schema()::regnamespace
      AND (c.relname LIKE '%\_events' OR c.relname LIKE '%\_snapshots')
      AND pg_get_constraintdef(k.oid) = 'PRIMARY KEY (originator_id, originator_version)'
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I'
                   ' PRIMARY KEY (tenant_id, originator_id, originator_version)',
                   found.tbl, found.key, found.tbl || '_pkey');
  END LOOP;
END $$;

-- Every existing application's stream reads, events and snapshots, regenerated.
SELECT create_stream_read_functions(substring(proname FROM '^barometre_select_from_(.*)_events$'))
FROM pg_proc
WHERE proname LIKE 'barometre\_select\_from\_%\_events'
  AND pronamespace = current_schema()::regnamespace;

-- projection_failures (migration 001), where it is still kept: a failure is of one tenant's
-- event, so its key leads with the tenant too. A row whose event cannot be found names no
-- tenant and is dropped: the projector retries a failed event and records it again. The
-- events are read through their owner with RLS unforced for this transaction only (the ALTER
-- holds the table's lock until the commit, so no other session sees it unforced).
DO $$
DECLARE
  app text;
  events text;
BEGIN
  IF to_regclass('projection_failures') IS NULL OR EXISTS (
      SELECT 1 FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'projection_failures'
        AND column_name = 'tenant_id') THEN
    RETURN;
  END IF;
  ALTER TABLE projection_failures ADD COLUMN tenant_id uuid;
  FOR app IN SELECT DISTINCT application FROM projection_failures LOOP
    events := lower(app) || '_events';
    IF to_regclass(events) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', events);
      EXECUTE format('UPDATE projection_failures f SET tenant_id = e.tenant_id FROM %I e'
                     ' WHERE f.application = %L AND e.notification_id = f.notification_id',
                     events, app);
      EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', events);
    END IF;
  END LOOP;
  DELETE FROM projection_failures WHERE tenant_id IS NULL;
  ALTER TABLE projection_failures ALTER COLUMN tenant_id SET NOT NULL,
    DROP CONSTRAINT projection_failures_pkey,
    ADD CONSTRAINT projection_failures_pkey
      PRIMARY KEY (tenant_id, projection, application, notification_id);
  -- A table with a tenant is isolated like every other (the projector's role bypasses RLS).
  PERFORM enable_tenant_rls('projection_failures');
END $$;
