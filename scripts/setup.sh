#!/usr/bin/env bash
# Create the virtual environment and install the project (idempotent).
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh test     runtime + test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${ASSISTANT_VENV:-.venv}"
EXTRAS="${1:-}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment in $VENV"
  "$PY" -m venv "$VENV"
fi

# Reinstall only when the dependency declaration changed.
label="${EXTRAS:-base}"
stamp="$VENV/.installed-$label-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> installing dependencies (first run takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  # The CPU build of torch first: an unpinned torch would pull a CUDA build of several GB.
  "$VENV/bin/python" -m pip install --quiet torch==2.13.0
  target="."
  [ -n "$EXTRAS" ] && target=".[${EXTRAS}]"
  # llama-cpp-python compiles from source: a portable build (no -march=native) so the cached wheel runs anywhere.
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$VENV/bin/python" -m pip install --quiet -e "$target"
  rm -f "$VENV/.installed-$label-"*
  touch "$stamp"
fi

# Scanned PDF pages are read by Debian's Tesseract with its Vietnamese model (assistant/ingest/ocr.py); without
# root the index reports such pages "no text layer (scanned?)" as before.
if ! { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie && command -v jbig2dec >/dev/null; }; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> installing tesseract-ocr with its Vietnamese model for scanned PDF pages (and jbig2dec for JBIG2 scans)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie jbig2dec \
      >/dev/null
  else
    echo "==> note: tesseract-ocr-vie and jbig2dec need root to install: scanned PDF pages will be reported, not read"
  fi
fi

# Browser tests drive Debian's chromium (Playwright cannot download browsers here).
if [ "$EXTRAS" = "test" ] && [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ]; then
  echo "==> installing chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Feedback tests start a real PostgreSQL (tests/services.py): Debian's initdb/pg_ctl, on PATH or in its own folder.
if [ "$EXTRAS" = "test" ] && ! command -v pg_ctl >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
   && [ "$(id -u)" = "0" ]; then
  echo "==> installing postgresql for the feedback tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

echo "==> building models (reused when already built)"
"$VENV/bin/assistant" models build
