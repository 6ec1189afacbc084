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
