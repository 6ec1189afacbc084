# Hostile input and environments (SPEC §6), table-driven: for each case the exit code, a time
# bound, a memory bound where that is the point, and no secret on either stream.
. "$(dirname "$0")/lib.sh"
start_mock --topic h:3
SECRET=hunter2-$$
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cases=0

# check NAME WANT_EXIT MAX_SECONDS MAX_RSS_MB -- COMMAND... : runs COMMAND (stdin from $STDIN, default
# /dev/null) with stdout/stderr in files; checks exit, wall time, peak RSS and that $SECRET
# appears on neither stream.
check() {
  local name=$1 want=$2 secs=$3 rss=$4
  shift 5
  local t0 rc ms kb
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$WORK/rss" timeout -k 2 $((secs + 5)) "$@" < "${STDIN:-/dev/null}" > "$WORK/out" 2> "$WORK/err"; rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  kb=$(tail -1 "$WORK/rss")
  [ "$rc" = "$want" ] || fail "$name: exit $rc, expected $want; stderr: $(head -c 400 "$WORK/err")"
  [ "$ms" -le $((secs * 1000)) ] || fail "$name: took $ms ms (bound ${secs}s)"
  [ "$kb" -le $((rss * 1024)) ] || fail "$name: peak RSS $((kb / 1024)) MB (bound $rss MB)"
  if grep -q -- "$SECRET" "$WORK/out" "$WORK/err"; then fail "$name: the secret was printed"; fi
  cases=$((cases + 1))
  printf '  %-58s exit %-3s %6d ms %5d MB\n' "$name" "$rc" "$ms" $((kb / 1024))
}
EMITB=("$EMIT" -b "$BOOTSTRAP")

# --- crash: deep nesting, in every mode that parses envelopes
for depth in 600 5000 100000; do
  python3 -c "import sys; d=int(sys.argv[1]); print('{\"payload\":' + '['*d + ']'*d + '}')" "$depth" > "$WORK/deep$depth.json"
  check "JSON nested $depth deep" 65 5 100 -- "${EMITB[@]}" -t h -i "$WORK/deep$depth.json" --input-format json
  check "JSON nested $depth deep, --dry-run" 65 5 100 -- "$EMIT" -t h -i "$WORK/deep$depth.json" --input-format json --dry-run
  check "JSON nested $depth deep, --continue-on-error" 1 5 100 -- "${EMITB[@]}" -t h -i "$WORK/deep$depth.json" --input-format json --continue-on-error
done

# --- unbounded memory: a line with no delimiter in sight
check "-i /dev/zero (no newline ever)" 1 10 80 -- "${EMITB[@]}" -t h -i /dev/zero
check "-i /dev/zero -D x --continue-on-error --duration 2s" 1 8 80 -- "${EMITB[@]}" -t h -i /dev/zero -D x --continue-on-error --duration 2s
check "-i /dev/zero --dry-run --duration 2s" 0 8 80 -- "$EMIT" -t h -i /dev/zero --dry-run --duration 2s
check "-F /dev/zero" 64 5 40 -- "${EMITB[@]}" -t h -n 1 -F /dev/zero
check "FILE /dev/zero (files mode)" 1 10 80 -- "${EMITB[@]}" -t h /dev/zero
check "--input-format '%v\\n' on /dev/zero" 65 10 80 -- "${EMITB[@]}" -t h -i /dev/zero --input-format '%v\n'

# --- closed standard streams
check "stdin and stdout closed" 74 5 100 -- bash -c "exec <&- >&-; exec \"\$@\"" _ "${EMITB[@]}" -t h -n 3
check "stdin and stdout closed, -o none" 0 10 100 -- bash -c "exec <&- >&-; exec \"\$@\"" _ "${EMITB[@]}" -t h -n 3 -o none
check "-i - with stdin closed (reads as empty)" 0 5 100 -- bash -c "exec <&-; exec \"\$@\"" _ "${EMITB[@]}" -t h -i -
check "stderr closed" 0 10 100 -- bash -c "exec 2>&-; exec \"\$@\"" _ "${EMITB[@]}" -t h -n 3
assert_eq "$(wc -l < "$WORK/out")" 3 "result lines with stderr closed"

# --- a FIFO with no writer: --duration and signals still end the run
mkfifo "$WORK/fifo"
check "-i FIFO without writer, --duration 1s" 0 4 100 -- "${EMITB[@]}" -t h -i "$WORK/fifo" --duration 1s
check "-i FIFO without writer, SIGINT after 1s" 130 4 100 -- timeout --preserve-status -s INT 1 "${EMITB[@]}" -t h -i "$WORK/fifo"
check "-i FIFO without writer, SIGTERM after 1s" 143 4 100 -- timeout --preserve-status -s TERM 1 "${EMITB[@]}" -t h -i "$WORK/fifo"

