# Load testing through the real binary: --record-size read back by kcat, --warmup excluded
# counts, windowed progress lines that add up, --stats-file JSON from librdkafka, histogram logs
# decoded by HdrHistogram's Python implementation, and 4 shards that equal one unsharded run
# with merged percentiles equal to one combined histogram.
. "$(dirname "$0")/lib.sh"
PY=$("$(dirname "$0")/../../scripts/test-python.sh") || fail "cannot set up the Python test helpers"
MERGE="$(dirname "$0")/../../examples/merge-histograms.py"
start_mock --topic sized:2 --topic load:4 --topic whole:4

# --record-size: exactly N letters A-Z per value, consecutive values differ
"$EMIT" -b "$BOOTSTRAP" -t sized -n 200 --record-size 100 -q -o none || fail "--record-size exit $?"
assert_eq "$(read_topic sized '%S\n' | sort -u)" 100 "value sizes"
assert_eq "$(read_topic sized '%s\n' | grep -cE '^[A-Z]{100}$')" 200 "values of letters"
[ "$(read_topic sized '%s\n' | sort -u | wc -l)" -gt 150 ] || fail "--record-size values repeat"

# --warmup: excluded from latency figures, counted in the summary; the histogram log holds the rest
"$EMIT" -b "$BOOTSTRAP" -t load -n 300 --rate 1000 --warmup 40 --stats-interval 100ms \
  --histogram-log "$WORK/w.hlog" -o none 2> "$WORK/w.err" || fail "--warmup exit $?"
grep -q '; 40 warm-up records kept out of latency;' "$WORK/w.err" || fail "summary: $(cat "$WORK/w.err")"
"$EMIT" -b "$BOOTSTRAP" -t load -n 50 --warmup 10 -o json 2> "$WORK/w.json" >/dev/null || fail "exit $?"
grep -q '"warmup_excluded":10,' "$WORK/w.json" || fail "JSON summary has no warmup_excluded"
assert_eq "$("$PY" "$MERGE" --json "$WORK/w.hlog" | jq .records)" 260 "histogram log total = delivered - warm-up"

# windowed progress lines: this window's count, rate and percentiles; they add up to the total
"$EMIT" -b "$BOOTSTRAP" -t load -n 600 --rate 1500 --stats-interval 100ms -o none 2> "$WORK/p.err" || fail "progress exit $?"
# A window in which nothing was delivered has no latency part ("0 records (0.0/s); total …"):
# on Tansu the first ~300 ms deliver nothing while librdkafka 2.16 gets its producer id.
re='^kafka-emit: progress at [0-9.]+s, window [0-9.]+s: ([0-9]+) records \([0-9.]+/s\)(, latency ms p50=[0-9.]+ p99=[0-9.]+ p99\.9=[0-9.]+ max=[0-9.]+)?; total [0-9]+ sent, ([0-9]+) delivered, 0 failed, [0-9]+ in flight$'
empty='^kafka-emit: progress at [0-9.]+s, window [0-9.]+s: 0 records \(0\.0/s\); total'
lines=$(grep -c '^kafka-emit: progress' "$WORK/p.err")
[ "$lines" -ge 3 ] || fail "only $lines progress lines: $(cat "$WORK/p.err")"
assert_eq "$(grep -cE "$re" "$WORK/p.err")" "$lines" "progress lines in the documented form"
# the latency part is missing exactly when the window delivered nothing
assert_eq "$(grep -E "$re" "$WORK/p.err" | grep -vc 'latency ms')" "$(grep -cE "$empty" "$WORK/p.err")" "latency shown for every window that delivered"
assert_eq "$(grep -E "$re" "$WORK/p.err" | sed -E "s#$re#\1#" | paste -sd+ | bc)" 600 "windows add up"
assert_eq "$(grep -E "$re" "$WORK/p.err" | tail -1 | sed -E "s#$re#\3#")" 600 "last line's total"
grep -qE '^kafka-emit: 600 delivered.* mean=[0-9.]+ .*p99\.9=' "$WORK/p.err" || fail "summary lacks mean/p99.9: $(tail -2 "$WORK/p.err")"

# --stats-file: librdkafka's statistics, one JSON object per line
"$EMIT" -b "$BOOTSTRAP" -t load -n 400 --rate 1000 --stats-interval 100ms --stats-file "$WORK/stats.jsonl" -q -o none \
  || fail "--stats-file exit $?"
n=$(wc -l < "$WORK/stats.jsonl")
[ "$n" -ge 2 ] || fail "$n statistics lines"
assert_eq "$(jq -c 'select((.name | type) == "string" and (.msg_cnt | type) == "number" and .type == "producer")' "$WORK/stats.jsonl" | wc -l)" "$n" "statistics lines with name/msg_cnt"
assert_eq "$(jq -r .name "$WORK/stats.jsonl" | sort -u | wc -l)" 1 "one client per file"

