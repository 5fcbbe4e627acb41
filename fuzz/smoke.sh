#!/usr/bin/env bash
# A short bounded run of every fuzz target, one after another: each for
# $1 seconds (default 60), with AddressSanitizer, from its corpus under
# corpus/<target>/. Stops at the first crash (saved under artifacts/<target>/).
# Not part of CI (.ci/run). See README.md. FUZZ_TARGET_DIR, when set, is
# passed as --target-dir (e.g. target/asan, to keep ASan and -s none builds
# apart).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    cargo=(cargo +nightly)
else
    # cargo-fuzz's -Z flags on a stable toolchain.
    export RUSTC_BOOTSTRAP=1
    cargo=(cargo)
fi
build=()
if [ -n "${FUZZ_TARGET_DIR:-}" ]; then
    build=(--target-dir "$FUZZ_TARGET_DIR")
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in $("${cargo[@]}" fuzz list); do
    echo "== $target: ${seconds}s"
    if ! "${cargo[@]}" fuzz run "${build[@]}" "$target" -- -max_total_time="$seconds" -print_final_stats=1 > "$log" 2>&1; then
        tail -n 40 "$log"
        exit 1
    fi
    grep -E '^(Done |stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' "$log"
done
