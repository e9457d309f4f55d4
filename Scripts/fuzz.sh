#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer, one harness per entry point
# (Fuzz/*Fuzzer.swift): text traces, captures, Homer JSON, PASSporT, SDP.
# docs/fuzzing.md says what each covers, how long each ran and the
# coverage it reached.
#
#   Scripts/fuzz.sh build                 # harnesses into $FUZZ_DIR (.build/fuzz)
#   Scripts/fuzz.sh run [seconds] [name]  # each harness (or one) for that long, 60 s default
#   Scripts/fuzz.sh repro <name> <file>   # runs one input through a harness
#
# The harnesses are built with swiftc straight from Sources/, not through
# SwiftPM: SIPCore, TraceFormats and Diagnosis become static libraries
# compiled -O -sanitize=fuzzer (coverage instrumentation), and each harness
# links them; libFuzzer's runtime supplies main, so the agentctl
# executable and its main never take part and the system linker (binutils'
# ld.gold, through the toolchain's clang driver) does the link. Should a
# link ever trip over two mains or the sanitizer runtimes, add -use-ld=lld
# to the swiftc lines (lld ships with the toolchain, or Debian's `lld`).
# The fuzzer runtime ships with the toolchain too
# (/opt/swift/usr/lib/clang/*/lib/linux/libclang_rt.fuzzer*): nothing to install.
# SANITIZE=fuzzer,address adds AddressSanitizer (slower to build and run);
# Swift's own checks (overflow, bounds, unwraps) trap either way, and a
# trap is what libFuzzer reports as a crash.
#
# Seeds come from Fixtures/ at run time: text traces, Homer JSON, the SDP
# and Identity headers inside them, and the capture scripts built to pcaps
# by TraceSynthesis (Fuzz/Seeds); ../shared/fixtures/public-pcaps is added
# when present. Corpora grow in $FUZZ_DIR/corpus/<name>; a crash leaves
# $FUZZ_DIR/<name>-crash-<sha1> and a non-zero exit.
#
# Environment: FUZZ_DIR (default .build/fuzz), SANITIZE (default fuzzer),
# JOBS (libFuzzer -jobs, default 1: the CI machine is shared), MAX_LEN
# (default 65536).
set -euo pipefail
# Swift's runtime backtracer takes the signal a trap raises before
# libFuzzer can: the process would die without writing the crashing
# input. Off, libFuzzer reports the trap ("deadly signal", with the
# stack) and keeps the input.
export SWIFT_BACKTRACE=enable=no

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_DIR=${FUZZ_DIR:-$ROOT/.build/fuzz}
mkdir -p "$FUZZ_DIR" && FUZZ_DIR=$(cd "$FUZZ_DIR" && pwd)
SANITIZE=${SANITIZE:-fuzzer}
JOBS=${JOBS:-1}
MAX_LEN=${MAX_LEN:-65536}
HARNESSES=(TextTraceFuzzer CaptureFuzzer HomerJSONFuzzer PASSporTFuzzer SDPFuzzer)
if ! command -v swiftc >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

sources() { find "$ROOT/Sources/$1" -name '*.swift' | sort; }

# A module of the package as a static library with its .swiftmodule.
library() {
    local name=$1 flags=$2
    echo "== $name ($flags)"
    # shellcheck disable=SC2046
    swiftc -O -wmo -swift-version 6 -parse-as-library $flags -module-name "$name" \
        -I "$FUZZ_DIR/lib" -emit-module -emit-module-path "$FUZZ_DIR/lib/$name.swiftmodule" \
        -emit-library -static -o "$FUZZ_DIR/lib/lib$name.a" $(sources "$name")
}

build() {
    mkdir -p "$FUZZ_DIR/lib" "$FUZZ_DIR/bin"
    # Instrumented: what the harnesses exercise.
    library SIPCore "-sanitize=$SANITIZE"
    library TraceFormats "-sanitize=$SANITIZE"
    library Diagnosis "-sanitize=$SANITIZE"
    # Not instrumented: only the seed writer uses it.
    library TraceSynthesis ""
    local libs=(-I "$FUZZ_DIR/lib" -L "$FUZZ_DIR/lib" -lDiagnosis -lTraceFormats -lSIPCore)
    for h in "${HARNESSES[@]}"; do
        echo "== $h"
        swiftc -O -swift-version 6 -parse-as-library -sanitize="$SANITIZE" -module-name "$h" "${libs[@]}" \
            "$ROOT/Fuzz/$h.swift" "$ROOT/Fuzz/DiagnoseAndRender.swift" -o "$FUZZ_DIR/bin/$h"
    done
    echo "== write-capture-seeds"
    # It links the instrumented libraries but has a main of its own, so it
    # takes the coverage hooks from libFuzzer's runtime without its main.
    local nomain
    nomain=$(find "$(dirname "$(command -v swiftc)")/../lib/clang" -name 'libclang_rt.fuzzer_no_main-*.a' | head -n 1)
    [ -n "$nomain" ] || { echo "libclang_rt.fuzzer_no_main not found in the Swift toolchain" >&2; exit 1; }
    # The other sanitizers (address) must be linked in as the libraries use them.
    local others
    others=$(tr ',' '\n' <<<"$SANITIZE" | grep -vx fuzzer | paste -sd, - || true)
    swiftc -O -swift-version 6 -parse-as-library -module-name WriteCaptureSeeds ${others:+-sanitize="$others"} \
        -I "$FUZZ_DIR/lib" -L "$FUZZ_DIR/lib" -lTraceSynthesis -lTraceFormats -lSIPCore \
        "$ROOT/Fuzz/Seeds/WriteCaptureSeeds.swift" -Xlinker "$nomain" -lstdc++ -o "$FUZZ_DIR/bin/write-capture-seeds"
}

