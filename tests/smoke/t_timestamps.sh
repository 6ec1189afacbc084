# --timestamp (epoch ms, RFC 3339, per-record templates) and envelope timestamps, as kcat %T sees them.
. "$(dirname "$0")/lib.sh"
start_mock --topic ts:1
"$EMIT" -b "$BOOTSTRAP" -t ts -n 2 --timestamp 1700000000123 -q > /dev/null || fail "epoch exit $?"
"$EMIT" -b "$BOOTSTRAP" -t ts -n 1 --timestamp 2024-05-01T12:00:00.5Z -q > /dev/null || fail "rfc3339 exit $?"
"$EMIT" -b "$BOOTSTRAP" -t ts -n 1 --timestamp 2024-05-01T14:00:00+02:00 -q > /dev/null || fail "offset exit $?"
printf '1600000000000\n2020-01-01T00:00:00Z\n' | "$EMIT" -b "$BOOTSTRAP" -t ts -i - --timestamp '{line}' -q > /dev/null || fail "{line} exit $?"
assert_eq "$(read_topic ts '%T\n' | tr '\n' ' ')" "1700000000123 1700000000123 1714564800500 1714564800000 1600000000000 1577836800000 " "timestamps"
# {ts} is the time of building the record
before=$(($(date +%s%N) / 1000000))
"$EMIT" -b "$BOOTSTRAP" -t ts -n 1 --timestamp '{ts}' -q > /dev/null || fail "{ts} exit $?"
t=$(read_topic ts '%T\n' | tail -1)
[ "$t" -ge "$before" ] && [ "$t" -le $((before + 5000)) ] || fail "{ts} gave $t (started at $before)"
# a line that is no timestamp is a malformed record: exit 65, or a failed line
printf 'yesterday\n' | "$EMIT" -b "$BOOTSTRAP" -t ts -i - --timestamp '{line}' -q > /dev/null 2> "$WORK/err"; rc=$?
assert_eq "$rc" 65 "bad rendered timestamp"
grep -q "record 1: --timestamp rendered 'yesterday'" "$WORK/err" || fail "message: $(cat "$WORK/err")"
# a constant that is no timestamp is a usage error
"$EMIT" -b "$BOOTSTRAP" -t ts -n 1 --timestamp tomorrow > /dev/null 2> "$WORK/err"; rc=$?
assert_eq "$rc" 64 "bad --timestamp"
exit 0
