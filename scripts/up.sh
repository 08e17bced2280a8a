#!/usr/bin/env bash
# Starts the whole platform (web, projector, Celery worker) with demo data.
# Embedded PostgreSQL and Redis unless BAROMETRE_DATABASE_URL / BAROMETRE_REDIS_URL are set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure_venv.sh
exec .venv/bin/barometre up
