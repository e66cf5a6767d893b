#!/usr/bin/env bash
# One command from a fresh clone to a running product: install, build models, index corpus/, start.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${ASSISTANT_VENV:-.venv}"
scripts/setup.sh

echo "==> indexing corpus/"
set +e
"$VENV/bin/assistant" index
status=$?
set -e
if [ "$status" -eq 1 ]; then
  echo "(some files could not be indexed; they are listed above with the reason)"
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi

cat <<MSG

Ready. Starting the web chat at http://${GRADIO_SERVER_NAME:-127.0.0.1}:${GRADIO_SERVER_PORT:-7860}
(answer backend: ${ASSISTANT_LLM:-local}; ASSISTANT_LLM=none for instant extractive answers).
From a terminal:  $VENV/bin/assistant ask "Kế hoạch 02 chia thành mấy giai đoạn?"
MSG
exec "$VENV/bin/python" app.py
