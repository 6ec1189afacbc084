#!/usr/bin/env bash
# Pipe a file through stdin: one record per line, the key split off at the first ':'.
set -euo pipefail
EMIT=${EMIT:-$(command -v kafka-emit || echo "$(dirname "$0")/../.build/debug/kafka-emit")}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for i in $(seq 1 500); do echo "user-$((i % 7)):{\"event\":\"click\",\"n\":$i}"; done > "$tmp"
cat "$tmp" | "$EMIT" --mock -t clicks -i - -K : --output-format '%p %o %k\n' -q > "$tmp.out"
test "$(wc -l < "$tmp.out")" -eq 500
# same key, same partition: librdkafka's partitioner hashes the key
test "$(awk '{print $3, $1}' "$tmp.out" | sort -u | wc -l)" -eq 7
echo "pipe-file: 500 lines sent, 7 keys each on one partition"
rm -f "$tmp.out"