# Seeds for one harness, into $FUZZ_DIR/seeds/<name> (rebuilt every run,
# so a changed fixture is picked up; the corpus keeps what was learnt).
seed() {
    local h=$1 dir="$FUZZ_DIR/seeds/$1" i=0
    rm -rf "$dir"; mkdir -p "$dir"
    case "$h" in
    TextTraceFuzzer)
        # First byte 0: the sniffer picks the reader.
        find "$ROOT/Fixtures/traces" -name '*.txt' | sort | while read -r f; do
            i=$((i + 1)); { printf '\0'; cat "$f"; } >"$dir/$i"
        done ;;
    HomerJSONFuzzer)
        find "$ROOT/Fixtures" -name '*.json' -exec cp {} "$dir/" \; ;;
    PASSporTFuzzer)
        grep -rhi '^Identity:' "$ROOT/Fixtures/traces" | sed 's/^[Ii]dentity: *//' | sort -u | while read -r line; do
            i=$((i + 1)); printf '%s' "$line" >"$dir/$i"
        done ;;
    SDPFuzzer)
        # Every SDP body in the fixtures: from v=0 to the end of its message.
        find "$ROOT/Fixtures/traces" -name '*.txt' | sort | while read -r f; do
            i=$((i + 1)); awk -v out="$dir/$i" '/^v=0/ {n++; on=1} on && /^$/ {on=0} on {print > (out "-" n)}' "$f"
        done ;;
    CaptureFuzzer)
        "$FUZZ_DIR/bin/write-capture-seeds" "$ROOT/Fixtures/captures" "$dir"
        local shared="$ROOT/../shared/fixtures/public-pcaps"
        if [ -d "$shared" ]; then
            # Small real captures only: big ones would be cut at MAX_LEN anyway.
            find "$shared" -type f -size -200k ! -name '*.md' | while read -r f; do
                { printf '\0'; cat "$f"; } >"$dir/public-$(basename "$f")"
            done
        fi ;;
    esac
    [ -n "$(ls -A "$dir")" ] || { echo "no seeds for $h" >&2; exit 1; }
}

run() {
    local seconds=${1:-60} only=${2:-} status=0
    for h in "${HARNESSES[@]}"; do
        [ -z "$only" ] || [ "$only" = "$h" ] || continue
        [ -x "$FUZZ_DIR/bin/$h" ] || { echo "$h is not built: run Scripts/fuzz.sh build first" >&2; exit 1; }
        seed "$h"
        mkdir -p "$FUZZ_DIR/corpus/$h"
        echo "== $h for ${seconds} s"
        # One process unless JOBS says otherwise (jobs mode writes its
        # workers' fuzz-N.log into the working directory, hence the cd).
        local parallel=()
        [ "$JOBS" -le 1 ] || parallel=(-jobs="$JOBS" -workers="$JOBS")
        (cd "$FUZZ_DIR" && "$FUZZ_DIR/bin/$h" "$FUZZ_DIR/corpus/$h" "$FUZZ_DIR/seeds/$h" \
            -dict="$ROOT/Fuzz/dict/sip.dict" -max_len="$MAX_LEN" -max_total_time="$seconds" \
            -timeout=10 -rss_limit_mb=2048 "${parallel[@]}" \
            -artifact_prefix="$FUZZ_DIR/$h-" -print_final_stats=1) \
            >"$FUZZ_DIR/$h.log" 2>&1 || status=$?
        # The last coverage line and the totals, for docs/fuzzing.md.
        grep -E "^#[0-9]+[[:space:]]" "$FUZZ_DIR/$h.log" | tail -n 1 || true
        grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$FUZZ_DIR/$h.log" || true
        if [ "$status" -ne 0 ]; then
            echo "$h found a crash (exit $status); log: $FUZZ_DIR/$h.log" >&2
            grep -E "Fatal error|ERROR: libFuzzer|SUMMARY|Test unit written" "$FUZZ_DIR/$h.log" | head -n 5 >&2 || true
            return "$status"
        fi
    done
}

case "${1:-}" in
build) build ;;
run) shift; run "$@" ;;
repro)
    [ $# -eq 3 ] || { echo "usage: Scripts/fuzz.sh repro <harness> <input file>" >&2; exit 64; }
    "$FUZZ_DIR/bin/$2" "$3" ;;
*) echo "usage: Scripts/fuzz.sh build | run [seconds] [harness] | repro <harness> <file>" >&2; exit 64 ;;
esac
