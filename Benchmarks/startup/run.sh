#!/usr/bin/env bash
# Start-up time: the static release binary (scripts/release.sh) against the same release objects linked
# dynamically to the toolchain's shared libraries; `why403 --version` and a small white-box command
# (`why403 nginx` on an audit fixture), interleaved, ratios printed. Not run by CI; no assertion.
#
#   Benchmarks/startup/run.sh [ROUNDS]        # default 100; after scripts/release.sh
#   STATIC=A DYNAMIC=B Benchmarks/startup/run.sh   # two given binaries
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="${BENCH_OUT:-/tmp/why403-bench-startup}"
rounds="${1:-100}"
mkdir -p "$out"

version="$(sed -n 's/^ *public static let current = "\(.*\)".*/\1/p' Sources/Why403Core/Report.swift)"
static="${STATIC:-dist/why403-$version-linux-$(uname -m)}"
[[ -x "$static" ]] || { echo "run.sh: no $static: run scripts/release.sh first" >&2; exit 1; }
dynamic="${DYNAMIC:-}"
if [[ -z "$dynamic" ]]; then
    python3 Benchmarks/startup/bench.py relink "$out/why403-dynamic"
    strip --strip-all -o "$out/why403-dynamic-stripped" "$out/why403-dynamic"
    dynamic="$out/why403-dynamic-stripped"
fi
python3 Benchmarks/startup/bench.py time "$static" "$dynamic" --rounds "$rounds"
