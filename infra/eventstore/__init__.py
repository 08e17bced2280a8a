"""The eventsourcing library's PostgreSQL persistence, made tenant-aware and shared."""
