# Shared by the libFuzzer harnesses (sourced by Fuzz/<name>/run.sh). SwiftPM does not build fuzzer
# targets, so each harness compiles the modules it needs with -sanitize=fuzzer,address itself.
#
#   Fuzz/<name>/run.sh [SECONDS]   fuzz for SECONDS (default 60), seeded with Fuzz/<name>/corpus and the
#                                  fixtures; new inputs that add coverage are merged into Fuzz/<name>/corpus
#                                  and crashes are written to Fuzz/<name>/findings (commit both)
#   Fuzz/<name>/run.sh --replay    run every saved input and past finding once, no mutation (what CI does):
#                                  exits non-zero if any of them crashes, leaks or hangs again
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

fuzz_init() {
    NAME=$1
    OUT=${FUZZ_OUT:-/tmp/why403-fuzz-$NAME}
    SAVED=$ROOT/Fuzz/$NAME/corpus
    FINDINGS=$ROOT/Fuzz/$NAME/findings
    MODE=${FUZZ_MODE:-run}
    SECONDS_TO_RUN=60
    case "${2:-}" in
        --replay) MODE=replay ;;
        "") ;;
        *) SECONDS_TO_RUN=$2 ;;
    esac
    mkdir -p "$OUT/corpus" "$SAVED" "$FINDINGS"
    FLAGS="-parse-as-library -sanitize=fuzzer,address -O -g"
}

# Builds swift-http-types' HTTPTypes (Core's one package dependency) into $OUT as a static library and
# module: from SwiftPM's checkout when the package was built, else from the offline package mirror.
fuzz_httptypes() {
    [ -f "$OUT/libHTTPTypes.a" ] && return 0
    src=$ROOT/.build/checkouts/swift-http-types/Sources/HTTPTypes
    if [ ! -d "$src" ]; then
        mirror=/opt/swift-packages/apple/swift-http-types.git
        [ -d "$mirror" ] || { echo "fuzz: swift-http-types not found (run 'swift build' first)" >&2; exit 2; }
        mkdir -p "$OUT/http-types"
        git -C "$mirror" archive "$(git -C "$mirror" tag | sort -V | tail -1)" Sources/HTTPTypes | tar -x -C "$OUT/http-types"
        src=$OUT/http-types/Sources/HTTPTypes
    fi
    swiftc $FLAGS -emit-library -static -emit-module -module-name HTTPTypes \
        -emit-module-path "$OUT/HTTPTypes.swiftmodule" -o "$OUT/libHTTPTypes.a" "$src"/*.swift
}

# Runs the built harness $1 with max_len $2; further arguments are seed files or folders.
fuzz_run() {
    bin=$1; maxlen=$2; shift 2
    if [ "$MODE" = replay ]; then
        # Each saved input and each past finding once; -runs=0 mutates nothing.
        inputs="$SAVED"
        [ -n "$(ls -A "$FINDINGS" 2>/dev/null)" ] && inputs="$inputs $FINDINGS"
        # shellcheck disable=SC2086
        "$bin" -runs=0 -timeout=10 -rss_limit_mb=4096 -max_len="$maxlen" $inputs
        echo "fuzz replay $NAME: $(ls "$SAVED" | wc -l) saved inputs and $(ls "$FINDINGS" | wc -l) past findings ran clean"
        return 0
    fi
    for seed in "$@"; do
        if [ -d "$seed" ]; then cp -r "$seed"/. "$OUT/corpus/" 2>/dev/null || true; else cp "$seed" "$OUT/corpus/"; fi
    done
    cp "$SAVED"/. "$OUT/corpus/" -r 2>/dev/null || true
    status=0
    (cd "$OUT" && "$bin" -artifact_prefix="$FINDINGS/" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=4096 \
        -max_len="$maxlen" -print_final_stats=1 "$OUT/corpus") || status=$?
    # Keep the smallest set of inputs that covers what the saved corpus and this run reached, for the replay.
    rm -rf "$OUT/minimised" && mkdir -p "$OUT/minimised"
    if "$bin" -merge=1 -max_len="$maxlen" -timeout=10 -rss_limit_mb=4096 "$OUT/minimised" "$SAVED" "$OUT/corpus" >/dev/null 2>&1; then
        rm -f "$SAVED"/* && cp "$OUT/minimised"/* "$SAVED"/ 2>/dev/null || true
    fi
    echo "fuzz $NAME: $(ls "$SAVED" | wc -l) inputs saved in Fuzz/$NAME/corpus; findings in Fuzz/$NAME/findings: $(ls "$FINDINGS" | wc -l)"
    return $status
}
