-- Rebuilds write into new tables, in a schema of their own created in the rebuild's
-- transaction, and swap them in at its end (ADR 27). The projector role may not create or
-- drop tables: these functions do it for it, as their owner, and only on the read models
-- listed here. A new table has what the live one has: columns, defaults, checks, keys,
-- indexes (added after the rows), RLS enabled and forced, policies, grants, owner.

-- Every table a projection owns. A projection whose table is missing here cannot be rebuilt
-- (tests/reliability/test_rebuild.py checks the list against the projections).
CREATE OR REPLACE FUNCTION rebuildable_read_models() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY[
  'account_directory', 'teams', 'team_members', 'consent_grants', 'consent_requests',
  'qol_assessments', 'qol_current_ratings', 'qol_theme_history', 'qol_assessment_ratings',
  'qol_sphere_averages', 'qol_priorities', 'network_relationships',
  'network_relationship_history', 'strengths_current', 'strengths_history', 'plan_goals',
  'plan_goal_themes', 'plan_goal_strengths', 'plan_actions', 'plan_goal_history',
  'record_timeline', 'applied_account_versions', 'applied_team_versions',
  'applied_consent_versions']::text[] $$;

CREATE OR REPLACE FUNCTION rebuild_check_tables(p_tables text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY p_tables LOOP
    IF NOT t = ANY (rebuildable_read_models()) THEN
      RAISE EXCEPTION 'not a rebuildable read model: %', t USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- What a copy would not carry: refuse rather than swap in a table without it.
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = format('public.%I', t)::regclass AND NOT tgisinternal)
       OR EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = format('public.%I', t)::regclass AND contype = 'f')
       OR EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attacl IS NOT NULL)
       OR EXISTS (SELECT 1 FROM pg_depend WHERE refobjid = format('public.%I', t)::regclass
                  AND classid = 'pg_rewrite'::regclass) THEN
      RAISE EXCEPTION 'read model % has triggers, foreign keys, column grants or views: not rebuilt', t;
    END IF;
  END LOOP;
END $$;

-- A new, empty table in schema s like public.t, with its keys (ON CONFLICT needs them) but
-- not yet its other indexes.
CREATE OR REPLACE FUNCTION rebuild_new_table(s text, t text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  live regclass := format('public.%I', t)::regclass;
  rel record; c record; p record; g record;
BEGIN
  EXECUTE format('CREATE TABLE %I.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                 ' INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)',
                 s, t, t);
  FOR c IN SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
           WHERE conrelid = live AND contype IN ('p', 'u', 'x') ORDER BY conname LOOP
    EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', s, t, c.conname, c.def);
  END LOOP;
  SELECT relrowsecurity, relforcerowsecurity, relacl, relowner, reloptions INTO rel
    FROM pg_class WHERE oid = live;
  IF rel.relrowsecurity THEN EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', s, t); END IF;
  IF rel.relforcerowsecurity THEN EXECUTE format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', s, t); END IF;
  IF rel.reloptions IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %I.%I SET (%s)', s, t, array_to_string(rel.reloptions, ', '));
  END IF;
  FOR p IN SELECT polname, polpermissive, polcmd, pg_get_expr(polqual, polrelid) AS qual,
                  pg_get_expr(polwithcheck, polrelid) AS checked,
                  (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ')
                     FROM unnest(polroles) r) AS roles
           FROM pg_policy WHERE polrelid = live ORDER BY polname LOOP
    EXECUTE format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s%s%s', p.polname, s, t,
                   CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                 WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, p.roles,
                   coalesce(' USING (' || p.qual || ')', ''),
                   coalesce(' WITH CHECK (' || p.checked || ')', ''));
  END LOOP;
  FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable FROM aclexplode(rel.relacl) a
           WHERE a.grantee <> rel.relowner LOOP
    EXECUTE format('GRANT %s ON %I.%I TO %s%s', g.privilege_type, s, t,
                   CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                   CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  IF rel.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', s, t, pg_get_userbyid(rel.relowner));
  END IF;
END $$;

-- Opens a rebuild: a new schema holding an empty copy of each table; returns its name.
CREATE OR REPLACE FUNCTION rebuild_begin(p_tables text[]) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  s text := 'rebuild_' || md5(random()::text || clock_timestamp()::text || txid_current()::text);
  t text;
BEGIN
  PERFORM rebuild_check_tables(p_tables);
  EXECUTE format('CREATE SCHEMA %I', s);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO barometre_projector', s);
  FOREACH t IN ARRAY p_tables LOOP
    PERFORM rebuild_new_table(s, t);
  END LOOP;
  RETURN s;
END $$;

-- Closes a rebuild: adds the other indexes to the new tables named in p_swapped, puts each
-- in place of the live one (same names for the table, its indexes and constraints), and
-- drops the rebuild's schema with whatever else it holds. The caller's transaction makes it
-- all or nothing.
CREATE OR REPLACE FUNCTION rebuild_swap(s text, p_swapped text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE t text; i record; live_on text; new_on text;
BEGIN
  IF s !~ '^rebuild_[0-9a-f]{32}$' OR NOT EXISTS (
      SELECT 1 FROM pg_namespace WHERE nspname = s AND nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) THEN
    RAISE EXCEPTION 'not a rebuild schema: %', s USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM rebuild_check_tables(p_swapped);
  FOREACH t IN ARRAY p_swapped LOOP
    live_on := format(' ON public.%I ', t);
    new_on := format(' ON %I.%I ', s, t);
    FOR i IN SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
             WHERE x.indrelid = format('public.%I', t)::regclass
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                               AND c.conrelid = x.indrelid) LOOP
      IF position(live_on IN i.def) = 0 THEN
        RAISE EXCEPTION 'cannot copy index %', i.def;
      END IF;
      EXECUTE replace(i.def, live_on, new_on);
    END LOOP;
    EXECUTE format('DROP TABLE public.%I', t);
    EXECUTE format('ALTER TABLE %I.%I SET SCHEMA public', s, t);
  END LOOP;
  EXECUTE format('DROP SCHEMA %I CASCADE', s);
END $$;

-- Statistics of the new tables as they fill: nothing else can gather them (autovacuum does
-- not see an uncommitted table), and without them joins on a grown table become scans.
CREATE OR REPLACE FUNCTION rebuild_analyze(s text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE t text;
BEGIN
  IF s !~ '^rebuild_[0-9a-f]{32}$' THEN
    RAISE EXCEPTION 'not a rebuild schema: %', s USING ERRCODE = 'insufficient_privilege';
  END IF;
  FOR t IN SELECT relname FROM pg_class WHERE relnamespace = s::regnamespace AND relkind = 'r' LOOP
    EXECUTE format('ANALYZE %I.%I', s, t);
  END LOOP;
END $$;

REVOKE ALL ON FUNCTION rebuild_analyze(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rebuild_analyze(text) TO barometre_projector;

REVOKE ALL ON FUNCTION rebuild_begin(text[]), rebuild_swap(text, text[]),
  rebuild_new_table(text, text), rebuild_check_tables(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rebuild_begin(text[]), rebuild_swap(text, text[]) TO barometre_projector;