# usage errors name the flag and the fix
"$EMIT" -b "$BOOTSTRAP" -t load -n 1 -X statistics.interval.ms=1000 2> "$WORK/u1" >/dev/null
assert_eq $? 64 "-X statistics.interval.ms without --stats-file"
grep -q -- '--stats-file' "$WORK/u1" || fail "no --stats-file hint: $(cat "$WORK/u1")"
"$EMIT" -b "$BOOTSTRAP" -t load -n 1 --shard 4/4 2> "$WORK/u2" >/dev/null
assert_eq $? 64 "--shard 4/4"
"$EMIT" -b "$BOOTSTRAP" -t load -n 1 --record-size 10 --value x 2> "$WORK/u3" >/dev/null
assert_eq $? 64 "--record-size with --value"
"$EMIT" -b "$BOOTSTRAP" -t sized -n 5 --summary-file "$WORK/no/such/dir.json" 2> "$WORK/u4" >/dev/null
assert_eq $? 66 "--summary-file in a missing directory"
grep -q -- "--summary-file '.*/no/such/dir.json': No such file or directory" "$WORK/u4" || fail "message: $(cat "$WORK/u4")"
assert_eq "$(read_topic sized '%s\n' | wc -l)" 200 "nothing sent after a bad --summary-file"
assert_eq "$(cat "$WORK"/u1 "$WORK"/u2 "$WORK"/u3 "$WORK"/u4 | wc -l)" 4 "one-line errors"

# 4 shards of one workload, as 4 processes, read back equal one unsharded run
for k in 0 1 2 3; do
  "$EMIT" -b "$BOOTSTRAP" -t load -n 2000 --rate 4000 --value 'v-{i}' --shard "$k/4" -o json \
    --histogram-log "$WORK/s$k.hlog" --stats-interval 100ms --summary-file "$WORK/s$k.summary.json" \
    > "$WORK/s$k.jsonl" 2> "$WORK/s$k.err" &
  PIDS+=($!)
done
for p in "${PIDS[@]}"; do wait "$p" || fail "a shard exited $?"; done
PIDS=()
"$EMIT" -b "$BOOTSTRAP" -t whole -n 2000 --value 'v-{i}' -q -o none || fail "unsharded exit $?"
read_topic load '%k %s\n' | grep ' v-' | sort > "$WORK/sharded.txt"
read_topic whole '%k %s\n' | sort > "$WORK/whole.txt"
assert_eq "$(wc -l < "$WORK/sharded.txt")" 2000 "sharded records"
cmp -s "$WORK/sharded.txt" "$WORK/whole.txt" || fail "4 shards differ from one run: $(diff "$WORK/sharded.txt" "$WORK/whole.txt" | head -3)"
for k in 0 1 2 3; do
  assert_eq "$(jq -r 'select(.status) | .correlation' "$WORK/s$k.jsonl" | awk -v k=$k '$1 % 4 != k' | wc -l)" 0 "shard $k's correlations"
done
assert_eq "$(jq -s 'map(.delivered) | add' "$WORK"/s?.summary.json)" 2000 "the shards' --summary-file totals"
assert_eq "$(jq -r .delivered "$WORK/s0.summary.json")" 500 "one shard's summary"
# the merged logs hold every delivery, and their percentiles equal one histogram of every record's latency
cat "$WORK"/s?.jsonl | jq -r 'select(.status == "delivered") | .latency_ms' > "$WORK/lat.txt"
assert_eq "$(wc -l < "$WORK/lat.txt")" 2000 "latencies"
"$PY" "$MERGE" --json "$WORK"/s?.hlog > "$WORK/merged.json" || fail "merge failed"
"$PY" - "$WORK/lat.txt" "$WORK/merged.json" <<'EOF' || fail "merged percentiles differ from the combined histogram"
import json, sys
from hdrh.histogram import HdrHistogram
h = HdrHistogram(1, 3_600_000_000, 2)
for line in open(sys.argv[1]):
    h.record_value(round(float(line) * 1000))
merged = json.load(open(sys.argv[2]))
want = {"records": h.get_total_count(), "max": h.get_max_value() / 1000,
        "p50": h.get_value_at_percentile(50) / 1000, "p99": h.get_value_at_percentile(99) / 1000,
        "p99_9": h.get_value_at_percentile(99.9) / 1000, "mean": round(h.get_mean_value() / 1000, 3)}
bad = {k: (merged.get(k), v) for k, v in want.items() if merged.get(k) != v}
if bad or merged["logs"] != 4:
    sys.exit("merged vs combined: %s" % bad)
EOF
"$PY" "$MERGE" --timeline 0.1 "$WORK"/s?.hlog > "$WORK/timeline.txt" || fail "timeline failed"
assert_eq "$(grep -v '^#' "$WORK/timeline.txt" | awk '{ s += $2 } END { print s }')" 2000 "timeline rows add up"
exit 0
