#!/usr/bin/env bash
# How a CI smoke test uses kafka-emit: send N records, check the exit code and count the
# result lines. Exit 0 means every record was acknowledged by the cluster.
set -uo pipefail
EMIT=${EMIT:-$(command -v kafka-emit || echo "$(dirname "$0")/../.build/debug/kafka-emit")}
N=250
out=$("$EMIT" --mock -t smoke --count $N --value '{"check":"smoke","i":{i},"id":"{uuid}"}' -q)
rc=$?
if [ $rc -ne 0 ]; then echo "smoke: kafka-emit exited $rc"; exit 1; fi
delivered=$(grep -c '^delivered ' <<< "$out")
if [ "$delivered" -ne $N ]; then echo "smoke: $delivered of $N delivered"; exit 1; fi
# an unreachable cluster is exit 69, fast, never a hang
"$EMIT" -b 127.0.0.1:1 -t smoke -n 1 --connect-timeout 1s -q >/dev/null 2>&1
rc=$?
if [ $rc -ne 69 ]; then echo "smoke: expected 69 for an unreachable broker, got $rc"; exit 1; fi
echo "smoke: $N/$N delivered; unreachable broker -> 69"
