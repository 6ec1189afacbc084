# -o json through the real binary: every line parses with jq whatever the key bytes (quotes,
# backslashes, control bytes, invalid UTF-8), and the summary on stderr is JSON too.
. "$(dirname "$0")/lib.sh"
start_mock --topic j:1
printf 'q"uote\tv1\nback\\slash\tv2\nctl\001\002\tv3\nbad\xff\xfe\tv4\nnull key line without tab\n' > "$WORK/in.txt"
"$EMIT" -b "$BOOTSTRAP" -t j -i "$WORK/in.txt" -K '\t' -o json --correlation 'c-{i}' > "$WORK/out.jsonl" 2> "$WORK/err.json" || fail "exit $?"
assert_eq "$(jq -c . "$WORK/out.jsonl" | wc -l)" 5 "lines jq parses"
assert_eq "$(jq -r 'select(.correlation=="c-0") | .key' "$WORK/out.jsonl")" 'q"uote' "key with a quote"
assert_eq "$(jq -r 'select(.correlation=="c-1") | .key' "$WORK/out.jsonl")" 'back\slash' "key with a backslash"
assert_eq "$(jq -r 'select(.correlation=="c-2") | .key | explode | map(tostring) | join(",")' "$WORK/out.jsonl")" "99,116,108,1,2" "control bytes"
assert_eq "$(jq -r 'select(.correlation=="c-3") | .key' "$WORK/out.jsonl")" "bad��" "invalid UTF-8 as U+FFFD"
assert_eq "$(jq -r 'select(.correlation=="c-4") | .key' "$WORK/out.jsonl")" "null" "null key"
assert_eq "$(jq -r '[.status, .topic, (.partition|tostring), (.offset|type), (.latency_ms|type)] | join(" ")' "$WORK/out.jsonl" | sort -u)" "delivered j 0 number number" "fields"
jq -e '.summary == true and .delivered == 5 and .failed == 0 and (.latency_ms.p99 | type) == "number" and .exit_code == 0' "$WORK/err.json" > /dev/null || fail "JSON summary: $(cat "$WORK/err.json")"
# a failed record in JSON: status, error and error_code
(echo small; head -c 1100000 /dev/zero | tr '\0' x; echo) | "$EMIT" -b "$BOOTSTRAP" -t j -i - -o json -q --continue-on-error > "$WORK/f.jsonl"; rc=$?
assert_eq "$rc" 1 "exit with a failed record"
assert_eq "$(jq -r 'select(.status=="failed") | .error_code' "$WORK/f.jsonl")" "MSG_SIZE_TOO_LARGE" "error_code"
jq -e -s 'map(select(.status=="failed")) | .[0].error | test("too large"; "i")' "$WORK/f.jsonl" > /dev/null || fail "error text"
