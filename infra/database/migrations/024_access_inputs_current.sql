-- An access decision's inputs must be at least as new as the events they come from (ADR 32).
-- The consent guard decides from views (account_directory, team_members, consent_grants). If
-- the projector is stopped, or has parked an event and moved on, those views lag the events,
-- and a revocation stored in the events would not be seen. So each of those three views now
-- records, with its rows and in the same transaction, the version of every stream it has
-- applied; a decision's inputs are current when, for every stream they depend on, the view's
-- version is the stream's latest in the events table. A logging statement refuses to record
-- an allowed access whose inputs are not current (SQLSTATE BMA01), whatever the caller passed,
-- and access_inputs says whether they are, so that the guard denies until the views catch up.

CREATE TABLE IF NOT EXISTS applied_account_versions (
  tenant_id uuid NOT NULL, account_id uuid NOT NULL, version bigint NOT NULL,
  PRIMARY KEY (tenant_id, account_id));
SELECT enable_tenant_rls('applied_account_versions');

CREATE TABLE IF NOT EXISTS applied_team_versions (
  tenant_id uuid NOT NULL, team_id uuid NOT NULL, version bigint NOT NULL,
  PRIMARY KEY (tenant_id, team_id));
SELECT enable_tenant_rls('applied_team_versions');

-- Keyed by person: the guard knows the person, and the ledger's id is derived from it.
CREATE TABLE IF NOT EXISTS applied_consent_versions (
  tenant_id uuid NOT NULL, person_id uuid NOT NULL, ledger_id uuid NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (tenant_id, person_id));
SELECT enable_tenant_rls('applied_consent_versions');

-- What the views hold already: every event up to each view's tracking position, per tenant.
-- The owner is subject to forced RLS, so it is lifted for this transaction only, to read
-- every tenant's events and write their rows.
DO $$
DECLARE
  t text;
  tables text[] := ARRAY['accounts_events', 'teams_events', 'consent_events',
                         'projection_tracking', 'applied_account_versions',
                         'applied_team_versions', 'applied_consent_versions'];
