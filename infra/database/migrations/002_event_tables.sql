-- Event and snapshot tables of the first two applications.
SELECT create_event_tables('accounts');
SELECT create_event_tables('qualityoflife');
