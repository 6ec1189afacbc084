# --replay (SPEC §2c): a topic recorded with its timestamps (kcat -J, or rpk's %d lines) is
# sent again with the gaps it was recorded with, faster with SPEED; --max-gap cuts long
# pauses; out-of-order timestamps go at once and are counted; the copy keeps the recorded
# timestamps unless --rebase-timestamps. Send times are measured from the copy's own
# timestamps (broker-side create times, when rebased); bounds are loose (shared machines).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=$("$ROOT/scripts/test-python.sh") || fail "cannot set up the Python test helpers"
start_mock --topic src:1 --topic copy:1 --topic fast:1 --topic cut:1 --topic rpk:1

# The recording: 21 records, gaps of 50 ms and one of 400 ms (after record 10): ~0.9 s.
"$EMIT" -b "$BOOTSTRAP" -t src --every 50ms --count 11 --value 'a-{i}' -q -o none || fail "seed 1"
sleep 0.35
"$EMIT" -b "$BOOTSTRAP" -t src --every 50ms --count 10 --value 'b-{i}' -q -o none || fail "seed 2"
kcat -C -b "$BOOTSTRAP" -t src -e -q -J > "$WORK/src.jsonl"
assert_eq "$(wc -l < "$WORK/src.jsonl")" 21 "recorded"

# 1. at 1x: the copy keeps the recorded timestamps, byte for byte; the run takes the span.
start=$(date +%s%N)
"$EMIT" -b "$BOOTSTRAP" -t copy -i "$WORK/src.jsonl" --input-format json --replay -o none -q \
  --summary-file "$WORK/s1.json"; assert_eq "$?" 0 "replay exit"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
span=$("$PY" -c 'import json,sys; t=[json.loads(l)["ts"] for l in open(sys.argv[1])]; print(t[-1]-t[0])' "$WORK/src.jsonl")
[ "$ms" -ge "$span" ] && [ "$ms" -le $((span + 1500)) ] || fail "1x replay of a ${span} ms recording took ${ms} ms"
cmp <(read_topic src '%T %k %s\n') <(read_topic copy '%T %k %s\n') || fail "the copy differs (timestamps kept)"
"$PY" - "$WORK/s1.json" <<'PYEOF' || fail "1x summary"
import json, sys
s = json.load(open(sys.argv[1]))
r = s["replay"]
assert r["out_of_order"] == 0 and r["untimed"] == 0, r
assert abs(r["drift_ms"]) < 150, r
PYEOF

# 2. at 10x, rebased: the copy's timestamps are the send times, gaps a tenth of the recorded.
"$EMIT" -b "$BOOTSTRAP" -t fast -i "$WORK/src.jsonl" --input-format json --replay 10 --rebase-timestamps -o none -q || fail "10x exit $?"
"$PY" - "$WORK/src.jsonl" <(read_topic fast '%T\n') <<'PYEOF' || fail "10x gaps"
import json, sys
rec = [json.loads(l)["ts"] for l in open(sys.argv[1])]
got = [int(l) for l in open(sys.argv[2])]
assert len(got) == len(rec) and got != rec[:len(got)], "timestamps were not rebased"
span_rec, span_got = rec[-1] - rec[0], got[-1] - got[0]
assert abs(span_got - span_rec / 10) < 60, "10x: %d ms for a %d ms recording" % (span_got, span_rec)
big = max(range(1, len(rec)), key=lambda k: rec[k] - rec[k - 1])
assert got[big] - got[big - 1] >= (rec[big] - rec[big - 1]) / 10 - 15, "the long pause kept its share"
PYEOF

# 3. --max-gap 100ms cuts the 400 ms pause; an out-of-order and an untimed line go at once.
"$PY" - "$WORK/src.jsonl" > "$WORK/shuffled.jsonl" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rows[5]["ts"] = rows[2]["ts"]          # older than the one before: out of order
del rows[7]["ts"]                       # no timestamp
for r in rows: print(json.dumps(r))
PYEOF
start=$(date +%s%N)
"$EMIT" -b "$BOOTSTRAP" -t cut -i "$WORK/shuffled.jsonl" --input-format json --replay --max-gap 100ms -o none -q \
  --summary-file "$WORK/s3.json"; assert_eq "$?" 0 "max-gap exit"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -le $((span - 200 + 1000)) ] || fail "--max-gap 100ms: took ${ms} ms of a ${span} ms recording"
"$PY" - "$WORK/s3.json" <<'PYEOF' || fail "max-gap summary"
import json, sys
r = json.load(open(sys.argv[1]))["replay"]
assert r["out_of_order"] == 1 and r["untimed"] == 1, r
PYEOF
assert_eq "$(read_topic cut '%s\n' | wc -l)" 21 "every record sent"

# 4. rpk's %d lines replay too; the summary line names the replay.
printf '1000 one\n1200 two\n1100 three\n1300 four\n' > "$WORK/rpk.txt"
"$EMIT" -b "$BOOTSTRAP" -t rpk -i "$WORK/rpk.txt" --input-format '%d %v\n' --replay 2 -o none 2> "$WORK/e4"; assert_eq "$?" 0 "rpk replay"
grep -q "replay drift [+-][0-9.]*ms, 1 out of order (sent at once)" "$WORK/e4" || fail "summary: $(cat "$WORK/e4")"
assert_eq "$(read_topic rpk '%T %s\n' | tr '\n' ' ')" "1000 one 1200 two 1100 three 1300 four " "rpk timestamps kept"

# 5. usage errors
"$EMIT" -b "$BOOTSTRAP" -t x -n 3 --replay 2> "$WORK/e5"; assert_eq "$?" 64 "replay without timestamps"
grep -q -- "--replay paces by each record's recorded timestamp" "$WORK/e5" || fail "$(cat "$WORK/e5")"
"$EMIT" -b "$BOOTSTRAP" -t x -i "$WORK/src.jsonl" --input-format json --replay fast 2> "$WORK/e6"; assert_eq "$?" 64 "replay fast"
"$EMIT" -b "$BOOTSTRAP" -t x -i "$WORK/src.jsonl" --input-format json --replay --rate 10 2> "$WORK/e7"; assert_eq "$?" 64 "replay with rate"
grep -q -- "leave out --rate" "$WORK/e7" || fail "$(cat "$WORK/e7")"
exit 0
