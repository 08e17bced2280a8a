-- Since migration 014 the guard logs only through record_checked_access and
-- open_checked_record_read (ADR 14), which no longer call these.
DROP FUNCTION IF EXISTS open_record_read(uuid, uuid, text, uuid, text, text, text, text, text, text);
DROP FUNCTION IF EXISTS record_access(uuid, uuid, text, uuid, text, text, text, text, text, text);
DROP FUNCTION IF EXISTS check_access_stamp(uuid, bigint[], timestamptz);
