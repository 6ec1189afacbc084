# The live progress bar, as a person sees it: run in tmux, read the screen mid-run and at the
# end; then with result lines on the same terminal (tmux's screen, and the raw bytes under
# `script`): no result line carries bar bytes, and TERM=dumb gets plain progress lines.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || "$(dirname "$0")/../../scripts/ensure-deps.sh" tmux
start_mock --topic prog:3
# A tmux server of our own (its own socket): the matrix's cells run this test at the same time,
# and on the shared default server one cell's last kill-session ended the server under the
# other cell's new-session ("no server running").
tmux() { command tmux -S "$WORK/tmux.sock" "$@"; }
S="kafka-emit-smoke-$$"
tmux new-session -d -s "$S" -x 160 -y 20 \
  "'$EMIT' -b '$BOOTSTRAP' -t prog -n 40 --every 100ms --stats-interval 200ms -o none; echo EXIT=\$?; sleep 60" \
  || fail "tmux new-session failed"
trap 'tmux kill-server 2>/dev/null; cleanup' EXIT
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
# (the first session stays until kill-server: killing the server's last session would end it
# while the next new-session may already be connecting)
S="$S-2"

# stdout and stderr on one terminal: result lines and the bar share the screen
tmux new-session -d -s "$S" -x 200 -y 60 \
  "'$EMIT' -b '$BOOTSTRAP' -t prog -n 40 --every 50ms --stats-interval 100ms; echo EXIT=\$?; sleep 60" \
  || fail "tmux new-session (shared terminal) failed"
for _ in $(seq 1 60); do
  tmux capture-pane -p -S -100 -t "$S" > "$WORK/both.txt"
  grep -q 'EXIT=' "$WORK/both.txt" && break
  sleep 0.2
done
grep -q 'EXIT=0' "$WORK/both.txt" || fail "shared terminal run: $(cat "$WORK/both.txt")"
assert_eq "$(grep -c '^delivered topic=prog ' "$WORK/both.txt")" 40 "result lines on the screen, each on a line of its own"
grep -q 'ETA.*delivered\|delivered.*ETA' "$WORK/both.txt" && fail "a bar and a result line share a screen line: $(grep 'ETA' "$WORK/both.txt" | head -2)"
# the raw bytes: every result line starts a line, or follows the erasing of the bar
script -qec "'$EMIT' -b '$BOOTSTRAP' -t prog -n 40 --every 25ms --stats-interval 100ms" "$WORK/raw" > /dev/null || fail "script run: exit $?"
python3 - "$WORK/raw" <<'PY' || fail "a result line carries bar bytes"
import re, sys
raw = open(sys.argv[1], "rb").read()
starts = [m.start() for m in re.finditer(rb"delivered topic=", raw)]
bad = [s for s in starts if not (raw[:s].endswith(b"\n") or raw[:s].endswith(b"\x1b[K"))]
assert len(starts) == 40 and b"\x1b[K[#" in raw, (len(starts), raw[:300])
sys.exit(1 if bad else 0)
PY
# TERM=dumb: plain progress lines, never the bar's escapes
TERM=dumb script -qec "'$EMIT' -b '$BOOTSTRAP' -t prog -n 10 --every 25ms --stats-interval 100ms" "$WORK/dumb" > /dev/null || fail "TERM=dumb run: exit $?"
! grep -q $'\e\[K' "$WORK/dumb" || fail "TERM=dumb: the bar's escape was written"
grep -q '^kafka-emit: progress at [0-9.]*s, window [0-9.]*s: ' "$WORK/dumb" || fail "TERM=dumb: no progress lines: $(cat -v "$WORK/dumb")"
exit 0
