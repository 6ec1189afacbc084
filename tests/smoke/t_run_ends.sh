# Every run ends by itself, and a second signal always wins (SPEC §5, §6), table-driven:
# - transactions whose brokers all die mid-window give up within transaction.timeout.ms +
#   --delivery-timeout: the window's records get failed/unknown lines, exit 1;
# - a stdout nobody reads, then two signals, in every mode: exit within 1 s of the second,
#   and the summary counts the result lines that could not be written;
# - SIGHUP is SIGTERM (drain, summary, 129), SIGUSR1 prints a progress line at once.
. "$(dirname "$0")/lib.sh"
start_mock --brokers 3 --topic ends:3
cases=0
elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# --- transactions, all brokers down mid-window
for row in "3000 2s 50" "2000 1s 20"; do
  read -r txn_ms dt records <<< "$row"
  mock_cmd "up 1"; mock_cmd "up 2"; mock_cmd "up 3"
  sleep 0.3
  t0=$(date +%s%N)
  timeout -k 1 60 "$EMIT" -b "$BOOTSTRAP" -t ends -n 400 --every 10ms --transactional-id "outage-$txn_ms" \
    --transaction-records "$records" --delivery-timeout "$dt" -X transaction.timeout.ms="$txn_ms" \
    > "$WORK/out" 2> "$WORK/err" &
  pid=$!; PIDS+=("$pid")
  sleep 0.8
  mock_cmd "down 1"; mock_cmd "down 2"; mock_cmd "down 3"
  wait "$pid"; rc=$?
  ms=$(elapsed_ms "$t0")
  bound=$(( 800 + txn_ms + ${dt%s} * 1000 + 4000 ))
  name="transactions, brokers down (transaction.timeout.ms=$txn_ms, --delivery-timeout $dt)"
  assert_eq "$rc" 1 "$name: exit code ($(tail -2 "$WORK/err"))"
  [ "$ms" -le "$bound" ] || fail "$name: took $ms ms, bound $bound ms"
  grep -q '^kafka-emit: transactions stopped: transaction [0-9]*: its commit or abort could not complete within' "$WORK/err" \
    || fail "$name: no reason on stderr: $(cat "$WORK/err")"
  sent=$(wc -l < "$WORK/out")
  never=$(sed -n 's/.*, \([0-9]*\) never sent.*/\1/p' "$WORK/err")
  assert_eq "$((sent + never))" 400 "$name: lines + never sent"
  assert_eq "$(grep -o ' correlation=[0-9]*' "$WORK/out" | sort | uniq -d | wc -l)" 0 "$name: one line per record"
  grep -Eq '^(failed|unknown) topic=ends correlation=[0-9]+ error="[^"]*transaction [0-9]+ (not committed|may have committed|aborted)' "$WORK/out" \
    || fail "$name: no failed/unknown line for the open window: $(tail -2 "$WORK/out")"
  cases=$((cases + 1))
  printf '  %-78s exit %s in %5d ms, %3d lines\n' "$name" "$rc" "$ms" "$sent"
done
mock_cmd "up 1"; mock_cmd "up 2"; mock_cmd "up 3"
sleep 0.5

