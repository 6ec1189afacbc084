# The live progress bar, as a person sees it: run in tmux, read the screen mid-run and at the end.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || "$(dirname "$0")/../../scripts/ensure-deps.sh" tmux
start_mock --topic prog:3
S="kafka-emit-smoke-$$"
tmux new-session -d -s "$S" -x 160 -y 20 \
  "'$EMIT' -b '$BOOTSTRAP' -t prog -n 40 --every 100ms --stats-interval 200ms -o none; echo EXIT=\$?; sleep 60"
trap 'tmux kill-session -t "$S" 2>/dev/null; cleanup' EXIT
sleep 2
tmux capture-pane -p -t "$S" > "$WORK/mid.txt"
grep -Eq '^\[#+-+\] [0-9]+% [0-9]+/40 .*rec/s in-flight [0-9]+ p99 .*ms ETA [0-9]+s' "$WORK/mid.txt" || fail "no progress bar mid-run: $(cat "$WORK/mid.txt")"
for _ in $(seq 1 50); do
  tmux capture-pane -p -t "$S" > "$WORK/end.txt"
  grep -q 'EXIT=' "$WORK/end.txt" && break
  sleep 0.2
done
grep -q 'EXIT=0' "$WORK/end.txt" || fail "run did not end with 0: $(cat "$WORK/end.txt")"
grep -q '^kafka-emit: 40 delivered, 0 failed' "$WORK/end.txt" || fail "no summary: $(cat "$WORK/end.txt")"
grep -q 'ETA' "$WORK/end.txt" && fail "the bar was not cleared: $(cat "$WORK/end.txt")"
exit 0