# --- secrets: never echoed, whatever the mistake
printf 'bootstrap.servers=%s\nsasl.password %s\n' "$BOOTSTRAP" "$SECRET" > "$WORK/bad.properties"
printf 'sasl.password=%s\nssl.key.password=%s\nssl.keystore.password=%s\n' "$SECRET" "$SECRET" "$SECRET" > "$WORK/good.properties"
check "-X 'sasl.password:SECRET' (malformed)" 64 3 100 -- "${EMITB[@]}" -t h -n 1 -X "sasl.password:$SECRET"
check "-X sasl.pasword=SECRET (misspelled)" 64 3 100 -- "${EMITB[@]}" -t h -n 1 -X "sasl.pasword=$SECRET"
check "-X ssl.key.pem=SECRET (refused by the producer)" 64 3 100 -- "${EMITB[@]}" -t h -n 1 -X security.protocol=ssl -X "ssl.key.pem=$SECRET" -X "ssl.key.password=$SECRET"
check "config line without '='" 64 3 100 -- "${EMITB[@]}" -t h -n 1 -F "$WORK/bad.properties"
check "-v with secrets in -F and -X" 69 8 100 -- "$EMIT" -b 127.0.0.1:1 -t h -n 1 -v --connect-timeout 1s -F "$WORK/good.properties" -X "sasl.password=$SECRET"
check "-X dump with secrets" 0 3 100 -- "$EMIT" -X dump -F "$WORK/good.properties"
check "--dry-run with secrets" 0 3 100 -- "$EMIT" -t h -n 2 --dry-run -F "$WORK/good.properties"

# --- one line per record, whatever the correlation holds
check "correlation with newline, quote, tab, CR" 0 5 100 -- "${EMITB[@]}" -t h -n 20 --correlation $'a\nb"c\td\re{i}'
assert_eq "$(wc -l < "$WORK/out")" 20 "one line per record"

# --- wrong codes and values
check "-F a directory" 66 3 100 -- "${EMITB[@]}" -t h -n 1 -F "$WORK"
check "-F unreadable (/proc/self/mem)" 66 3 100 -- "${EMITB[@]}" -t h -n 1 -F /proc/self/mem
check "-i a directory" 66 3 100 -- "${EMITB[@]}" -t h -i "$WORK"
check "topic '.'" 64 3 100 -- "${EMITB[@]}" -t . -n 1
check "topic '..'" 64 3 100 -- "${EMITB[@]}" -t .. -n 1
check "--acks 0" 0 5 100 -- "${EMITB[@]}" -t h -n 50 --acks 0
assert_eq "$(grep -c ' offset=-1 ' "$WORK/out")" 50 "--acks 0 offsets are -1"
check "closed stdout after some of 200000 (| head -1)" 0 20 150 -- bash -c "set -o pipefail; \"\$@\" | head -1 > /dev/null; s=\${PIPESTATUS[0]}; [ \$s -eq 141 ] || { echo \"exit \$s, expected 141\" >&2; exit 1; }" _ "${EMITB[@]}" -t h -n 200000
check "closed stdout after all of 3 (| head -5)" 0 10 100 -- bash -c "set -o pipefail; \"\$@\" | head -5 > /dev/null" _ "${EMITB[@]}" -t h -n 3

# --- a stalled or non-blocking stdout: waits without spinning; a second signal still abandons
cat > "$WORK/stall.py" <<'PY'
import os, signal, subprocess, sys, time, fcntl
nonblocking = sys.argv[1] == "nonblocking"
r, w = os.pipe()
if nonblocking:
    fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[2:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
time.sleep(2.0)                      # the pipe fills; nobody reads
def cpu():
    f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
c0 = cpu(); time.sleep(1.0); used = cpu() - c0
p.send_signal(signal.SIGINT); time.sleep(0.5)
t0 = time.time(); p.send_signal(signal.SIGINT)
try:
    rc = p.wait(timeout=5)
except subprocess.TimeoutExpired:
    p.kill(); print("did not exit after a second SIGINT"); sys.exit(1)
err = p.stderr.read().decode()
summary = [l for l in err.splitlines() if l.startswith("{\"summary\"")]
print(f"cpu {used:.2f}s/s exit {rc} in {time.time() - t0:.2f}s")
ok = used < 0.1 and rc == 130 and time.time() - t0 < 3 and bool(summary)
sys.exit(0 if ok else 1)
PY
check "stalled stdout: no spin, 2nd SIGINT abandons, JSON summary" 0 12 150 -- python3 "$WORK/stall.py" blocking "${EMITB[@]}" -t h --rate 20000 --max-in-flight 2000 -o json
check "non-blocking stdout: no spin, 2nd SIGINT abandons" 0 12 150 -- python3 "$WORK/stall.py" nonblocking "${EMITB[@]}" -t h --rate 20000 --max-in-flight 2000 -o json

echo "$cases hostile cases passed"
