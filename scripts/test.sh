#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${ASSISTANT_VENV:-.venv}"
# Tests run the real local LLM with the small 0.5B model (the 1.5B default is for the product and benchmarks).
export ASSISTANT_LOCAL__MODEL="${ASSISTANT_LOCAL__MODEL:-qwen2.5-0.5b}"
scripts/setup.sh test
exec "$VENV/bin/python" -m pytest "$@"
