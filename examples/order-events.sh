#!/usr/bin/env bash
# The seed scenario: 100 order events, one every 100 ms (~10 s), against the embedded mock
# cluster. Keys 0..99, values order-0..order-99; one result line per delivery.
set -euo pipefail
EMIT=${EMIT:-$(command -v kafka-emit || echo "$(dirname "$0")/../.build/debug/kafka-emit")}
"$EMIT" --mock --topic order-events --every 100ms --count 100 --value 'order-{i}' > /tmp/order-events.$$.out
lines=$(grep -c '^delivered topic=order-events ' /tmp/order-events.$$.out)
rm -f /tmp/order-events.$$.out
[ "$lines" -eq 100 ] && echo "order-events: 100 records delivered"
