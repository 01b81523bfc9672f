#!/bin/sh
# Runs one libFuzzer target for a bounded time: scripts/fuzz.sh TARGET [SECONDS]
#   TARGET: markdown | front-matter | directive | eval
#   scripts/fuzz.sh --build: only the build;  scripts/fuzz.sh --no-build TARGET [SECONDS]: only the run
#   (scripts/fuzz-all.sh builds once, then runs the targets side by side)
# One driver (`lossbook-fuzz`, Sources/Fuzz) serves every target: LOSSBOOK_FUZZ_TARGET picks it.
# Built with AddressSanitizer and libFuzzer into .build-fuzz (apart from .build). Seeds come from
# the repository's notes; the growing corpus lives in .cache/fuzz/TARGET, crashes in
# .cache/fuzz/artifacts/TARGET/ (each one belongs in Tests/SiteTests/Fixtures/fuzz-regressions/TARGET/).
# Exits non-zero on a crash, and when this toolchain cannot build a fuzzer at all (never skips).
set -eu
cd "$(dirname "$0")/.."
build=yes
case ${1:-} in
--build) build=only ;;
--no-build) build=no; shift ;;
esac
if [ "$build" != only ]; then
    target=${1:?usage: scripts/fuzz.sh [--no-build] markdown|front-matter|directive|eval [SECONDS] | --build}
    seconds=${2:-20}
    case $target in markdown|front-matter|directive|eval) ;; *) echo "fuzz.sh: unknown target '$target'" >&2; exit 2 ;; esac
fi
SWIFT=${SWIFT:-swift}

mkdir -p .cache/fuzz
# Every module is built with AddressSanitizer and libFuzzer's coverage, and libFuzzer's driver
# (without its `main`) is linked from the toolchain: `-sanitize=fuzzer` would give every executable
# libFuzzer's `main`, the build's own plugin tool too, which then cannot run (or link).
build_fuzzer() {
    swiftc=$(command -v swiftc || true)
    lib=$(ls "$(dirname "$(readlink -f "${swiftc:-/nonexistent}")")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | tail -1 || true)
    if [ -z "$lib" ]; then
        echo "fuzz.sh: error: this Swift toolchain has no libclang_rt.fuzzer_no_main-$(uname -m).a (hint: install a swift.org toolchain, which ships libFuzzer)" >&2
        exit 1
    fi
    if ! $SWIFT build -c debug --scratch-path .build-fuzz -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
            -Xswiftc -DLOSSBOOK_FUZZ -Xlinker "$lib" -Xlinker -lstdc++ --product lossbook-fuzz >.cache/fuzz/build.log 2>&1; then
        tail -20 .cache/fuzz/build.log >&2
        echo "fuzz.sh: error: cannot build lossbook-fuzz with AddressSanitizer and libFuzzer (see .cache/fuzz/build.log)" >&2
        exit 1
    fi
}
if [ "$build" != no ]; then
    build_fuzzer
fi
[ "$build" = only ] && exit 0
bin=.build-fuzz/debug/lossbook-fuzz
if [ ! -x "$bin" ]; then
    echo "fuzz.sh: error: no $bin (hint: scripts/fuzz.sh --build)" >&2
    exit 1
fi

corpus=.cache/fuzz/$target
seeds=.cache/fuzz/seeds/$target
artifacts=.cache/fuzz/artifacts/$target
mkdir -p "$corpus" "$seeds" "$artifacts"
scripts/fuzz-seeds.sh "$target" "$seeds"

# scripts/fuzz-lsan.supp: what a global's one-time initialiser allocates is not a leak.
# -rss_limit_mb and -timeout turn a runaway (memory or time) into a reported failure, not a hang; 30 s
# because one unit under AddressSanitizer on a loaded 2-core machine took 12 s (`loss-formula … all: true`,
# 0.7 s unsanitized: Tests/SiteTests/Fixtures/fuzz-regressions/directive/formula-all-timeout).
LSAN_OPTIONS="suppressions=$(pwd)/scripts/fuzz-lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" LOSSBOOK_FUZZ_TARGET=$target "$bin" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 2>.cache/fuzz/$target.log && status=0 || status=$?
grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|#[0-9]+ *DONE)' .cache/fuzz/$target.log \
    | sed "s/^/fuzz-$target: /" || true
if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|Test unit written' .cache/fuzz/$target.log | sed "s/^/fuzz-$target: /" >&2 || true
    echo "fuzz-$target: FAILED (status $status): see .cache/fuzz/$target.log; add the artifact to Tests/SiteTests/Fixtures/fuzz-regressions/$target/" >&2
    exit 1
fi
echo "fuzz-$target: ok, no crash in ${seconds}s"
