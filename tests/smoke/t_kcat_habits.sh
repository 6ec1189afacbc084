# kcat habits work as kcat users type them: -P, -c, -l, -K: (attached), positional files,
# -H NAME (null header), -p -1, --acks -1, -X list, -X dump; each result read back by kcat.
. "$(dirname "$0")/lib.sh"
start_mock --topic one:1 --topic three:3
printf 'k1:v1\nk2:v2\nk3:v3\n' > "$WORK/in.txt"
"$EMIT" -P -b "$BOOTSTRAP" -t one -K: -l "$WORK/in.txt" -c 2 -q > "$WORK/o.txt" || fail "-P -K: -l -c exit $?"
assert_eq "$(read_topic one '%k=%s;')" "k1=v1;k2=v2;" "-K: -l -c 2"
assert_eq "$(wc -l < "$WORK/o.txt")" 2 "result lines"
# -H NAME is a null header (kcat prints it as NULL); -H NAME= an empty one
"$EMIT" -b "$BOOTSTRAP" -t one -n 1 -H nul -H empty= -H "a=b c" -p0 -q > /dev/null || fail "-H exit $?"
assert_eq "$(read_topic one '%h;' | tail -c 100 | sed 's/.*;\(.*;\)$/\1/')" "nul=NULL,empty=,a=b c;" "-H NAME / NAME= / NAME=VALUE"
# -p -1 is the partitioner, --acks -1 is acks=all
"$EMIT" -b "$BOOTSTRAP" -t three -n 60 -p -1 --acks -1 -q -o none || fail "-p -1 --acks -1 exit $?"
parts=$(read_topic three '%p\n' | sort -u | wc -l)
[ "$parts" -ge 2 ] || fail "-p -1 put every record on one partition"
# (output goes to files first: a grep -q that exits early would make the writer see a closed pipe)
"$EMIT" -b "$BOOTSTRAP" -t three -n 1 --acks=-1 -v -q 2> "$WORK/v.txt" >/dev/null
grep -q 'request.required.acks=-1' "$WORK/v.txt" || fail "--acks=-1 is not acks=all"
# -X list: librdkafka's property table; -X dump: the effective configuration, secrets redacted
"$EMIT" -X list > "$WORK/list.txt" || fail "-X list exit $?"
grep -q '^bootstrap.servers  *|' "$WORK/list.txt" || fail "-X list"
"$EMIT" -X dump -X sasl.password=hunter2 -X linger.ms=7 -b h:1 > "$WORK/dump.txt" || fail "-X dump exit $?"
grep -q '^# Global config' "$WORK/dump.txt" || fail "-X dump header"
grep -q '^queue.buffering.max.ms = 7$' "$WORK/dump.txt" || fail "-X dump lacks linger.ms (queue.buffering.max.ms): $(head -5 "$WORK/dump.txt")"
grep -q '^sasl.password = \[redacted\]$' "$WORK/dump.txt" || fail "-X dump does not redact"
grep -q hunter2 "$WORK/dump.txt" && fail "-X dump printed the secret"
# a piped stdin that generate mode does not read is pointed out
echo hello | "$EMIT" -b "$BOOTSTRAP" -t one -n 1 > /dev/null 2> "$WORK/err.txt" || fail "notice run exit $?"
grep -q 'stdin is not read in generate mode; pass -i - to send its lines' "$WORK/err.txt" || fail "no stdin notice: $(cat "$WORK/err.txt")"
# stdin without -i, as kcat and rpk users type it (SPEC §1): -P, -K, -D, -f/--format
start_topic() { echo "habit-$1"; }
t=$(start_topic P); seq 1 1000 | "$EMIT" -P -b "$BOOTSTRAP" -t "$t" -K: -q -o none || fail "seq | -P -K: exit $?"
assert_eq "$(read_topic "$t" '%s\n' | sort -n | paste -sd' ' | md5sum)" "$(seq 1 1000 | paste -sd' ' | md5sum)" "seq | kafka-emit -P -K: read back"
t=$(start_topic K); printf 'k1\tv1\nk2\tv2\n' | "$EMIT" -b "$BOOTSTRAP" -t "$t" -K '\t' -q > /dev/null || fail "-K '\\t' from stdin exit $?"
assert_eq "$(read_topic "$t" '%k=%s\n' | sort | paste -sd,)" "k1=v1,k2=v2" "-K '\\t' from stdin"
t=$(start_topic D); printf 'a,b,c' | "$EMIT" -b "$BOOTSTRAP" -t "$t" -D , -q > /dev/null || fail "-D , from stdin exit $?"
assert_eq "$(read_topic "$t" '%s\n' | sort | paste -sd,)" "a,b,c" "-D , from stdin"
t=$(start_topic f); printf 'k1 v1\nk2 v2\n' | "$EMIT" -b "$BOOTSTRAP" -t "$t" -f '%k %v\n' -q > /dev/null || fail "rpk -f exit $?"
assert_eq "$(read_topic "$t" '%k=%s\n' | sort | paste -sd,)" "k1=v1,k2=v2" "rpk's -f '%k %v\\n' from stdin"
t=$(start_topic format); printf 'k1 v1\n' | "$EMIT" -b "$BOOTSTRAP" -t "$t" --format '%k %v\n' -q > /dev/null || fail "rpk --format exit $?"
assert_eq "$(read_topic "$t" '%k=%s\n')" "k1=v1" "rpk's --format is the input format"
# the custom result line is --output-format (rpk's name)
t=$(start_topic out); "$EMIT" -b "$BOOTSTRAP" -t "$t" -n 2 --output-format '%s %c\n' -q > "$WORK/o.txt" || fail "--output-format exit $?"
assert_eq "$(sort "$WORK/o.txt" | paste -sd,)" "delivered 0,delivered 1" "--output-format lines"
# console-producer's reader properties point at ours
"$EMIT" -b "$BOOTSTRAP" -t one -i - --property parse.key=true < /dev/null 2> "$WORK/err.txt"; rc=$?
assert_eq "$rc" 64 "parse.key exit"
grep -q 'kafka-console-producer reader property.*-K' "$WORK/err.txt" || fail "parse.key message: $(cat "$WORK/err.txt")"
exit 0
