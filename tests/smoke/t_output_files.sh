# Output files that fail are not silent, and never destroy the input (SPEC §4, §5), and the
# smaller edges of the same class, table-driven:
# - every output file on /dev/full: exit 74, a message naming the file, result lines intact;
# - every output file naming an input (by path, by link, as stdin): exit 64 before anything is
#   opened for writing, the input unchanged;
# - stdin that is a directory: 66; a topic with a NUL byte: the failed line's message whole;
#   a count of 2^64-1 cut short: "never sent" right; TERM=dumb: no live bar escapes.
. "$(dirname "$0")/lib.sh"
start_mock --topic of:3
cases=0
B=(-b "$BOOTSTRAP" -t of)

# --- /dev/full: 74, the file named, every record still has its line
for flag in --histogram-log --stats-file --summary-file; do
  "$EMIT" "${B[@]}" -n 6 --every 100ms --stats-interval 100ms "$flag" /dev/full > "$WORK/out" 2> "$WORK/err"; rc=$?
  assert_eq "$rc" 74 "$flag /dev/full: exit code"
  grep -q "^kafka-emit: writing $flag '/dev/full': No space left on device" "$WORK/err" || fail "$flag /dev/full: no message: $(tail -2 "$WORK/err")"
  assert_eq "$(grep -c '^delivered ' "$WORK/out")" 6 "$flag /dev/full: result lines"
  cases=$((cases + 1))
done
# failed records and a failing output file: still 74 (the file is the news), lines intact
"$EMIT" "${B[@]}" -n 2 --record-size 2000 -X message.max.bytes=1000 --continue-on-error --summary-file /dev/full > "$WORK/out" 2> "$WORK/err"; rc=$?
assert_eq "$rc" 74 "--summary-file /dev/full with failed records: exit code"
assert_eq "$(grep -c '^failed ' "$WORK/out")" 2 "failed lines kept"
cases=$((cases + 1))

# --- an output file that is an input: 64, nothing written, the input unchanged
seq 1 50 > "$WORK/data.txt"
ln -s "$WORK/data.txt" "$WORK/link.txt"
printf 'linger.ms=1\n' > "$WORK/client.properties"
sum=$(cksum < "$WORK/data.txt")
same() { # NAME INPUT_FILE_FOR_STDIN -- args...
  local name=$1 stdin=$2
  shift 3
  "$EMIT" "${B[@]}" "$@" < "$stdin" > "$WORK/out" 2> "$WORK/err"; local rc=$?
  assert_eq "$rc" 64 "$name: exit code ($(cat "$WORK/err"))"
  assert_eq "$(wc -l < "$WORK/err")" 1 "$name: one line"
  grep -q 'is the same file as the input' "$WORK/err" || fail "$name: $(cat "$WORK/err")"
  assert_eq "$(cksum < "$WORK/data.txt")" "$sum" "$name: the input was changed"
  [ ! -s "$WORK/out" ] || fail "$name: something was sent"
  cases=$((cases + 1))
}
for flag in --histogram-log --stats-file --summary-file; do
  same "-i data.txt $flag data.txt" /dev/null -- -i "$WORK/data.txt" "$flag" "$WORK/data.txt"
  same "-l data.txt $flag via a symlink" /dev/null -- -l "$WORK/data.txt" "$flag" "$WORK/link.txt"
  same "FILE data.txt $flag data.txt" /dev/null -- "$WORK/data.txt" "$flag" "$WORK/data.txt"
  same "-i - < data.txt $flag data.txt" "$WORK/data.txt" -- -i - "$flag" "$WORK/data.txt"
done
cp "$WORK/client.properties" "$WORK/client.copy"
"$EMIT" "${B[@]}" -n 1 -F "$WORK/client.properties" --summary-file "$WORK/client.properties" > /dev/null 2> "$WORK/err"; rc=$?
assert_eq "$rc" 64 "-F and --summary-file the same file"
cmp -s "$WORK/client.properties" "$WORK/client.copy" || fail "the config file was changed"
cases=$((cases + 1))
# a different file is fine, and an output file that does not exist yet is no input
"$EMIT" "${B[@]}" -i "$WORK/data.txt" --summary-file "$WORK/new-summary.json" -q > /dev/null || fail "a distinct --summary-file: exit $?"
jq -e '.delivered == 50' "$WORK/new-summary.json" > /dev/null || fail "summary file: $(cat "$WORK/new-summary.json")"
cases=$((cases + 1))

# --- stdin that is a directory: 66 (SPEC §5), one line
"$EMIT" "${B[@]}" -i - < / > "$WORK/out" 2> "$WORK/err"; rc=$?
assert_eq "$rc" 66 "-i - < /: exit code"
assert_eq "$(wc -l < "$WORK/err")" 1 "-i - < /: one line"
cases=$((cases + 1))

# --- a topic with a NUL byte in a JSON envelope: the failed line says all of it
printf '{"topic":"a\\u0000b","payload":"x"}\n' > "$WORK/nul.json"
"$EMIT" -b "$BOOTSTRAP" -i "$WORK/nul.json" --input-format json --continue-on-error > "$WORK/out" 2> "$WORK/err"; rc=$?
assert_eq "$rc" 1 "NUL topic: exit code"
grep -q '^failed topic="a\\x00b" correlation=0 error="_INVALID_ARG: topic: '"'"'a\\x00b'"'"' has characters Kafka does not allow' "$WORK/out" \
  || fail "NUL topic: the message was cut: $(cat "$WORK/out")"
cases=$((cases + 1))

# --- the largest count, cut short by --duration: "never sent" is the rest of it
"$EMIT" "${B[@]}" -n 18446744073709551615 --duration 100ms -o none 2> "$WORK/err"; rc=$?
assert_eq "$rc" 0 "-n 2^64-1 --duration 100ms: exit code"
d=$(sed -n 's/^kafka-emit: \([0-9]*\) delivered.*/\1/p' "$WORK/err")
never=$(sed -n 's/.*, \([0-9]*\) never sent.*/\1/p' "$WORK/err")
assert_eq "$(echo "$never + $d" | bc)" 18446744073709551615 "never sent + delivered"
"$EMIT" "${B[@]}" -n 18446744073709551615 --duration 100ms -o json -q --summary-file "$WORK/big.json" > /dev/null
assert_eq "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["never_sent"] + s["delivered"])' "$WORK/big.json")" 18446744073709551615 "JSON never_sent"
cases=$((cases + 1))

# --- TERM=dumb on a terminal: progress lines, never the bar's \r\e[K
if command -v script > /dev/null; then
  TERM=dumb script -qec "$EMIT ${B[*]} -n 40 --every 25ms --stats-interval 200ms -o none" "$WORK/typescript" > /dev/null 2>&1 || fail "TERM=dumb run: exit $?"
  ! grep -q $'\e\[K' "$WORK/typescript" || fail "TERM=dumb: the bar's escape was written"
  grep -q 'kafka-emit: progress' "$WORK/typescript" || fail "TERM=dumb: no progress lines: $(cat -v "$WORK/typescript")"
  TERM=xterm script -qec "$EMIT ${B[*]} -n 40 --every 25ms --stats-interval 200ms -o none" "$WORK/typescript" > /dev/null 2>&1 || fail "TERM=xterm run: exit $?"
  grep -q $'\e\[K' "$WORK/typescript" || fail "TERM=xterm: no live bar (the check above proves nothing): $(cat -v "$WORK/typescript")"
  cases=$((cases + 1))
fi
echo "output-file cases: $cases"
