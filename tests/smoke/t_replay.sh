# Replay: a topic consumed with `kcat -J` and fed to `kafka-emit --input-format json` yields
# byte-identical keys, values, headers and partitions in the copy (nulls included).
. "$(dirname "$0")/lib.sh"
start_mock --topic src:3 --topic copy:3
printf 'k1:v1\nk2:\nnokey\nk\xff:bin\x01\x02\n' | "$EMIT" -b "$BOOTSTRAP" -t src -i - -K : -Z -H origin=smoke -H 'q="x"' -q > /dev/null || fail "seed exit $?"
"$EMIT" -b "$BOOTSTRAP" -t src -n 50 --key 'user-{rand:5}' --value '{"n":{i}}' -H n={i} -q > /dev/null || fail "seed2 exit $?"
kcat -C -b "$BOOTSTRAP" -t src -e -q -J > "$WORK/src.jsonl"
assert_eq "$(wc -l < "$WORK/src.jsonl")" 54 "consumed envelopes"
"$EMIT" -b "$BOOTSTRAP" -t copy -i "$WORK/src.jsonl" --input-format json -q > "$WORK/out.txt"; rc=$?
assert_eq "$rc" 0 "replay exit"
assert_eq "$(grep -c '^delivered topic=copy' "$WORK/out.txt")" 54 "delivered lines"
fmt='%p|%K:%k|%S:%s|%h\n'
read_topic src "$fmt" | sort > "$WORK/a"
read_topic copy "$fmt" | sort > "$WORK/b"
cmp "$WORK/a" "$WORK/b" || { diff <(od -c "$WORK/a") <(od -c "$WORK/b") | head >&2; fail "copy differs"; }

# a malformed envelope: exit 65 under --stop-on-error, a failed line naming it otherwise
printf '{"key":"a","payload":"1"}\nnot json\n{"key":"b","payload":"2"}\n' > "$WORK/bad.jsonl"
"$EMIT" -b "$BOOTSTRAP" -t copy2 -i "$WORK/bad.jsonl" --input-format json -q > "$WORK/o1" 2> "$WORK/e1"; rc=$?
assert_eq "$rc" 65 "stop-on-error exit"
grep -q 'input line 2 ({i}=1): expected a JSON object' "$WORK/e1" || fail "message: $(cat "$WORK/e1")"
"$EMIT" -b "$BOOTSTRAP" -t copy3 -i "$WORK/bad.jsonl" --input-format json --continue-on-error -q --correlation 'c{i}={line}' > "$WORK/o2" 2> "$WORK/e2"; rc=$?
assert_eq "$rc" 1 "continue-on-error exit"
assert_eq "$(grep -c '^delivered' "$WORK/o2")" 2 "delivered"
grep -q '^failed topic=copy3 correlation="c1=not json" error="_BAD_MSG: input line 2 ({i}=1): expected a JSON object' "$WORK/o2" || fail "failed line: $(cat "$WORK/o2")"
grep -q 'correlation="c0=1"$' "$WORK/o2" || fail "envelope payload as {line}: $(cat "$WORK/o2")"

# tombstones replay as tombstones, also with -Z
printf '{"key":"t","payload":null}\n{"key":"e","payload":""}\n' | "$EMIT" -b "$BOOTSTRAP" -t copy4 -p 0 -i - --input-format json -Z -q > /dev/null || fail "tombstone replay exit $?"
assert_eq "$(read_topic copy4 '%k:%S|')" "t:-1|e:-1|" "tombstones with -Z"
