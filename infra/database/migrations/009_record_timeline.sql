-- The timeline of every change to a person's record, across the tabs.
CREATE TABLE IF NOT EXISTS record_timeline (
  tenant_id uuid NOT NULL, application text NOT NULL, notification_id bigint NOT NULL,
  person_id uuid NOT NULL, tab text NOT NULL, kind text NOT NULL, subject_id uuid NOT NULL,
  author_id uuid, at timestamptz NOT NULL, details jsonb NOT NULL,
  PRIMARY KEY (tenant_id, application, notification_id));
CREATE INDEX IF NOT EXISTS record_timeline_person_idx
  ON record_timeline (tenant_id, person_id, at DESC, application DESC, notification_id DESC);
SELECT enable_tenant_rls('record_timeline');
