#!/usr/bin/env bash
# Runs the whole test suite on real PostgreSQL and Redis (embedded unless URLs are set),
# then the architecture and lint checks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure_venv.sh
.venv/bin/lint-imports --config pyproject.toml
.venv/bin/ruff check domain services projections infra
.venv/bin/mypy --strict domain services projections
exec .venv/bin/python -m pytest "$@"
