#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${ASSISTANT_VENV:-.venv}"
scripts/setup.sh test
exec "$VENV/bin/python" -m pytest "$@"
