-- Whether an access decision's inputs are as new as the events they come from (ADR 32), in
-- ONE statement instead of a loop of up to eight: the logging statement of every allowed
-- access runs it, and each statement of a plpgsql function is a call of its own. Same
-- answer as migration 024's: the person's and the actor's accounts, and, for anyone but the
-- person, the person's consent ledger and the teams the actor is in; each stream's latest
-- version is one backward step on the events table's primary key, with the tenant.
-- plpgsql, so that the statement's plan is kept for the connection.
CREATE OR REPLACE FUNCTION access_inputs_current(p_tenant uuid, p_actor uuid, p_person uuid)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN NOT EXISTS (
      SELECT 1 FROM unnest(CASE WHEN p_actor = p_person THEN ARRAY[p_person]
                                ELSE ARRAY[p_person, p_actor] END) AS s(stream)
      WHERE coalesce((SELECT e.originator_version FROM accounts_events e
                      WHERE e.tenant_id = p_tenant AND e.originator_id = s.stream
                      ORDER BY e.originator_version DESC LIMIT 1), 0)
          > coalesce((SELECT a.version FROM applied_account_versions a
                      WHERE a.tenant_id = p_tenant AND a.account_id = s.stream), 0))
    AND (p_actor = p_person OR (
      -- No row: the view has applied nothing of a ledger, so it shows no grant of this person.
      NOT EXISTS (
        SELECT 1 FROM applied_consent_versions c
        WHERE c.tenant_id = p_tenant AND c.person_id = p_person
          AND (SELECT e.originator_version FROM consent_events e
               WHERE e.tenant_id = p_tenant AND e.originator_id = c.ledger_id
               ORDER BY e.originator_version DESC LIMIT 1) > c.version)
      AND NOT EXISTS (
        SELECT 1 FROM team_members m
        LEFT JOIN applied_team_versions t ON t.tenant_id = m.tenant_id AND t.team_id = m.team_id
        WHERE m.tenant_id = p_tenant AND m.practitioner_id = p_actor
          AND (SELECT e.originator_version FROM teams_events e
               WHERE e.tenant_id = p_tenant AND e.originator_id = m.team_id
               ORDER BY e.originator_version DESC LIMIT 1) > coalesce(t.version, 0))));
END $$;
