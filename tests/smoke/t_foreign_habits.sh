# Command lines as kcat, rpk, kafka-console-producer and kafka-producer-perf-test users type
# them, with the tool's name swapped for kafka-emit: each one either works (exit 0, its
# records delivered) or is refused with one line that gives the kafka-emit spelling (exit 64,
# nothing sent). Table-driven: tool, what the row expects, stdin, the arguments.
. "$(dirname "$0")/lib.sh"
start_mock --topic fh:2
B=(-b "$BOOTSTRAP")
printf 'one\ntwo\nthree\n' > "$WORK/lines.txt"
printf 'k1:v1\nk2:v2\n' > "$WORK/kv.txt"
printf 'k1 v1\nk2 v2\n' > "$WORK/rpk.txt"
printf 'k1\tv1\nk2\tv2\n' > "$WORK/tab.txt"
printf 'a,b,c' > "$WORK/csv.txt"
echo x > "$WORK/f1"; echo y > "$WORK/f2"
printf 'bootstrap.servers=%s\n' "$BOOTSTRAP" > "$WORK/producer.properties"
rows=0; works=0; hints=0

# row TOOL ok|"hint TEXT" STDIN_FILE -- args...
row() {
  local tool=$1 want=$2 stdin=$3
  shift 4
  rows=$((rows + 1))
  "$EMIT" "$@" < "$stdin" > "$WORK/out" 2> "$WORK/err"; local rc=$?
  if [ "$want" = ok ]; then
    [ "$rc" = 0 ] || fail "$tool: kafka-emit $*: exit $rc: $(cat "$WORK/err")"
    grep -Eq '^kafka-emit: [1-9][0-9]* delivered, 0 failed' "$WORK/err" || fail "$tool: kafka-emit $*: nothing delivered: $(cat "$WORK/err")"
    works=$((works + 1))
    printf '  %-8s works  %s\n' "$tool" "$*"
  else
    local text=${want#hint }
    [ "$rc" = 64 ] || fail "$tool: kafka-emit $*: exit $rc, expected 64 with a hint: $(cat "$WORK/err")"
    assert_eq "$(wc -l < "$WORK/err")" 1 "$tool: kafka-emit $*: one line ($(cat "$WORK/err"))"
    grep -qF -- "$text" "$WORK/err" || fail "$tool: kafka-emit $*: the hint lacks '$text': $(cat "$WORK/err")"
    [ ! -s "$WORK/out" ] || fail "$tool: kafka-emit $*: something was sent"
    hints=$((hints + 1))
    printf '  %-8s hint   %-60s -> %s\n' "$tool" "$*" "$(cut -c1-110 "$WORK/err")"
  fi
}

# kcat -P …
row kcat ok "$WORK/lines.txt" -- -P "${B[@]}" -t fh
row kcat ok "$WORK/kv.txt" -- -P "${B[@]}" -t fh -K:
row kcat ok /dev/null -- -P "${B[@]}" -t fh -l "$WORK/lines.txt"
row kcat ok "$WORK/lines.txt" -- -P "${B[@]}" -t fh -p 0
row kcat ok "$WORK/lines.txt" -- -P "${B[@]}" -t fh -H source=kcat -z snappy
row kcat ok "$WORK/csv.txt" -- -P "${B[@]}" -t fh -D ,
row kcat ok /dev/null -- -P "${B[@]}" -t fh "$WORK/f1" "$WORK/f2"
row kcat ok "$WORK/lines.txt" -- -P "${B[@]}" -t fh -X linger.ms=1 -c 2
row kcat "hint every record's result line is on stdout already" "$WORK/lines.txt" -- -P "${B[@]}" -t fh -T
row kcat "hint kafka-emit only produces (kcat -C consumes)" /dev/null -- -C "${B[@]}" -t fh
row kcat "hint use -o json for JSON result lines" "$WORK/lines.txt" -- -P "${B[@]}" -t fh -J
# rpk topic produce T …
row rpk ok "$WORK/rpk.txt" -- "${B[@]}" -t fh -f '%k %v\n'
row rpk ok "$WORK/rpk.txt" -- "${B[@]}" -t fh --format '%k %v\n' -p 1
row rpk ok "$WORK/lines.txt" -- "${B[@]}" -t fh -f '%v\n' -z lz4 --acks -1
row rpk ok "$WORK/lines.txt" -- "${B[@]}" -t fh -f '%v\n' --delivery-timeout 5s
row rpk ok "$WORK/lines.txt" -- "${B[@]}" -t fh -f '%v\n' -Z
row rpk ok "$WORK/rpk.txt" -- "${B[@]}" -t fh -f '%k %v\n' --output-format '%p %o\n'
row rpk "hint rpk's -o FMT is --output-format FMT" "$WORK/rpk.txt" -- "${B[@]}" -t fh -f '%k %v\n' -o '%p %o\n'
row rpk "hint -X message.max.bytes=N" "$WORK/lines.txt" -- "${B[@]}" -t fh -f '%v\n' --max-message-bytes 1000
row rpk "hint -Z/--null-empty" "$WORK/lines.txt" -- "${B[@]}" -t fh -f '%v\n' --tombstone
row rpk "hint pass -i - to send its lines" "$WORK/lines.txt" -- "${B[@]}" -t fh
# kafka-console-producer --bootstrap-server B --topic T …
row console ok "$WORK/tab.txt" -- --bootstrap-server "$BOOTSTRAP" --topic fh -K '\t'
row console "hint -K SEP to split a key off each line" "$WORK/tab.txt" -- --bootstrap-server "$BOOTSTRAP" --topic fh -i - --property parse.key=true
row console "hint -X KEY=VALUE" "$WORK/lines.txt" -- --bootstrap-server "$BOOTSTRAP" --topic fh -i - --producer-property acks=all
row console "hint -F FILE" "$WORK/lines.txt" -- --topic fh -i - --producer.config "$WORK/producer.properties"
row console "hint --acks all|1|0" "$WORK/lines.txt" -- --bootstrap-server "$BOOTSTRAP" --topic fh -i - --request-required-acks 1
row console "hint -z/--compression CODEC" "$WORK/lines.txt" -- --bootstrap-server "$BOOTSTRAP" --topic fh -i - --compression-codec gzip
# kafka-producer-perf-test --topic T …
row perf ok /dev/null -- "${B[@]}" --topic fh -n 50 --record-size 100 -o none -X acks=all
row perf "hint -n/--count N" /dev/null -- --topic fh --num-records 50 --record-size 100
row perf "hint --rate R" /dev/null -- --topic fh -n 50 --record-size 100 --throughput 1000
row perf "hint -X KEY=VALUE, once per property" /dev/null -- --topic fh -n 50 --record-size 100 --producer-props bootstrap.servers="$BOOTSTRAP"
row perf "hint -i FILE" /dev/null -- --topic fh -n 50 --payload-file "$WORK/lines.txt"
row perf "hint leave --rate out" /dev/null -- "${B[@]}" --topic fh -n 50 --record-size 100 --rate -1
# any other unknown long option: the nearest known one
row typo "hint did you mean --count?" /dev/null -- "${B[@]}" -t fh --cout 5
row typo "hint did you mean --transactional-id?" /dev/null -- "${B[@]}" -t fh -n 1 --transactionl-id x
echo "foreign habits: $rows command lines, $works work, $hints get the kafka-emit spelling"
