"""One PostgreSQL datastore (one pool) shared by every application and every tenant."""

from __future__ import annotations

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    BaseInfrastructureFactory,
    Transcoder,
)
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment

from infra.database.params import DbParams
from infra.eventstore.recorders import TenantApplicationRecorder, TenantSnapshotRecorder
from infra.eventstore.transcoder import FastJSONTranscoder
from infra.eventstore.write_pool import WriteDatastore


def build_datastore(params: DbParams, pool_size: int) -> PostgresDatastore:
    return WriteDatastore(params, pool_size)  # bounded waits, stale connections replaced (ADR 29)


class SharedPostgresFactory(PostgresFactory):
    """Builds an application's recorders on a datastore it does not own (tables come from migrations)."""

    def __init__(self, env: Environment, datastore: PostgresDatastore) -> None:
        BaseInfrastructureFactory.__init__(self, env)
        self.datastore = datastore

    def env_create_table(self) -> bool:
        return False

    def transcoder(self) -> Transcoder:
        """The library's JSON format, written and read faster (ADR 24), unless the
        environment names another transcoder."""
        if self.env.get(self.TRANSCODER_TOPIC):
            return super().transcoder()
        return FastJSONTranscoder()

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        return TenantSnapshotRecorder(self.datastore, events_table_name=f"{self.env.name.lower()}_{purpose}")

    def application_recorder(self) -> ApplicationRecorder:
        return TenantApplicationRecorder(self.datastore, events_table_name=f"{self.env.name.lower()}_events")

    def close(self) -> None:
        """The composition root owns the datastore and closes it once."""


def factory_builder(datastore: PostgresDatastore):  # type: ignore[no-untyped-def]
    def build(env: Environment) -> SharedPostgresFactory:
        return SharedPostgresFactory(env, datastore)
    return build
