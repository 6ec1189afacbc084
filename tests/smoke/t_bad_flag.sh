# A bad flag exits 64 with a one-line message and sends nothing.
. "$(dirname "$0")/lib.sh"
"$EMIT" --mock -t x -n 3 --bogus > "$WORK/out.txt" 2> "$WORK/err.txt"; rc=$?
assert_eq "$rc" 64 "exit code"
assert_eq "$(wc -l < "$WORK/err.txt")" 1 "stderr lines"
assert_eq "$(wc -c < "$WORK/out.txt")" 0 "stdout bytes"
grep -q -- "--bogus" "$WORK/err.txt" || fail "message does not name the flag: $(cat "$WORK/err.txt")"
