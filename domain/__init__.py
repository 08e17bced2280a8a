"""Aggregates and events of Baromètre; standard library and eventsourcing.domain only."""
