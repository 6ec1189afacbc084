# SPEC §5, §6: a broker that answers in a protocol this librdkafka cannot read is reported at
# once as that — which broker, which librdkafka, that a newer one is the fix — exit 69, without
# waiting out --connect-timeout, and never "check that Kafka is running". Needs a broker newer
# than the system's librdkafka 2.0.2 understands: the Tansu cell. On the mock (which speaks
# every version 2.0.2 knows) there is nothing to mismatch, so it says so and checks the
# opposite: the same command connects.
. "$(dirname "$0")/lib.sh"
start_mock --topic pm:1
sys=(env -u LD_LIBRARY_PATH "$EMIT")
version=$("${sys[@]}" -V | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p' | head -1)
t0=$(date +%s%N)
"${sys[@]}" -b "$BOOTSTRAP" -t pm -n 3 --connect-timeout 20s > "$WORK/out" 2> "$WORK/err"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$SMOKE_SERVER" = tansu ] && [[ "$version" == 2.0.* ]]; then
  assert_eq "$rc" 69 "exit code ($(cat "$WORK/err"))"
  [ "$ms" -le 5000 ] || fail "took $ms ms: the connect timeout (20 s) was waited out"
  grep -q "^kafka-emit: the broker at $BOOTSTRAP answered, but librdkafka $version cannot read its reply" "$WORK/err" \
    || fail "the message: $(cat "$WORK/err")"
  grep -q 'newer librdkafka' "$WORK/err" || fail "no fix named: $(cat "$WORK/err")"
  ! grep -q 'check that Kafka is running' "$WORK/err" || fail "a broker that answered was called absent"
  assert_eq "$(grep -c '^failed topic=pm correlation=[0-9] error="_PURGE_QUEUE: not sent: ' "$WORK/out")" 3 "a failed line per record"
  # the same binary on the newer librdkafka of this cell talks to it
  "$EMIT" -b "$BOOTSTRAP" -t pm -n 3 -q > /dev/null || fail "with SMOKE_LIBRDKAFKA: exit $?"
  echo "librdkafka $version vs Tansu: exit 69 after $ms ms, naming the fix"
else
  assert_eq "$rc" 0 "librdkafka $version against $SMOKE_SERVER: exit code ($(cat "$WORK/err"))"
  echo "librdkafka $version speaks $SMOKE_SERVER's protocol: nothing to mismatch here (the Tansu cell checks it)"
fi
