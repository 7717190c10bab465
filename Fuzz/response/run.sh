#!/bin/sh
# libFuzzer harness of `why403 response` (Core, Render and Response with coverage and AddressSanitizer):
# the response/curl -v/HAR reader, the inflater and the whole signature catalogue, seeded with the catalogue's
# own fixtures and the field corpus of real captures (its train split only).
# Usage: Fuzz/response/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init response "${1:-}"
# See lsan.supp: the catalogue global's boxes are not leaks.
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$ROOT/Fuzz/response/lsan.supp"
fuzz_httptypes
mkdir -p "$OUT/seeds"
n=0
for f in "$ROOT"/Tests/Fixtures/responses/*/* "$ROOT"/Tests/Fixtures/responses/*.har "$ROOT"/Tests/Fixtures/field/*/*.http; do
    [ -f "$f" ] && [ "$(basename "$f")" != SOURCE.md ] || continue
    # Not the field corpus's held-out split (Tests/Fixtures/field/SOURCE.md: the first byte of the SHA-256 of the file's
    # name below 0x4D): it measures the catalogue on captures nothing here was made from, fuzz seeds included.
    case "$f" in */Fixtures/field/*)
        [ "$(printf %s "$(basename "$f")" | sha256sum | cut -c1-2)" \< 4d ] && continue ;;
    esac
    n=$((n + 1)); cp "$f" "$OUT/seeds/$n-$(basename "$f")"
done
for m in Why403Core Why403Render; do
    swiftc $FLAGS -emit-library -static -emit-module -module-name $m -I "$OUT" \
      -emit-module-path "$OUT/$m.swiftmodule" -o "$OUT/lib$m.a" $(find "$ROOT/Sources/$m" -name '*.swift')
done
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Response -I "$OUT" \
  -I "$ROOT/Sources/CZlib" -Xcc -fmodule-map-file="$ROOT/Sources/CZlib/module.modulemap" \
  -emit-module-path "$OUT/Why403Response.swiftmodule" -o "$OUT/libWhy403Response.a" $(find "$ROOT/Sources/Why403Response" -name '*.swift')
swiftc $FLAGS -I "$OUT" -L "$OUT" -Xcc -fmodule-map-file="$ROOT/Sources/CZlib/module.modulemap" \
  -lWhy403Response -lWhy403Render -lWhy403Core -lHTTPTypes -lz "$ROOT/Fuzz/response/main.swift" -o "$OUT/response-fuzz"
fuzz_run "$OUT/response-fuzz" 16384 "$OUT/seeds"
