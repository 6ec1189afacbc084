# Shapes of load (SPEC §2c), through the binary against the broker, with measured schedules:
# a --rate-profile sends each stage's exact count at its rate (the send times, taken from
# {ts} in the records read back, follow the profile), names its stages in the summary, the
# JSON summary and the histogram log; --arrivals poisson gives exponential gaps; a broker
# stall shows in --latency-from intended but not in the send latency; --start-at waits for
# its wall-clock time. Bounds are loose: shared 2-core machines.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=$("$ROOT/scripts/test-python.sh") || fail "cannot set up the Python test helpers"
start_mock --topic shapes:1 --topic poisson:1 --topic lat:1 --topic at:1

# 1. a profile: ramp 0..400 over 1 s (200 records), hold 400 for 0.5 s (200), two steps of
#    0.5 s at 100 and 300 (50 + 150). Record values carry their send time.
"$EMIT" -b "$BOOTSTRAP" -t shapes --rate-profile 'ramp 0..400 1s, hold 400 0.5s, step 100 300 0.5s' \
  --value '{i} {ts}' -o none --histogram-log "$WORK/h.hlog" --stats-interval 250ms \
  --summary-file "$WORK/sum.json" > /dev/null 2> "$WORK/err"; rc=$?
assert_eq "$rc" 0 "profile exit"
grep -q "600 delivered, 0 failed" "$WORK/err" || fail "profile summary: $(cat "$WORK/err")"
grep -q "^kafka-emit: stage 2/4 'hold 400 0.5s': 200 delivered; latency ms" "$WORK/err" || fail "stage line: $(cat "$WORK/err")"
grep -q "stage 1/4 'ramp 0..400 1s'" "$WORK/err" || fail "progress lines name the stage: $(cat "$WORK/err")"
"$PY" - "$WORK/sum.json" <<'EOF' || fail "JSON summary stages"
import json, sys
s = json.load(open(sys.argv[1]))
got = [(x["stage"], x["name"], x["delivered"]) for x in s["stages"]]
want = [(1, "ramp 0..400 1s", 200), (2, "hold 400 0.5s", 200), (3, "step 100 0.5s", 50), (4, "step 300 0.5s", 150)]
assert got == want, got
assert all(x["latency_ms"]["p99"] is not None for x in s["stages"])
EOF
# The schedule as measured: record i's send time against its ideal one (the cumulative count
# inverted). Most records within 25 ms of it; the stage rates within 10 % (from the times).
read_topic shapes '%s\n' > "$WORK/shapes.txt"
"$PY" - "$WORK/shapes.txt" <<'EOF' || fail "measured profile schedule"
import math, sys
rows = sorted(tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip())
assert [i for i, _ in rows] == list(range(600)), "records 0..599 once each"
t0 = rows[0][1]
def ideal(i):  # seconds from the start
    if i < 200: return math.sqrt(2 * i / 400)          # ramp: N(t) = 400 t² / 2
    if i < 400: return 1 + (i - 200) / 400
    if i < 450: return 1.5 + (i - 400) / 100
    return 2 + (i - 450) / 300
