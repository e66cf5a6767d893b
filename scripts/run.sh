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

Ready. The index is in index/. Search it with:

  $VENV/bin/assistant search "Kế hoạch 02 chia thành mấy giai đoạn?"
  $VENV/bin/assistant search "Who chaired the conference?" -k 3 --lang de

Add documents to corpus/ and run '$VENV/bin/assistant index' again to sync.
MSG
