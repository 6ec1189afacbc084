# `kafka-emit ... | head -1` ends by itself, quietly: no crash, nothing on stderr but the summary.
. "$(dirname "$0")/lib.sh"
start_mock --topic head:3
t0=$(date +%s%N)
first=$(timeout 10 bash -c "'$EMIT' -b '$BOOTSTRAP' -t head --every 1ms 2> '$WORK/err.txt' | head -1")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -le 5000 ] || fail "pipeline took ${ms} ms"
case "$first" in delivered\ topic=head*) ;; *) fail "first line: $first" ;; esac
grep -v '^kafka-emit: [0-9]* delivered, [0-9]* failed' "$WORK/err.txt" && fail "unexpected stderr"
# unpaced, large output into a closed pipe
timeout 20 bash -c "'$EMIT' -b '$BOOTSTRAP' -t head -n 200000 -q 2> '$WORK/err2.txt' | head -3 > /dev/null"
assert_eq "$?" 0 "pipeline status"
[ -s "$WORK/err2.txt" ] && fail "stderr: $(cat "$WORK/err2.txt")"
exit 0
