#!/usr/bin/env bash
# Builds and runs examples/swift-sender, a Swift program that uses the KafkaEmit library
# (KafkaSender, SenderRecord with correlation metadata, SenderResult) against a mock cluster.
set -euo pipefail
cd "$(dirname "$0")/swift-sender"
SWIFT=$(command -v swift || echo /opt/swift/usr/bin/swift)
"$SWIFT" build -q 2>&1 | grep -v '^$' || true
out=$("$SWIFT" run -q OrderSender)
echo "$out" | tail -1
echo "$out" | grep -q '^delivered 20, failed 0, matched 20 of 20; streamed 5 of 5$'
