#!/usr/bin/env bash
# Builds and runs examples/swift-sender — a Swift program using the KafkaEmit library
# (KafkaSender, SenderRecord with correlation metadata, SenderResult) against a mock cluster —
# the way a user depends on it: from a scratch copy outside this tree, resolving KafkaEmit by
# a git URL (file://) with a version tag and `from:`. SwiftPM refuses unsafe build flags in
# such a dependency, so this also proves the library is usable as a versioned dependency.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SWIFT=$(command -v swift || echo /opt/swift/usr/bin/swift)
VERSION=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' "$ROOT/Sources/KafkaEmitCLI/EmitCommand.swift")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The package as it stands in this checkout (committed or not), as a tagged repository.
mkdir "$T/kafka-emit"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$T/kafka-emit/" 2>/dev/null || true)
git -C "$T/kafka-emit" init -q
git -C "$T/kafka-emit" add -A
git -C "$T/kafka-emit" -c user.name=ci -c user.email=ci@localhost commit -q -m "kafka-emit $VERSION"
git -C "$T/kafka-emit" tag "$VERSION"

cp -R "$ROOT/examples/swift-sender" "$T/swift-sender"
rm -rf "$T/swift-sender/.build"
cd "$T/swift-sender"
export KAFKA_EMIT_PACKAGE_URL="file://$T/kafka-emit"
"$SWIFT" build -q > "$T/build.log" 2>&1 || { cat "$T/build.log"; exit 1; }
grep -q "\"version\" : \"$VERSION\"" Package.resolved || { echo "KafkaEmit did not resolve to $VERSION by version"; cat Package.resolved; exit 1; }
out=$("$SWIFT" run -q OrderSender)
echo "$out" | tail -1
echo "$out" | grep -q '^delivered 20, streamed 5 of 5$'
