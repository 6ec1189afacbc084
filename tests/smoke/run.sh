#!/usr/bin/env bash
# Runs every smoke test (tests/smoke/t_*.sh) and every example (examples/*.sh) against the
# built binaries, each in its own process with its own mock broker. Prints "N passed, N failed".
# usage: tests/smoke/run.sh [BIN_DIR] [NAME...]   (NAME: run only tests/smoke/t_NAME.sh)
#   SMOKE_SKIP="NAME ..."   leave these out (t_NAME.sh or examples/NAME.sh)
#   SMOKE_SERVER, SMOKE_TANSU, SMOKE_LIBRDKAFKA: the server and librdkafka (see lib.sh)
set -u
BIN=$(cd "${1:-.build/debug}" && pwd)
shift || true
ONLY=("$@")
export BIN
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$BIN:$PATH"
pass=0; failed=0; failures=()
tests=("$ROOT"/tests/smoke/t_*.sh "$ROOT"/examples/*.sh)
if [ ${#ONLY[@]} -gt 0 ]; then tests=(); for n in "${ONLY[@]}"; do tests+=("$ROOT/tests/smoke/t_$n.sh"); done; fi
if [ -n "${SMOKE_SKIP:-}" ]; then
  kept=()
  for t in "${tests[@]}"; do
    b=$(basename "$t" .sh); b=${b#t_}
    [[ " $SMOKE_SKIP " == *" $b "* ]] || kept+=("$t")
  done
  tests=("${kept[@]}")
fi
for t in "${tests[@]}"; do
  name=${t#"$ROOT"/}
  start=$(date +%s.%N)
  if out=$(timeout 300 bash "$t" 2>&1); then
    pass=$((pass + 1))
    printf 'ok    %-45s %5.1fs\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)"
  else
    failed=$((failed + 1)); failures+=("$name")
    printf 'FAIL  %s\n%s\n' "$name" "$(echo "$out" | tail -20 | sed 's/^/      /')"
  fi
done
echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
