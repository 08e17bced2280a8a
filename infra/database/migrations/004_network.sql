-- The social network (ecomap) tab: its event tables and its read models, keyed by tenant first.
SELECT create_event_tables('network');

-- The current map: one row per relationship, ended ones kept with ended_at set.
CREATE TABLE IF NOT EXISTS network_relationships (
  tenant_id uuid NOT NULL, relationship_id uuid NOT NULL, person_id uuid NOT NULL,
  name text NOT NULL, relationship_type text NOT NULL, label text,
  quality integer NOT NULL, closeness text NOT NULL, supports text[] NOT NULL,
  frequency text NOT NULL, comment text,
  version integer NOT NULL, added_at timestamptz NOT NULL, added_by uuid NOT NULL,
  updated_at timestamptz NOT NULL, updated_by uuid NOT NULL,
  ended_at timestamptz, ended_by uuid,
  PRIMARY KEY (tenant_id, relationship_id));
CREATE INDEX IF NOT EXISTS network_relationships_person_idx
  ON network_relationships (tenant_id, person_id);
SELECT enable_tenant_rls('network_relationships');

-- One row per event with the full state after it, valid from the event's time:
-- the history of a relationship, the map as of any instant, and the diff of two instants.
CREATE TABLE IF NOT EXISTS network_relationship_history (
  tenant_id uuid NOT NULL, relationship_id uuid NOT NULL, version integer NOT NULL,
  notification_id bigint NOT NULL, change text NOT NULL, author_id uuid NOT NULL,
  valid_from timestamptz NOT NULL, person_id uuid NOT NULL,
  name text NOT NULL, relationship_type text NOT NULL, label text,
  quality integer NOT NULL, closeness text NOT NULL, supports text[] NOT NULL,
  frequency text NOT NULL, comment text, added_at timestamptz NOT NULL,
  ended_at timestamptz,
  PRIMARY KEY (tenant_id, relationship_id, version));
CREATE INDEX IF NOT EXISTS network_relationship_history_person_idx
  ON network_relationship_history (tenant_id, person_id, relationship_id, valid_from);
SELECT enable_tenant_rls('network_relationship_history');
