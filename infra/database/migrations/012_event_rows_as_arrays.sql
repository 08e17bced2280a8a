-- Writes a save's events from one array per column (ADR 12): the web sends them as binary
-- arrays, which cost far less to build and to parse than an array of composite values whose
-- bytea states travel as escaped text. Same steps as barometre_insert_events (migration 010):
-- the tenant, the table's advisory lock held only inside PostgreSQL, NOTIFY, then the insert.
CREATE OR REPLACE FUNCTION barometre_insert_event_rows(tbl text, tenant uuid,
                                                       originator_ids uuid[], versions bigint[],
                                                       topics text[], states bytea[])
RETURNS TABLE (notification_id bigint)
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  PERFORM set_config('app.tenant_id', tenant::text, true);
  PERFORM pg_advisory_xact_lock(hashtext(tbl));
  EXECUTE format('NOTIFY %I', tbl);
  RETURN QUERY EXECUTE format(
    'INSERT INTO %I (originator_id, originator_version, topic, state)'
    ' SELECT * FROM unnest($1, $2, $3, $4) RETURNING notification_id', tbl)
    USING originator_ids, versions, topics, states;
END $$;

GRANT EXECUTE ON FUNCTION barometre_insert_event_rows(text, uuid, uuid[], bigint[], text[], bytea[])
  TO barometre_web;

-- The composite-array form is no longer called.
DROP FUNCTION IF EXISTS barometre_insert_events(text, uuid, stored_event_uuid[]);
