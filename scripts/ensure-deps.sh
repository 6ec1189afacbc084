#!/usr/bin/env bash
# Installs what building and testing kafka-emit needs, when missing:
# librdkafka-dev (headers + pkg-config), zlib1g-dev (histogram logs), kcat (the independent
# consumer in tests), jq, bc, python3 and protoc (Protobuf schemas given as .proto files are
# compiled with it; Debian's protobuf-compiler brings the well-known types' .proto files too).
set -euo pipefail
need=()
pkg-config --exists rdkafka 2>/dev/null || need+=(librdkafka-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v kcat >/dev/null || need+=(kcat)
command -v jq >/dev/null || need+=(jq)
command -v python3 >/dev/null || need+=(python3)
command -v bc >/dev/null || need+=(bc)
command -v protoc >/dev/null || need+=(protobuf-compiler)
for extra in "$@"; do
  case "$extra" in
    gnuplot) command -v gnuplot >/dev/null || need+=(gnuplot-nox) ;;
    hyperfine) command -v hyperfine >/dev/null || need+=(hyperfine) ;;
    tmux) command -v tmux >/dev/null || need+=(tmux) ;;
    valgrind) command -v valgrind >/dev/null || need+=(valgrind) ;;
    man) command -v man >/dev/null || need+=(man-db) ;;
    # Debian's python3 runs `-m venv` without python3-venv but cannot create one (no ensurepip)
    venv) python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv) ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "ensure-deps: installing ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
