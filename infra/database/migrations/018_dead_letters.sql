-- Dead letters (ADR 26): a stream a projection could not apply is parked, per tenant and
-- projection, and the projector goes on with every other stream. A row with skipped_at NULL
-- parks its stream from notification_id on (that event and every later one of the stream
-- wait behind it); a skipped row records that an operator decided that one event is never
-- applied, by whom and why. projection_failures (migration 001) is no longer written.

CREATE TABLE IF NOT EXISTS dead_letters (
  tenant_id uuid NOT NULL,
  application text NOT NULL,
  originator_id uuid NOT NULL,
  projection text NOT NULL,
  notification_id bigint NOT NULL,
  originator_version bigint NOT NULL,
  topic text NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  first_failed_at timestamptz NOT NULL DEFAULT now(),
  last_failed_at timestamptz NOT NULL DEFAULT now(),
  skipped_at timestamptz,
  skipped_by text,
  skip_reason text,
  PRIMARY KEY (tenant_id, application, originator_id, projection, notification_id),
  CONSTRAINT dead_letters_skip_is_recorded_whole CHECK (
    (skipped_at IS NULL AND skipped_by IS NULL AND skip_reason IS NULL)
    OR (skipped_at IS NOT NULL AND skipped_by <> '' AND skip_reason <> ''))
);

-- A stream waits behind one event at a time, per projection.
CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_one_parked_event_per_stream
  ON dead_letters (tenant_id, application, originator_id, projection) WHERE skipped_at IS NULL;

-- The web role reads its own tenant's rows (read-your-writes stops waiting for a parked stream).
SELECT enable_tenant_rls('dead_letters');
