"""Application services: one eventsourcing Application per bounded context, one method per use case."""
