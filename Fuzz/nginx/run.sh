#!/bin/sh
# Builds the libFuzzer harness of the nginx parser and runs it for a bounded time.
# Usage: Fuzz/nginx/run.sh [seconds]   (corpus seeded from Tests/Fixtures/nginx)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${TMPDIR:-/tmp}/why403-fuzz-nginx
mkdir -p "$out/corpus"
find "$root/Tests/Fixtures/nginx" -type f -exec cp {} "$out/corpus/" \;
# One module: Core and the parser's sources, with their cross-module imports removed.
rm -rf "$out/src" && mkdir -p "$out/src"
for f in "$root"/Sources/Why403Core/*.swift "$root"/Sources/Why403Nginx/Config/*.swift; do
    sed '/^import Why403/d' "$f" > "$out/src/$(basename "$(dirname "$f")")-$(basename "$f")"
done
swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name FuzzNginx \
    "$out"/src/*.swift "$here/FuzzParser.swift" -o "$out/fuzz-nginx"
"$out/fuzz-nginx" -max_total_time="${1:-60}" -timeout=5 -max_len=8192 "$out/corpus"