# --- a stdout that never drains, then two signals
# stalled NAME SIGNAL WANT_EXIT -- kafka-emit args...: stdout is a FIFO this script holds open
# without reading; after 1 s, SIGNAL, then SIGNAL again 0.4 s later. stdin: $STDIN_FILE.
seq 1 2000000 > "$WORK/lines.txt"
mkdir -p "$WORK/files"; for i in $(seq 1 3000); do echo "file $i" > "$WORK/files/f$i"; done
stalled() {
  local name=$1 sig=$2 want=$3
  shift 4
  rm -f "$WORK/stall"; mkfifo "$WORK/stall"
  exec 7<>"$WORK/stall"
  if [ -n "${STDERR_TOO:-}" ]; then
    "$EMIT" "$@" < /dev/null > "$WORK/stall" 2>&1 &
  else
    "$EMIT" "$@" < "${STDIN_FILE:-/dev/null}" > "$WORK/stall" 2> "$WORK/err" &
  fi
  local pid=$!; PIDS+=("$pid")
  sleep 1
  kill -"$sig" "$pid"; sleep 0.4
  kill -0 "$pid" 2>/dev/null || fail "$name: ended on the first signal (stdout was supposed to be stalled): $(tail -2 "$WORK/err")"
  local t0; t0=$(date +%s%N)
  kill -"$sig" "$pid"
  local rc=""
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fail "$name: still running 2.5 s after the second SIG$sig"; fi
  wait "$pid"; rc=$?
  local ms; ms=$(elapsed_ms "$t0")
  assert_eq "$rc" "$want" "$name: exit code ($(tail -2 "$WORK/err"))"
  [ "$ms" -le 1000 ] || fail "$name: exit took $ms ms after the second signal"
  if [ -z "${STDERR_TOO:-}" ]; then
    grep -Eq 'lines dropped \(stdout did not take them\)|"dropped_lines":[1-9]' "$WORK/err" \
      || fail "$name: the summary does not count the dropped lines: $(tail -2 "$WORK/err")"
  fi
  cases=$((cases + 1))
  printf '  %-78s exit %s %4d ms after the 2nd\n' "$name" "$rc" "$ms"
  exec 7>&-
}
B=(-b "$BOOTSTRAP" -t ends)
stalled "generate, bulk"                      INT  130 -- "${B[@]}" -n 5000000
stalled "generate, paced --rate 4000"         INT  130 -- "${B[@]}" --rate 4000
stalled "generate, -o json"                   INT  130 -- "${B[@]}" -n 5000000 -o json
stalled "generate, --output-format"           INT  130 -- "${B[@]}" -n 5000000 --output-format '%s %t %p %o %c\n'
stalled "lines from a file"                   INT  130 -- "${B[@]}" -i "$WORK/lines.txt"
STDIN_FILE="$WORK/lines.txt" stalled "lines from stdin" INT 130 -- "${B[@]}" -i -
stalled "files mode"                          INT  130 -- "${B[@]}" "$WORK"/files/f*
stalled "transactions"                        INT  130 -- "${B[@]}" -n 5000000 --transactional-id stall-1 --transaction-records 100
stalled "transactions, paced"                 INT  130 -- "${B[@]}" --rate 4000 --transactional-id stall-2 --transaction-every 50ms
stalled "--stats-interval"                    INT  130 -- "${B[@]}" -n 5000000 --stats-interval 100ms
stalled "SIGTERM twice"                       TERM 143 -- "${B[@]}" -n 5000000
stalled "SIGHUP twice"                        HUP  129 -- "${B[@]}" -n 5000000
stalled "--dry-run"                           INT  130 -- -t ends -n 50000000 --dry-run
# `2>&1 | less`, not scrolling: the summary and diagnostics cannot be written either
STDERR_TOO=1 stalled "stdout and stderr both stalled"          INT 130 -- "${B[@]}" -n 5000000
STDERR_TOO=1 stalled "stdout and stderr stalled, --stats-interval" INT 130 -- "${B[@]}" --rate 4000 --stats-interval 50ms
STDERR_TOO=1 stalled "stdout and stderr stalled, transactions" INT 130 -- "${B[@]}" -n 5000000 --transactional-id stall-3 --transaction-records 100

# --- SIGHUP is SIGTERM: the drain finishes, the summary is printed, exit 129
"$EMIT" "${B[@]}" --every 10ms > "$WORK/out" 2> "$WORK/err" &
pid=$!; PIDS+=("$pid")
sleep 1
kill -HUP "$pid"
wait "$pid"; rc=$?
assert_eq "$rc" 129 "SIGHUP: exit code"
n=$(sed -n 's/^kafka-emit: \([0-9]*\) delivered, 0 failed.*/\1/p' "$WORK/err")
[ -n "$n" ] || fail "SIGHUP: no summary: $(cat "$WORK/err")"
assert_eq "$(wc -l < "$WORK/out")" "$n" "SIGHUP: a line for every record"
cases=$((cases + 1))

# --- SIGUSR1: a progress line at once, with or without --stats-interval; the run goes on
for extra in "" "--stats-interval 10s"; do
  # shellcheck disable=SC2086
  "$EMIT" "${B[@]}" -n 300 --every 10ms $extra > "$WORK/out" 2> "$WORK/err" &
  pid=$!; PIDS+=("$pid")
  sleep 1
  kill -USR1 "$pid"; sleep 0.3
  wait "$pid"; rc=$?
  assert_eq "$rc" 0 "SIGUSR1 ($extra): the run went on to the end"
  grep -Eq '^kafka-emit: progress at [0-9.]+s: total [0-9]+ sent, [0-9]+ delivered, 0 failed, [0-9]+ in flight$' "$WORK/err" \
    || fail "SIGUSR1 ($extra): no progress line: $(cat "$WORK/err")"
  assert_eq "$(wc -l < "$WORK/out")" 300 "SIGUSR1 ($extra): every record has its line"
  cases=$((cases + 1))
done
echo "run-ends cases: $cases"
