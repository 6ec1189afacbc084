#!/usr/bin/env bash
# `make bench`: kafka-emit against kcat (same librdkafka), each run against a fresh standalone
# mock cluster (kafka-mock-cluster) on loopback. Usage: bench/run.sh BIN_DIR   (e.g. .build/release)
#
#   ROUNDS=5       interleaved rounds; every round runs every scenario, kcat and kafka-emit
#                  alternately (kcat first in odd rounds, kafka-emit first in even rounds)
#   QUICK=1        small inputs (200k/20k/1M lines, 1 s pacing runs) for a fast check
#   ONLY="S1 S11a"  run only these scenarios (a quick look; the report and plots then cover them
#                  only, and bench/results/ is left as it was)
#   KEEP_INPUTS=1  keep the generated input files in bench/tmp/ for the next run (reused if intact)
#   MOCK_BROKERS=3 PARTITIONS=3   shape of the mock cluster and of topic "bench"
#   BASE=path/to/kafka-emit        an earlier kafka-emit binary, run in the same interleaved rounds
#                  wherever kafka-emit is paired with kcat; the report adds new/base ratios
#
# Every run is timed by bench/timeit.py (wall, user+sys CPU, peak RSS of the whole process, at
# microsecond resolution), must exit 0, and the
# topic's end offsets (kcat -Q) must add up to the records sent; in round 1 the result files of
# S2/S3 are counted and a 30k-line input is read back byte for byte (kcat -C) for both tools.
# Inputs live in bench/tmp/ (gitignored), removed at the end. Results: a table on stdout,
# bench/results/latest.md, bench/results/latest.png and inflight.png (gnuplot) and bench/results/latest-raw.tsv;
# bench/latency.sh adds bench/results/latency-over-time.{png,dat,txt}.
set -euo pipefail
# The whole script is one compound command, parsed before it runs: editing, checking out or
# stashing this file while a bench runs cannot change what the running bench executes.
{

BIN=$(cd "${1:?usage: bench/run.sh BIN_DIR (e.g. .build/release)}" && pwd)
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
EMIT="$BIN/kafka-emit"
BASE=${BASE:-}
[ -z "$BASE" ] || BASE=$(cd "$(dirname "$BASE")" && pwd)/$(basename "$BASE")
MOCKBIN="$BIN/kafka-mock-cluster"
ROUNDS=${ROUNDS:-5}
QUICK=${QUICK:-0}
KEEP_INPUTS=${KEEP_INPUTS:-0}
MOCK_BROKERS=${MOCK_BROKERS:-3}
PARTITIONS=${PARTITIONS:-3}
TMP="$BENCH/tmp"
RESULTS="$BENCH/results"
TOPIC=bench
GEN_TEMPLATE='event-{i}-{rand:1000}'
# S11 (issue 22): 100-byte generated values (as the lines files' 100-byte lines), and five
# realistic fields in a JSON value against {i} alone.
GEN100_TEMPLATE='event-{i}-{rand:1000} the quick brown fox jumps over the lazy dog while the lazy dog sleeps on. The end'
FIVE_TEMPLATE='{"name":"{name}","email":"{email}","city":"{city}","ip":"{ipv4}","iban":"{iban}"}'
LOWLAT=(--linger 0ms -X socket.nagle.disable=true)

die() { echo "bench: $*" >&2; exit 1; }
wanted() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
log() { echo "bench: $*" >&2; }

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, got '$ROUNDS'"
[ -x "$EMIT" ] || die "$EMIT not found; build first (swift build -c release)"
[ -x "$MOCKBIN" ] || die "$MOCKBIN not found; build first (swift build -c release)"
[ -z "$BASE" ] || [ -x "$BASE" ] || die "BASE=$BASE is not an executable"

# ---- tools ---------------------------------------------------------------------------------
if ! command -v kcat >/dev/null || ! command -v gnuplot >/dev/null; then
  "$ROOT/scripts/ensure-deps.sh" gnuplot || log "warning: ensure-deps.sh failed"
fi
command -v kcat >/dev/null || die "kcat is missing"
command -v python3 >/dev/null || die "python3 is missing"

# ---- sizes ---------------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
  N_BIG=200000 N_SMALL=20000 N_HUGE=1000000
  EVERY_N=1000 RATE10K_N=10000 RATE100K_N=100000 LAT_N=1000
else
  N_BIG=1000000 N_SMALL=100000 N_HUGE=5000000
  EVERY_N=5000 RATE10K_N=50000 RATE100K_N=500000 LAT_N=3000
fi
INFLIGHT_CURVE=${INFLIGHT_CURVE:-1000 5000 20000 50000 100000}
RECORD_BYTES=100   # value bytes per line; each line is 100 bytes + "\n"
# The content check reads the whole topic back, but the mock cluster keeps only the last ~5 MB of
# each partition (about 44k of these records; older message sets are dropped, end offsets still
# count them), and the sticky partitioner can put most records into one partition: check 30k.
VERIFY_N=$((N_SMALL < 30000 ? N_SMALL : 30000))

human() { python3 -c 'import sys; n=int(sys.argv[1]); print(f"{n//1000000}M" if n%1000000==0 else f"{n//1000}k" if n%1000==0 else n)' "$1"; }

# ---- cleanup -------------------------------------------------------------------------------
MOCK_PID=""
MOCK_SEQ=0
# stop_pid PID: SIGTERM, resent every 0.5 s (a TERM that lands between fork and exec is lost),
# SIGKILL after 5 s, then reap.
stop_pid() {
  local pid=$1 i state
  for i in $(seq 1 250); do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [ -n "$state" ] && [ "$state" != Z ] || break
    if ((i % 25 == 1)); then kill "$pid" 2>/dev/null || true; fi
    sleep 0.02
  done
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  if [ -n "$state" ] && [ "$state" != Z ]; then
    echo "bench: process $pid ignored SIGTERM for 5 s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  exec 9>&-   # the mock's stdin hits EOF: it stops by itself, too
  if [ -n "$MOCK_PID" ]; then stop_pid "$MOCK_PID"; MOCK_PID=""; fi
  rm -f "$TMP/mock.ctl" "$TMP"/out.* "$TMP"/run.* "$TMP"/mock.* "$TMP"/verify.* "$TMP"/chart.dat "$TMP"/inflight.dat "$TMP"/one.txt
  if [ "$KEEP_INPUTS" != 1 ]; then rm -f "$TMP"/lines-*.txt "$TMP"/lines-*.txt.part; rmdir "$TMP" 2>/dev/null || true; fi
  [ $rc -eq 0 ] || echo "bench: FAILED (exit $rc)" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$TMP" "$RESULTS"
rm -f "$TMP/mock.ctl"
mkfifo "$TMP/mock.ctl"
exec 9<>"$TMP/mock.ctl"   # held open read-write: the mock's stdin never hits EOF while we run

# start_mock [PARTITIONS]: a fresh cluster with topic $TOPIC; sets BOOTSTRAP. Each cluster writes its own
# output file (no stale bootstrap list from the previous one). The mock does not inherit fd 9,
# so it also stops by itself (stdin EOF) if this script dies without running its trap.
start_mock() {
  MOCK_SEQ=$((MOCK_SEQ + 1))
  local out="$TMP/mock.$MOCK_SEQ.out" err="$TMP/mock.$MOCK_SEQ.err" i
  "$MOCKBIN" --brokers "$MOCK_BROKERS" --topic "$TOPIC:${1:-$PARTITIONS}" \
    <"$TMP/mock.ctl" >"$out" 2>"$err" 9>&- &
  MOCK_PID=$!
  BOOTSTRAP=""
  for i in $(seq 1 500); do
    if [ -s "$out" ] && [ "$(wc -l <"$out")" -ge 1 ]; then BOOTSTRAP=$(head -1 "$out"); break; fi
    kill -0 "$MOCK_PID" 2>/dev/null || die "mock cluster exited: $(cat "$err")"
    sleep 0.02
  done
  [ -n "$BOOTSTRAP" ] || die "mock cluster did not print its bootstrap list within 10 s"
}
stop_mock() {
  [ -n "$MOCK_PID" ] || return 0
  stop_pid "$MOCK_PID"
  MOCK_PID=""
  rm -f "$TMP/mock.$MOCK_SEQ.out" "$TMP/mock.$MOCK_SEQ.err"
}

# end_offsets_sum: records in $TOPIC (fresh cluster, so the sum of the partitions' end offsets)
end_offsets_sum() {
  local args=() p
  for ((p = 0; p < PARTITIONS; p++)); do args+=(-t "$TOPIC:$p:-1"); done
  kcat -Q -b "$BOOTSTRAP" "${args[@]}" 2>"$TMP/verify.err" |
    awk '/ offset /{s += $NF; n++} END {if (n == 0) print -1; else print s}'
}

# ---- inputs --------------------------------------------------------------------------------
# lines-N.txt: N lines of exactly 100 bytes + "\n": a 10-digit sequence number, a space and 89
# pseudo-random alphanumerics (fixed seed). Reused when present with the right size.
make_input() {
  local n=$1 f="$TMP/lines-$1.txt"
  if [ -f "$f" ] && [ "$(stat -c %s "$f")" -eq $((n * (RECORD_BYTES + 1))) ]; then
    log "reusing $f"
  else
    log "generating $f ($(human "$n") lines)"
    python3 - "$n" "$f" <<'EOF'
import random, string, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
pool = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(1 << 20))
span = len(pool) - 89
with open(path + ".part", "w") as f:
    chunk = []
    for i in range(n):
        off = (i * 7919) % span
        chunk.append(f"{i:010d} {pool[off:off + 89]}\n")
        if len(chunk) == 100000:
            f.write("".join(chunk)); chunk = []
    f.write("".join(chunk))
import os; os.replace(path + ".part", path)
EOF
  fi
  [ "$(stat -c %s "$f")" -eq $((n * (RECORD_BYTES + 1))) ] || die "$f has the wrong size"
}
for n in "$N_SMALL" "$N_BIG" "$N_HUGE"; do make_input "$n"; done
IN_BIG="$TMP/lines-$N_BIG.txt"
IN_SMALL="$TMP/lines-$N_SMALL.txt"
IN_HUGE="$TMP/lines-$N_HUGE.txt"

# Payload bytes of the generate scenario (key {i} + value template, as kafka-emit counts them).
GEN_BYTES=$("$EMIT" -t "$TOPIC" --count "$N_BIG" --value "$GEN_TEMPLATE" --seed 42 --dry-run -q --output-format '%k%v\n' | wc -c)
GEN_BYTES=$((GEN_BYTES - N_BIG))
payload_bytes() { # TEMPLATE: key {i} + value, as kafka-emit counts them
  echo $(($("$EMIT" -t "$TOPIC" --count "$N_BIG" --value "$1" --seed 42 --dry-run -q --output-format '%k%v\n' | wc -c) - N_BIG))
}
GEN100_BYTES=$(payload_bytes "$GEN100_TEMPLATE")
FIVE_BYTES=$(payload_bytes "$FIVE_TEMPLATE")
KEY_BYTES=$(($("$EMIT" -t "$TOPIC" --count "$N_BIG" --seed 42 --dry-run -q --output-format '%k\n' | wc -c) - N_BIG))

# ---- runs ----------------------------------------------------------------------------------
RAW="$TMP/run.raw.tsv"
printf 'scenario\tlabel\ttool\tround\trecords\tbytes\twall_s\tuser_s\tsys_s\tmaxrss_kb\textra\tsummary\n' >"$RAW"

# run SCENARIO LABEL TOOL ROUND RECORDS BYTES STDOUT_FILE EXTRA -- COMMAND...
# Times COMMAND against a fresh mock cluster ({B} in COMMAND is replaced by the bootstrap list),
# checks its exit status and the records that arrived, and appends a row to $RAW.
run() {
  local scen=$1 label=$2 tool=$3 round=$4 records=$5 bytes=$6 out=$7 extra=$8
  shift 9
  wanted "$scen" || return 0
  local cmd=() a
  start_mock
  for a in "$@"; do cmd+=("${a//\{B\}/$BOOTSTRAP}"); done
  local tf="$TMP/run.time" ef="$TMP/run.stderr" rc=0
  timeout 600 python3 "$BENCH/timeit.py" -o "$tf" -- "${cmd[@]}" >"$out" 2>"$ef" 9>&- || rc=$?
  if [ $rc -ne 0 ]; then
    echo "bench: $scen $tool round $round: exit $rc: ${cmd[*]}" >&2
    tail -20 "$ef" >&2
    exit 1
  fi
  local got
  got=$(end_offsets_sum || echo "? ($(cat "$TMP/verify.err"))")
  [ "$got" = "$records" ] || die "$scen $tool round $round: topic holds $got records, expected $records (${cmd[*]})"
  stop_mock
  local wall user sys rss summary
  read -r wall user sys rss < <(tail -1 "$tf")
  summary=$(grep -E '^kafka-emit: [0-9]+ delivered' "$ef" | tail -1 || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$scen" "$label" "$tool" "$round" "$records" "$bytes" "$wall" "$user" "$sys" "$rss" "$extra" "$summary" >>"$RAW"
  printf 'bench: [round %s/%s] %-4s %-34s %-10s %7.3fs %6.2f cpu-s %6.1f MB\n' \
    "$round" "$ROUNDS" "$scen" "$label" "$tool" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$(awk -v m="$rss" 'BEGIN {print m / 1024}')" >&2
}

# pair SCENARIO LABEL ROUND RECORDS BYTES EMIT_OUT -- EMIT_COMMAND... : kcat -P -l on the input with
# RECORDS lines (or kcat -P $KCAT_INPUT, one file = one record), the same with
# -X enable.idempotence=true (kafka-emit is idempotent by default, kcat is not: fairness both
# ways), BASE if given, and kafka-emit, in alternating order.
pair() {
  local scen=$1 label=$2 round=$3 records=$4 bytes=$5 emit_out=$6
  shift 7
  local kin="$TMP/lines-$records.txt"
  local kbytes=$((records * RECORD_BYTES))
  local base=() base_out=/dev/null
  [ -z "$BASE" ] || base=("$BASE" "${@:2}")
  [ "$emit_out" = /dev/null ] || base_out="$emit_out.base"
  local kcat=(kcat -P -b '{B}' -t "$TOPIC") kcat_in=(-l "$kin")
  [ -z "$KCAT_INPUT" ] || kcat_in=("$KCAT_INPUT")
  if ((round % 2 == 1)); then
    run "$scen" "$label" kcat "$round" "$records" "$kbytes" /dev/null "" -- "${kcat[@]}" "${kcat_in[@]}"
    run "$scen" "$label" kcat-idem "$round" "$records" "$kbytes" /dev/null "" -- "${kcat[@]}" -X enable.idempotence=true "${kcat_in[@]}"
    [ -z "$BASE" ] || run "$scen" "$label" base "$round" "$records" "$bytes" "$base_out" "" -- "${base[@]}"
    run "$scen" "$label" kafka-emit "$round" "$records" "$bytes" "$emit_out" "" -- "$@"
  else
    run "$scen" "$label" kafka-emit "$round" "$records" "$bytes" "$emit_out" "" -- "$@"
    [ -z "$BASE" ] || run "$scen" "$label" base "$round" "$records" "$bytes" "$base_out" "" -- "${base[@]}"
    run "$scen" "$label" kcat-idem "$round" "$records" "$kbytes" /dev/null "" -- "${kcat[@]}" -X enable.idempotence=true "${kcat_in[@]}"
    run "$scen" "$label" kcat "$round" "$records" "$kbytes" /dev/null "" -- "${kcat[@]}" "${kcat_in[@]}"
  fi
}
KCAT_INPUT=""

# verify_results FILE PATTERN RECORDS: one result line per record
verify_results() {
  local got
  got=$(grep -c -- "$2" "$1" || true)
  [ "$got" = "$3" ] || die "result file $1: $got lines match '$2', expected $3"
}

# verify_content TOOL COMMAND...: with the small scenario's settings, in round 1, for both tools:
# the first $VERIFY_N lines of its input ({IN}) arrive byte for byte (compared sorted, as
# partitions interleave), read back by kcat -C.
verify_content() {
  local tool=$1 want="$TMP/verify.want" got="$TMP/verify.got" in="$TMP/verify.in"
  shift
  head -n "$VERIFY_N" "$IN_SMALL" >"$in"
  start_mock
  local cmd=() a
  for a in "$@"; do a=${a//\{B\}/$BOOTSTRAP}; cmd+=("${a//\{IN\}/$in}"); done
  "${cmd[@]}" >/dev/null 2>"$TMP/verify.err" 9>&- || die "content check: $tool exited $?"
  kcat -C -b "$BOOTSTRAP" -t "$TOPIC" -e -q -f '%s\n' 9>&- | LC_ALL=C sort >"$got"
  LC_ALL=C sort "$in" >"$want"
  cmp -s "$want" "$got" ||
    die "content check: $tool: what kcat reads back ($(wc -l <"$got") lines) differs from what was sent ($VERIFY_N lines)"
  stop_mock
  rm -f "$want" "$got" "$in"
  log "content check ok: $tool, $(human "$VERIFY_N") lines read back byte for byte"
}

HB=$(human "$N_BIG") HS=$(human "$N_SMALL") HH=$(human "$N_HUGE")
BIG_BYTES=$((N_BIG * RECORD_BYTES))
START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "$ROUNDS round(s), QUICK=$QUICK, mock: $MOCK_BROKERS broker(s), topic $TOPIC with $PARTITIONS partition(s)"

printf 'one record\n' > "$TMP/one.txt"
for ((r = 1; r <= ROUNDS; r++)); do
  # 0: one record, whole process (start-up, connect, one produce, shutdown); 3 runs a round
  for rep in 1 2 3; do
    KCAT_INPUT="$TMP/one.txt" pair S0 "one record (whole process)" "$r" 1 10 /dev/null -- \
      "$EMIT" -b '{B}' -t "$TOPIC" -i "$TMP/one.txt" -o none -q
  done
  # 1-3: lines mode, 1M x 100 bytes, no result lines / text / json result lines into a file
  pair S1 "lines $HB, -o none -q" "$r" "$N_BIG" "$BIG_BYTES" /dev/null -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_BIG" -o none -q
  pair S2 "lines $HB, -o text > file" "$r" "$N_BIG" "$BIG_BYTES" "$TMP/out.txt" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_BIG" -q
  [ "$r" -ne 1 ] || ! wanted S2 || verify_results "$TMP/out.txt" '^delivered topic=bench partition=[0-9]* offset=[0-9]* ' "$N_BIG"
  rm -f "$TMP/out.txt"
  pair S3 "lines $HB, -o json > file" "$r" "$N_BIG" "$BIG_BYTES" "$TMP/out.json" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_BIG" -o json -q
  [ "$r" -ne 1 ] || ! wanted S3 || verify_results "$TMP/out.json" '^{"status":"delivered","topic":"bench",' "$N_BIG"
  rm -f "$TMP/out.json"
  # 4: generate mode, unpaced (kcat -P -l on the lines file, for reference)
  pair S4 "generate $HB, --value template" "$r" "$N_BIG" "$GEN_BYTES" /dev/null -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --count "$N_BIG" --value "$GEN_TEMPLATE" --seed 42 -o none -q
  # 5: 100k lines: start-up and shutdown dominate
  pair S5 "lines $HS (start-up/shutdown)" "$r" "$N_SMALL" "$((N_SMALL * RECORD_BYTES))" /dev/null -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_SMALL" -o none -q
  if [ "$r" -eq 1 ] && wanted S1; then
    verify_content kcat kcat -P -b '{B}' -t "$TOPIC" -l '{IN}'
    verify_content kafka-emit "$EMIT" -b '{B}' -t "$TOPIC" -i '{IN}' -o none -q
  fi
  # 6: pacing accuracy (kafka-emit only; the summary line has elapsed and send lateness)
  run S6a "pacing --every 1ms x$(human "$EVERY_N")" kafka-emit "$r" "$EVERY_N" 0 /dev/null "asked=1000" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --every 1ms --count "$EVERY_N" -o none
  run S6b "pacing --rate 10000 x$(human "$RATE10K_N")" kafka-emit "$r" "$RATE10K_N" 0 /dev/null "asked=10000" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --rate 10000 --count "$RATE10K_N" -o none
  run S6c "pacing --rate 100000 x$(human "$RATE100K_N")" kafka-emit "$r" "$RATE100K_N" 0 /dev/null "asked=100000" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --rate 100000 --count "$RATE100K_N" -o none
  # 7: delivery latency at 1 kHz: librdkafka defaults vs the low-latency preset, and linger 0
  # without the Nagle setting (on the mock cluster the preset stalls ~40 ms in some runs)
  lat_default() { run S7a "1 kHz latency, defaults" kafka-emit "$r" "$LAT_N" 0 /dev/null "asked=1000" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --rate 1000 --count "$LAT_N" -o none; }
  lat_low() { run S7b "1 kHz latency, linger 0 + no nagle" kafka-emit "$r" "$LAT_N" 0 /dev/null "asked=1000" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --rate 1000 --count "$LAT_N" -o none "${LOWLAT[@]}"; }
  lat_linger0() { run S7c "1 kHz latency, --linger 0ms only" kafka-emit "$r" "$LAT_N" 0 /dev/null "asked=1000" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --rate 1000 --count "$LAT_N" -o none --linger 0ms; }
  case $((r % 3)) in
    1) lat_default; lat_low; lat_linger0 ;;
    2) lat_low; lat_linger0; lat_default ;;
    0) lat_linger0; lat_default; lat_low ;;
  esac
  # 9: the cost of transactions: the same 1M generated records, in transactions of 1000 or not
  txn_off() { run S9a "generate $HB, no transactions" kafka-emit "$r" "$N_BIG" "$GEN_BYTES" /dev/null "" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --count "$N_BIG" --value "$GEN_TEMPLATE" --seed 42 -o none -q; }
  txn_on() { run S9b "generate $HB, transactions of 1000" kafka-emit "$r" "$N_BIG" "$GEN_BYTES" /dev/null "" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --count "$N_BIG" --value "$GEN_TEMPLATE" --seed 42 -o none -q \
    --transactional-id "bench-$r" --transaction-records 1000; }
  if ((r % 2 == 1)); then txn_off; txn_on; else txn_on; txn_off; fi
  # 11: generate mode against lines mode (issue 22), 100-byte values either way: with the same
  # keys ({i}, generate's default, given to lines with -k '{i}'); lines' own default (a null key,
  # sticky partitioning) is S1. And five realistic fields against --value '{i}' alone.
  g100() { run S11a "generate $HB, 100 B, key {i}" kafka-emit "$r" "$N_BIG" "$GEN100_BYTES" /dev/null "" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --count "$N_BIG" --value "$GEN100_TEMPLATE" --seed 42 -o none -q; }
  l100() { run S11b "lines $HB, 100 B, -k {i}" kafka-emit "$r" "$N_BIG" "$((BIG_BYTES + KEY_BYTES))" /dev/null "" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_BIG" -k '{i}' -o none -q; }
  gi() { run S11c "generate $HB, --value {i}" kafka-emit "$r" "$N_BIG" "$((2 * KEY_BYTES))" /dev/null "" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --count "$N_BIG" --value '{i}' --seed 42 -o none -q; }
  g5() { run S11d "generate $HB, five realistic fields" kafka-emit "$r" "$N_BIG" "$FIVE_BYTES" /dev/null "" -- \
    "$EMIT" -b '{B}' -t "$TOPIC" --count "$N_BIG" --value "$FIVE_TEMPLATE" --seed 42 -o none -q; }
  case $((r % 4)) in
    1) g100; l100; gi; g5 ;;
    2) l100; g100; g5; gi ;;
    3) g5; gi; l100; g100 ;;
    0) gi; g5; g100; l100 ;;
  esac
  # 10: throughput against memory over --max-in-flight (the default is chosen from this curve)
  for n in $INFLIGHT_CURVE; do
    run S10 "lines $HB, --max-in-flight $n" kafka-emit "$r" "$N_BIG" "$BIG_BYTES" /dev/null "inflight=$n" -- \
      "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_BIG" -o none -q --max-in-flight "$n"
  done
  # 8: peak RSS, 1M vs 5M lines: does it stay flat?
  pair S8a "peak RSS, lines $HB" "$r" "$N_BIG" "$BIG_BYTES" /dev/null -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_BIG" -o none -q
  pair S8b "peak RSS, lines $HH" "$r" "$N_HUGE" "$((N_HUGE * RECORD_BYTES))" /dev/null -- \
    "$EMIT" -b '{B}' -t "$TOPIC" -i "$IN_HUGE" -o none -q
