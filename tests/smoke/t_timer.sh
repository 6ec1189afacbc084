# The seed scenario: 100 records every 100 ms take ~10 s and yield correlations 0..99.
. "$(dirname "$0")/lib.sh"
start_mock --topic order-events:3
start=$(date +%s%N)
"$EMIT" -b "$BOOTSTRAP" --topic order-events --every 100ms --count 100 > "$WORK/out.txt" 2> "$WORK/err.txt"; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "$rc" 0 "exit code"
[ "$ms" -ge 9800 ] && [ "$ms" -le 13000 ] || fail "100 x 100ms took ${ms} ms"
grep -o 'correlation=[0-9]*' "$WORK/out.txt" | cut -d= -f2 | sort -n | tr '\n' ' ' > "$WORK/c.txt"
assert_eq "$(cat "$WORK/c.txt")" "$(seq 0 99 | tr '\n' ' ')" "correlations"
grep -q '100 delivered, 0 failed' "$WORK/err.txt" || fail "summary: $(cat "$WORK/err.txt")"
assert_eq "$(read_topic order-events '%k=%s\n' | sort -n | head -3 | tr '\n' ' ')" "0=event-0 1=event-1 2=event-2 " "records in the topic"
assert_eq "$(read_topic order-events '%s\n' | wc -l)" 100 "records in the topic"
