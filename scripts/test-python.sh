#!/usr/bin/env bash
# Prints the path of a Python with the pinned test helpers of tests/requirements.txt, creating
# the virtual environment .build/test-venv when it is missing or out of date.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="$ROOT/.build/test-venv"
REQ="$ROOT/tests/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/requirements.txt"; then
  "$ROOT/scripts/ensure-deps.sh" venv >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ" >&2
  cp "$REQ" "$VENV/requirements.txt"
fi
echo "$VENV/bin/python"