done
log "all runs done in $(($(date +%s) - START)) s"

# ---- latency over time: 4 shards merged from histogram logs, a slow broker mid-run ----------
if [ -n "${ONLY:-}" ]; then
  python3 "$BENCH/report.py" --raw "$RAW" --meta "rounds=$ROUNDS (QUICK=$QUICK, ONLY=$ONLY)"
  exit 0
fi
if [ "$QUICK" = 1 ]; then LAT_SECONDS=8; else LAT_SECONDS=20; fi
"$BENCH/latency.sh" "$BIN" "$RESULTS" "$LAT_SECONDS" 20000 9>&- || die "latency over time failed"

# ---- report --------------------------------------------------------------------------------
cp "$RAW" "$RESULTS/latest-raw.tsv"
VERSIONS=$("$EMIT" -V 2>&1 | paste -sd ' ')
KCAT_VERSION=$(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\) (.*librdkafka \([^ ]*\).*/kcat \1, librdkafka \2/p' | head -1)
python3 "$BENCH/report.py" \
  --raw "$RAW" --markdown "$RESULTS/latest.md" --chart-data "$TMP/chart.dat" --curve-data "$TMP/inflight.dat" \
  --meta "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --meta "machine=$(nproc) CPU(s), $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || true), $(awk '/MemTotal/{printf "%.0f GB RAM", $2/1048576}' /proc/meminfo)" \
  --meta "kafka-emit=$VERSIONS" \
  --meta "kcat=$(command -v kcat) (${KCAT_VERSION:-version unknown})" \
  --meta "rounds=$ROUNDS (QUICK=$QUICK), runs took $(($(date +%s) - START)) s" \
  --meta "load average=$LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the machine skews results)" \
  --meta "cluster=kafka-mock-cluster, $MOCK_BROKERS broker(s), topic with $PARTITIONS partition(s), a fresh cluster per run"

if command -v gnuplot >/dev/null; then
  gnuplot -e "datafile='$TMP/chart.dat'; outfile='$RESULTS/latest.png'; subtitle='$(nproc) CPUs, ROUNDS=$ROUNDS, QUICK=$QUICK, $(date -u +%Y-%m-%d)'" \
    "$BENCH/chart.gp"
  [ ! -s "$TMP/inflight.dat" ] || gnuplot -e "datafile='$TMP/inflight.dat'; outfile='$RESULTS/inflight.png'; subtitle='$(nproc) CPUs, ROUNDS=$ROUNDS, $(date -u +%Y-%m-%d)'" \
    "$BENCH/inflight.gp"
  log "wrote $RESULTS/latest.md, $RESULTS/latest.png, $RESULTS/latest-raw.tsv"
else
  log "gnuplot not found: no chart; wrote $RESULTS/latest.md, $RESULTS/latest-raw.tsv"
fi
exit 0
}
