-- One round trip per write and per read of a stream, with the tenant set inside.
-- Writers still serialise on an advisory lock (commit order = notification order), but the
-- lock is now held only while PostgreSQL works, never while it waits for the client.

CREATE OR REPLACE FUNCTION barometre_insert_events(tbl text, tenant uuid, events stored_event_uuid[])
RETURNS TABLE (notification_id bigint)
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  PERFORM set_config('app.tenant_id', tenant::text, true);
  PERFORM pg_advisory_xact_lock(hashtext(tbl));
  EXECUTE format('NOTIFY %I', tbl);
  RETURN QUERY EXECUTE format(
    'INSERT INTO %I (originator_id, originator_version, topic, state)'
    ' SELECT e.originator_id, e.originator_version, e.topic, e.state FROM unnest($1) e'
    ' RETURNING notification_id', tbl) USING events;
END $$;

CREATE OR REPLACE FUNCTION barometre_select_events(
  tbl text, tenant uuid, originator uuid, gt bigint, lte bigint, descending boolean, lim integer)
RETURNS TABLE (originator_id uuid, originator_version bigint, topic text, state bytea)
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  PERFORM set_config('app.tenant_id', tenant::text, true);
  RETURN QUERY EXECUTE format(
    'SELECT originator_id, originator_version, topic, state FROM %I WHERE originator_id = $1'
    ' AND ($2::bigint IS NULL OR originator_version > $2)'
    ' AND ($3::bigint IS NULL OR originator_version <= $3)'
    ' ORDER BY originator_version %s LIMIT $4',
    tbl, CASE WHEN descending THEN 'DESC' ELSE 'ASC' END) USING originator, gt, lte, lim;
END $$;

GRANT EXECUTE ON FUNCTION barometre_insert_events(text, uuid, stored_event_uuid[]) TO barometre_web;
GRANT EXECUTE ON FUNCTION barometre_select_events(text, uuid, uuid, bigint, bigint, boolean, integer) TO barometre_web;