# A constant offset (the first record's) does not count: compare against the best alignment.
dev = sorted(abs((ts - t0) / 1000 - ideal(i)) for i, ts in rows)
med, p90 = dev[len(dev) // 2], dev[int(len(dev) * 0.9)]
assert med < 0.010 and p90 < 0.025, "deviation median %.4f s, p90 %.4f s" % (med, p90)
def rate(a, b): return (b - a) / ((rows[b][1] - rows[a][1]) / 1000)
for (a, b, want) in [(200, 399, 400), (400, 449, 100), (450, 599, 300)]:
    r = rate(a, b)
    assert abs(r - want) / want < 0.10, "stage %d..%d: %.1f/s, want %d" % (a, b, r, want)
EOF
grep -q '^Tag=stage2:hold_400_0.5s,' "$WORK/h.hlog" || fail "histogram log: no stage tags"
"$PY" "$ROOT/examples/merge-histograms.py" --stages --json "$WORK/h.hlog" > "$WORK/merged.json" || fail "merge-histograms --stages"
"$PY" - "$WORK/merged.json" <<'EOF' || fail "merged stages: $(cat "$WORK/merged.json")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["records"] == 600, m["records"]
assert [(s["tag"], s["records"]) for s in m["stages"]] == [
    ("stage1:ramp_0..400_1s", 200), ("stage2:hold_400_0.5s", 200), ("stage3:step_100_0.5s", 50), ("stage4:step_300_0.5s", 150)], m["stages"]
EOF

# 2. Poisson arrivals: exponential gaps (coefficient of variation ~1), uniform ones ~0.
"$EMIT" -b "$BOOTSTRAP" -t poisson --rate 400 --arrivals poisson --seed 11 --count 600 --value '{i} {ts}' -o none -q; rc=$?
assert_eq "$rc" 0 "poisson exit"
read_topic poisson '%s\n' > "$WORK/poisson.txt"
"$PY" - "$WORK/poisson.txt" <<'EOF' || fail "poisson gaps"
import statistics, sys
ts = [int(l.split()[1]) for l in sorted(open(sys.argv[1]), key=lambda l: int(l.split()[0]))]
gaps = [b - a for a, b in zip(ts, ts[1:])]
mean, sd = statistics.mean(gaps), statistics.pstdev(gaps)
assert 2.0 < mean < 3.2, "mean gap %.2f ms, want 2.5" % mean   # 400/s
assert 0.75 < sd / mean < 1.3, "coefficient of variation %.2f, want ~1" % (sd / mean)
EOF

# 3. A 2 s stall of the broker with one record in flight: the send latency's p99 stays low
#    (one record waited), the intended latency's p99 shows every record the stall delayed.
for from in send intended; do
  "$EMIT" -b "$BOOTSTRAP" -t lat --rate 100 --duration 5s --max-in-flight 1 --latency-from "$from" \
    -o none -q --summary-file "$WORK/lat-$from.json" & pid=$!
  sleep 1.5; broker_pause; sleep 2; broker_resume
  wait "$pid"; assert_eq "$?" 0 "--latency-from $from exit"
done
"$PY" - "$WORK/lat-send.json" "$WORK/lat-intended.json" <<'EOF' || fail "latency from send vs intended"
import json, sys
send, intended = (json.load(open(p)) for p in sys.argv[1:3])
print("send p99 %.1f ms max %.1f; intended p99 %.1f ms max %.1f; delivered %d / %d" % (
    send["latency_ms"]["p99"], send["latency_ms"]["max"], intended["latency_ms"]["p99"],
    intended["latency_ms"]["max"], send["delivered"], intended["delivered"]), file=sys.stderr)
assert send["latency_ms"]["max"] >= 1500, "the record in flight waited out the stall"
assert send["latency_ms"]["p99"] < 1000, "send latency p99 %.1f" % send["latency_ms"]["p99"]
assert intended["latency_ms"]["p99"] >= 1500, "intended p99 %.1f" % intended["latency_ms"]["p99"]
# The send-latency run shifted its schedule by the stall (~300 records in 5 s at 100/s); the
# intended one kept it and catches up after the stall (as fast as one record in flight goes).
assert intended["delivered"] > send["delivered"] + 50, (intended["delivered"], send["delivered"])
EOF

# 4. --start-at: the first record waits for the wall-clock time (RFC 3339 or epoch ms).
at=$(( $(date +%s%3N) + 1500 ))
"$EMIT" -b "$BOOTSTRAP" -t at --rate 100 --count 3 --start-at "$at" --value '{ts}' -o none -q; rc=$?
assert_eq "$rc" 0 "start-at exit"
first=$(read_topic at '%s\n' | sort -n | head -1)
[ "$first" -ge "$at" ] && [ "$first" -le $((at + 400)) ] || fail "start-at $at: first record built at $first"
"$EMIT" -b "$BOOTSTRAP" -t at --start-at 'next tuesday' -n 1 2> "$WORK/e"; assert_eq "$?" 64 "bad --start-at"
grep -q -- "--start-at: 'next tuesday' is not a timestamp" "$WORK/e" || fail "start-at message: $(cat "$WORK/e")"
exit 0
