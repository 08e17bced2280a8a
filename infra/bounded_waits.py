"""How long a request waits for PostgreSQL or Redis before it is answered 503 (ADR 29)."""

from __future__ import annotations

CONNECT_SECONDS = 2.0  # to open a connection (libpq counts whole seconds, 2 at least)
ACQUIRE_SECONDS = 2.0  # for a pooled connection, when every one is in use
RETRY_AFTER_SECONDS = 5  # what a 503 tells the client to wait before trying again


class ServerUnavailable(Exception):
    """PostgreSQL or Redis could not be reached within the bounded wait."""
