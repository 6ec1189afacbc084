# An unreachable broker exits 69 within a few seconds, with one clear line naming the brokers.
. "$(dirname "$0")/lib.sh"
start=$(date +%s%N)
"$EMIT" -b 127.0.0.1:1 -t x -n 3 --connect-timeout 2s -q > "$WORK/out.txt" 2> "$WORK/err.txt"; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "$rc" 69 "exit code"
[ "$ms" -le 5000 ] || fail "took ${ms} ms"
assert_eq "$(wc -l < "$WORK/err.txt")" 1 "stderr lines"
grep -q 'no broker reachable at 127.0.0.1:1 within 2s' "$WORK/err.txt" || fail "message: $(cat "$WORK/err.txt")"
assert_eq "$(grep -c '^failed topic=x' "$WORK/out.txt")" 3 "every record gets its failed line"