BEGIN
  FOREACH t IN ARRAY tables LOOP
    EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
  END LOOP;
  INSERT INTO applied_account_versions (tenant_id, account_id, version)
  SELECT e.tenant_id, e.originator_id, max(e.originator_version)
  FROM accounts_events e JOIN projection_tracking p ON p.tenant_id = e.tenant_id
   AND p.projection = 'account_directory' AND p.application = 'Accounts'
  WHERE e.notification_id <= p.notification_id
    AND e.topic LIKE 'domain.accounts.account:Account.%'
  GROUP BY e.tenant_id, e.originator_id
  ON CONFLICT DO NOTHING;
  INSERT INTO applied_team_versions (tenant_id, team_id, version)
  SELECT e.tenant_id, e.originator_id, max(e.originator_version)
  FROM teams_events e JOIN projection_tracking p ON p.tenant_id = e.tenant_id
   AND p.projection = 'team_directory' AND p.application = 'Teams'
  WHERE e.notification_id <= p.notification_id
  GROUP BY e.tenant_id, e.originator_id
  ON CONFLICT DO NOTHING;
  -- A ledger's first event (Opened) names its person; it holds only ids, no free text.
  INSERT INTO applied_consent_versions (tenant_id, person_id, ledger_id, version)
  SELECT o.tenant_id, (convert_from(o.state, 'UTF8')::jsonb #>> '{person_id,_data_}')::uuid,
         o.originator_id,
         (SELECT max(e.originator_version) FROM consent_events e
          WHERE e.tenant_id = o.tenant_id AND e.originator_id = o.originator_id
            AND e.notification_id <= p.notification_id)
  FROM consent_events o JOIN projection_tracking p ON p.tenant_id = o.tenant_id
   AND p.projection = 'consent_grants' AND p.application = 'Consent'
  WHERE o.originator_version = 1 AND o.notification_id <= p.notification_id
  ON CONFLICT DO NOTHING;
  FOREACH t IN ARRAY tables LOOP
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

-- Whether the views have applied every event of the streams the decision of (actor, person)
-- depends on: the person's and the actor's accounts, and, for anyone but the person (whose
-- own record does not depend on consent), the person's consent ledger and the streams of the
-- teams the actor is in. Each stream's latest version is one backward step on the events
-- table's primary key, with the tenant. plpgsql, so that its plans are kept.
CREATE OR REPLACE FUNCTION access_inputs_current(p_tenant uuid, p_actor uuid, p_person uuid)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_stream uuid;
  v_applied bigint;
BEGIN
  FOREACH v_stream IN ARRAY CASE WHEN p_actor = p_person THEN ARRAY[p_person]
                                 ELSE ARRAY[p_person, p_actor] END LOOP
    IF coalesce((SELECT e.originator_version FROM accounts_events e
                 WHERE e.tenant_id = p_tenant AND e.originator_id = v_stream
                 ORDER BY e.originator_version DESC LIMIT 1), 0)
       > coalesce((SELECT a.version FROM applied_account_versions a
                   WHERE a.tenant_id = p_tenant AND a.account_id = v_stream), 0) THEN
      RETURN false;
    END IF;
  END LOOP;
  IF p_actor = p_person THEN
    RETURN true;
  END IF;
  -- No row: the view has applied nothing of a ledger, so it shows no grant of this person.
  SELECT c.ledger_id, c.version INTO v_stream, v_applied FROM applied_consent_versions c
  WHERE c.tenant_id = p_tenant AND c.person_id = p_person;
  IF FOUND AND (SELECT e.originator_version FROM consent_events e
                WHERE e.tenant_id = p_tenant AND e.originator_id = v_stream
                ORDER BY e.originator_version DESC LIMIT 1) > v_applied THEN
    RETURN false;
  END IF;
  FOR v_stream, v_applied IN
    SELECT m.team_id, coalesce(t.version, 0) FROM team_members m
    LEFT JOIN applied_team_versions t ON t.tenant_id = m.tenant_id AND t.team_id = m.team_id
    WHERE m.tenant_id = p_tenant AND m.practitioner_id = p_actor
  LOOP
    IF (SELECT e.originator_version FROM teams_events e
        WHERE e.tenant_id = p_tenant AND e.originator_id = v_stream
        ORDER BY e.originator_version DESC LIMIT 1) > v_applied THEN
      RETURN false;
    END IF;
  END LOOP;
  RETURN true;
END $$;

-- The inputs, their stamp (ADR 14) and whether they are current, in that order: currency
-- found before the inputs are read holds for them too (views only move forward).
DROP FUNCTION IF EXISTS access_inputs(uuid, uuid, uuid);
CREATE FUNCTION access_inputs(p_tenant uuid, p_person uuid, p_actor uuid)
RETURNS TABLE (checked_at timestamptz, stamp bigint[], inputs_current boolean,
               person_exists boolean, team_ids uuid[], grant_id uuid, grantee_kind text,
               grantee_id uuid, tab text, level text, until timestamptz, revoked_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_stamp bigint[];
  v_current boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  v_stamp := access_stamp(p_tenant);
  v_current := access_inputs_current(p_tenant, p_actor, p_person);
  RETURN QUERY
    WITH me AS (SELECT ARRAY(SELECT m.team_id FROM team_members m
                             WHERE m.practitioner_id = p_actor) AS teams)
    SELECT now(), v_stamp, v_current,
           EXISTS (SELECT 1 FROM account_directory a
                   WHERE a.account_id = p_person AND a.role = 'person'),
           me.teams, g.grant_id, g.grantee_kind, g.grantee_id, g.tab, g.level, g.until,
           g.revoked_at
    FROM me LEFT JOIN consent_grants g ON g.person_id = p_person
     AND (g.grantee_id = p_actor OR (g.grantee_kind = 'team' AND g.grantee_id = ANY (me.teams)));
END $$;
GRANT EXECUTE ON FUNCTION access_inputs(uuid, uuid, uuid) TO barometre_web;

-- The checked access-log row (migration 016), now also refusing an allowed row whose inputs
-- are not current, whether or not the caller passed a stamp: kept inputs, inputs read for
-- this request, or a save after re-decisions. A denial needs no check. record_checked_access
-- and open_checked_record_read call this function, so they refuse likewise.
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
  IF p_outcome = 'allowed' AND NOT access_inputs_current(p_tenant, p_actor, p_person) THEN
    RAISE EXCEPTION 'the consent inputs lag the events' USING ERRCODE = 'BMA01';
  END IF;
  INSERT INTO access_log (tenant_id, actor_id, role, person_id, tab, action, method, path,
                          outcome, reason)
  VALUES (p_tenant, p_actor, p_role, p_person, p_tab, p_action, p_method, p_path, p_outcome,
          p_reason);
END $$;
