"""Settings of the platform, read only from the environment, with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    redis_url: str | None
    data_dir: Path
    web_db_password: str
    projector_db_password: str
    session_ttl_seconds: int
    token_ttl_days: int
    max_body_bytes: int
    read_your_writes_timeout: float
    secure_cookies: bool
    web_host: str
    web_port: int
    web_workers: int = 1
    access_inputs_kept: int = 10_000  # consent inputs kept per web process (ADR 14); 0: none
    service_threads: int = 3  # worker threads running synchronous services at once (ADR 17)
    session_cache_ms: int = 1000  # a web process remembers a looked-up session (ADR 23); 0: not
    projector_nice: int = 10  # the projector process yields the CPU to request serving (ADR 17)
    request_head_seconds: int = 10  # to receive a request's head, or 408 (ADR 29)
    request_body_seconds: int = 30  # to receive its body once the head is in, or 408 (ADR 29)
    # Login security (ADR 0009); defaults so a Settings built by hand stays safe.
    session_absolute_seconds: int = 12 * 3600
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 50
    login_failure_window_seconds: int = 15 * 60


class SettingsError(ValueError):
    """A setting of the environment that cannot be used, named with what it must be."""


def _int(name: str, default: int, low: int | None = None, high: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} doit être un entier (must be an integer), pas {raw!r}") from None
    if low is not None and high is not None and not low <= value <= high:
        raise SettingsError(f"{name} doit être entre {low} et {high} (must be between {low}"
                            f" and {high}), pas {value}")
    if low is not None and value < low:
        raise SettingsError(f"{name} doit être au moins {low} (must be at least {low}), pas {value}")
    if high is not None and value > high:
        raise SettingsError(f"{name} doit être au plus {high} (must be at most {high}), pas {value}")
    return value


@cache
def get_settings() -> Settings:
    """The one place configuration is read; cached, so read once per process."""
    return Settings(
        database_url=os.environ.get("BAROMETRE_DATABASE_URL") or None,
        redis_url=os.environ.get("BAROMETRE_REDIS_URL") or None,
        data_dir=Path(os.environ.get("BAROMETRE_DATA_DIR", "var")).resolve(),
        web_db_password=os.environ.get("BAROMETRE_WEB_DB_PASSWORD", "barometre-web"),
        projector_db_password=os.environ.get(
            "BAROMETRE_PROJECTOR_DB_PASSWORD", "barometre-projector"
        ),
        session_ttl_seconds=_int("BAROMETRE_SESSION_TTL_SECONDS", 3600),  # idle, refreshed on use
        token_ttl_days=_int("BAROMETRE_TOKEN_TTL_DAYS", 90),
        max_body_bytes=_int("BAROMETRE_MAX_BODY_BYTES", 1024 * 1024),
        read_your_writes_timeout=float(os.environ.get("BAROMETRE_READ_YOUR_WRITES_TIMEOUT", "5")),
        secure_cookies=os.environ.get("BAROMETRE_SECURE_COOKIES", "0") == "1",
        web_host=os.environ.get("BAROMETRE_WEB_HOST", "127.0.0.1"),
        web_port=_int("BAROMETRE_WEB_PORT", 8000),
        web_workers=_int("BAROMETRE_WEB_WORKERS", 1),
        access_inputs_kept=_int("BAROMETRE_ACCESS_INPUTS_KEPT", 10_000),
        service_threads=_int("BAROMETRE_SERVICE_THREADS", 3, low=1),
        session_cache_ms=_int("BAROMETRE_SESSION_CACHE_MS", 1000, low=0, high=60_000),
        projector_nice=_int("BAROMETRE_PROJECTOR_NICE", 10, low=0, high=19),
        request_head_seconds=_int("BAROMETRE_REQUEST_HEAD_SECONDS", 10, low=1),
        request_body_seconds=_int("BAROMETRE_REQUEST_BODY_SECONDS", 30, low=1),
        session_absolute_seconds=_int("BAROMETRE_SESSION_ABSOLUTE_SECONDS", 12 * 3600),
        login_max_failures_per_account=_int("BAROMETRE_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        login_max_failures_per_ip=_int("BAROMETRE_LOGIN_MAX_FAILURES_PER_IP", 50),
        login_failure_window_seconds=_int("BAROMETRE_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60),
    )
