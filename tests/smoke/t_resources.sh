# A machine short of threads, file descriptors or memory gets exit 71 and a line naming the
# resource — never a crash, a hang or an assertion from librdkafka's mock (SPEC §5, §6) —
# table-driven over limits from "nothing at all" to "just enough":
# - ulimit -u (threads) as an unprivileged user (root ignores it), where the machine has one;
# - ulimit -n (descriptors) and ulimit -v (address space), against a broker and with --mock.
# Each row: exit 0 (every record delivered) or 71; every record sent has exactly one line;
# stderr ends with a line that names what to raise; nothing from librdkafka's THREAD logger.
. "$(dirname "$0")/lib.sh"
start_mock --topic res:3
cases=0; refused=0

# limited NAME LIMIT_CMD [--as-user] -- kafka-emit args...
limited() {
  local name=$1 limit=$2 as=""
  shift 2
  if [ "$1" = "--as-user" ]; then as=user; shift; fi
  shift
  # Only stdin, stdout and stderr go in: a descriptor the caller inherited (a build lock held
  # by `flock make test`, the mock's fifo) would take one of `ulimit -n 4`'s four.
  local cmd=(bash -c "for f in /proc/\$\$/fd/*; do n=\${f##*/}; [ \"\$n\" -gt 2 ] && eval \"exec \$n>&-\"; done; $limit; exec \"\$@\"" _ "$EMIT" "$@")
  if [ -n "$as" ]; then cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "${cmd[@]}"); fi
  timeout -k 2 30 "${cmd[@]}" > "$WORK/out" 2> "$WORK/err"; local rc=$?
  case "$rc" in
    0) grep -q '^kafka-emit: [0-9]* delivered, 0 failed' "$WORK/err" || fail "$name: exit 0 without a clean summary: $(cat "$WORK/err")" ;;
    71) refused=$((refused + 1))
        tail -1 "$WORK/err" | grep -Eq 'ulimit -[unv]' || fail "$name: the last line does not say what to raise: $(tail -2 "$WORK/err")"
        if [ ! -s "$WORK/out" ]; then
          assert_eq "$(wc -l < "$WORK/err")" 1 "$name: nothing sent, so one line on stderr ($(cat "$WORK/err"))"
        fi ;;
    *) fail "$name: exit $rc (0 or 71 expected): $(tail -3 "$WORK/err")" ;;
  esac
  ! grep -q '|THREAD|' "$WORK/err" || fail "$name: librdkafka's thread log leaked: $(grep '|THREAD|' "$WORK/err" | head -1)"
  # every record handed over has exactly one line, and the summary counts them
  local lines summary
  lines=$(grep -c . "$WORK/out")
  summary=$(grep -o '^kafka-emit: [0-9]* delivered, [0-9]* failed' "$WORK/err" | grep -o '[0-9]*' | paste -sd+ | bc)
  if [ -n "$summary" ]; then assert_eq "$lines" "$summary" "$name: lines vs summary"; fi
  assert_eq "$(grep -o 'correlation=[0-9]*' "$WORK/out" | sort | uniq -d | wc -l)" 0 "$name: a record with two lines"
  cases=$((cases + 1))
  printf '  %-44s exit %-3s %3s lines; %s\n' "$name" "$rc" "$lines" "$(tail -1 "$WORK/err" | cut -c1-110)"
}

R=(-b "$BOOTSTRAP" -t res -n 5 --connect-timeout 3s)
# --- threads: only an unprivileged user is held to ulimit -u
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null && id nobody > /dev/null 2>&1 \
   && setpriv --reuid=65534 --regid=65534 --clear-groups "$EMIT" -V > /dev/null 2>&1; then
  for u in 1 2 3 5 7 9 64; do
    limited "ulimit -u $u" "ulimit -u $u" --as-user -- "${R[@]}"
  done
  for u in 1 8 16 64; do
    limited "ulimit -u $u, --mock" "ulimit -u $u" --as-user -- --mock -t res -n 5
  done
  assert_eq "$(tail -1 "$WORK/err" | grep -c delivered)" 1 "ulimit -u 64 with --mock runs (the last row)"
else
  echo "  (ulimit -u rows skipped: they need root, setpriv and a 'nobody' that can run $EMIT)"
fi
# --- file descriptors: the tiniest limits end before anything is sent; around what a run
# needs, a socket may be refused mid-run (EMFILE): those records fail, the rest deliver
for n in 4 8 12 16 20 22 24 26 28 64; do
  limited "ulimit -n $n" "ulimit -n $n" -- "${R[@]}"
done
assert_eq "$(tail -1 "$WORK/err" | grep -c '5 delivered')" 1 "ulimit -n 64 runs (the last row)"
for n in 10 20 30 40 64; do
  limited "ulimit -n $n, --mock" "ulimit -n $n" -- --mock -t res -n 5
done
# --- address space: below 256 MB refused at once (glibc's per-thread arenas and the thread
# stacks would be refused somewhere nothing can recover); above it, runs
for v in 40000 80000 120000 200000 400000 800000; do
  limited "ulimit -v $v" "ulimit -v $v" -- "${R[@]}"
  limited "ulimit -v $v, --mock" "ulimit -v $v" -- --mock -t res -n 5
done
[ "$refused" -ge 8 ] || fail "only $refused rows were refused: the limits did not bite"
echo "resource cases: $cases ($refused refused with exit 71)"
