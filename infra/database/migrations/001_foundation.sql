-- Foundation: the tenant setting, append-only event tables, tracking, and helpers
-- that give every table tenant isolation by forced Row-Level Security.

CREATE OR REPLACE FUNCTION app_tenant() RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE OR REPLACE FUNCTION forbid_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

DO $$ BEGIN
  CREATE TYPE stored_event_uuid AS (
    originator_id uuid, originator_version bigint, topic text, state bytea);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

-- Gives a table tenant isolation: RLS enabled and forced, one policy on tenant_id,
-- read access for the web role, and full access for the projector role.
CREATE OR REPLACE FUNCTION enable_tenant_rls(tbl text, web_can_write boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) '
                 'WITH CHECK (tenant_id = app_tenant())', tbl);
  EXECUTE format('GRANT SELECT ON %I TO barometre_web', tbl);
  IF web_can_write THEN
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %I TO barometre_web', tbl);
  END IF;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO barometre_projector', tbl);
END $$;

-- Creates the events and snapshots tables of one eventsourcing application.
-- The tenant comes from the transaction's app.tenant_id; rows can never change.
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
      PRIMARY KEY (originator_id, originator_version))$f$, events);
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
      PRIMARY KEY (originator_id, originator_version))$f$, snapshots);
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

-- Position of each projection in each application's log, per tenant.
CREATE TABLE IF NOT EXISTS projection_tracking (
  tenant_id uuid NOT NULL,
  projection text NOT NULL,
  application text NOT NULL,
  notification_id bigint NOT NULL,
  PRIMARY KEY (tenant_id, projection, application)
);
SELECT enable_tenant_rls('projection_tracking');

-- Dead letters: an event a projection could not apply, kept for the operator;
-- the projection stops there and retries, it never skips.
CREATE TABLE IF NOT EXISTS projection_failures (
  projection text NOT NULL,
  application text NOT NULL,
  notification_id bigint NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  last_failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, application, notification_id)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON projection_failures TO barometre_projector;
