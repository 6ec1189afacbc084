# 1,000 stdin lines are read back byte-exact by kcat, one result line each, exit 0.
. "$(dirname "$0")/lib.sh"
start_mock --topic lines:1
seq 0 999 | awk '{printf "line-%d {\"n\":%d}\n", $1, $1}' > "$WORK/in.txt"
"$EMIT" -b "$BOOTSTRAP" -t lines -i - -q < "$WORK/in.txt" > "$WORK/out.txt"; rc=$?
assert_eq "$rc" 0 "exit code"
assert_eq "$(grep -c '^delivered topic=lines partition=0 offset=' "$WORK/out.txt")" 1000 "delivered lines"
read_topic lines '%s\n' > "$WORK/back.txt"
cmp "$WORK/in.txt" "$WORK/back.txt" || fail "kcat read back different bytes"
# correlations are 0..999, each exactly once
cut -d' ' -f5 "$WORK/out.txt" | sed 's/correlation=//' | sort -n > "$WORK/corr.txt"
seq 0 999 | cmp - "$WORK/corr.txt" || fail "correlations are not 0..999"
# Records produced back to back share one clock reading for their send time, but a record that
# waited for its input gets its own: b arrives 0.8 s after a, and its latency is not 0.8 s.
{ echo a; sleep 0.8; echo b; } | "$EMIT" -b "$BOOTSTRAP" -t lines -i - -o json -q > "$WORK/gap.json"; rc=$?
assert_eq "$rc" 0 "exit code (gap)"
python3 - "$WORK/gap.json" <<'PY' || fail "latency after an input gap"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2 and all(r["status"] == "delivered" for r in rows), rows
late = [r["latency_ms"] for r in rows if r["latency_ms"] >= 500]
assert not late, f"latency counted from before the input arrived: {late}"
PY
