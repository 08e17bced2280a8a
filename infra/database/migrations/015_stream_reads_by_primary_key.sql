-- Stream reads that walk the primary key whatever the table's statistics (ADR 18).
--
-- The read functions of migration 014 filtered the version bounds as
-- `(gt IS NULL OR version > gt)`, which no index can use, and left the access path to the
-- planner. On an events table never analysed (a new table, a bulk load, or a server without
-- autovacuum), the planner rated the tenant index as selective as the stream's own key and
-- combined both (BitmapAnd): every read of one stream scanned every event of its tenant.
-- Measured on a benchmark database with 34,200 events of one tenant: 1.7 ms a read instead
-- of 0.05 ms, growing with the tenant's history.
--
-- A read of one stream is a range of the primary key (originator_id, originator_version).
-- The bounds are now plain comparisons with variables (an absent bound becomes an extreme of
-- bigint), which the primary key's scan can use under the RLS policy (an expression such as
-- coalesce() in a condition could only filter, after the policy's own condition); and bitmap
-- scans are off inside the function, so the plan is the ordered primary-key scan however
-- little the planner knows. Writes are unchanged.

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
            FROM %2$I e WHERE e.originator_id = originator
             AND e.originator_version > lo AND e.originator_version <= hi
            ORDER BY e.originator_version DESC LIMIT lim;
        ELSE
          RETURN QUERY SELECT e.originator_id, e.originator_version, e.topic, e.state
            FROM %2$I e WHERE e.originator_id = originator
             AND e.originator_version > lo AND e.originator_version <= hi
            ORDER BY e.originator_version ASC LIMIT lim;
        END IF;
      END $b$ $f$, 'barometre_select_from_' || tbl, tbl);
  END LOOP;
END $$;

-- The write functions stay those of migration 014; a new application still calls
-- create_event_store_functions(app), which now ends with the reads of this migration.
ALTER FUNCTION create_event_store_functions(text) RENAME TO create_event_store_functions_014;

CREATE FUNCTION create_event_store_functions(app text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM create_event_store_functions_014(app);
  PERFORM create_stream_read_functions(app);
END $$;

SELECT create_stream_read_functions(app)
FROM unnest(ARRAY['accounts', 'qualityoflife', 'network', 'strengths', 'plan', 'teams',
                  'consent']) AS app;
