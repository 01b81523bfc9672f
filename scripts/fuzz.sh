#!/bin/sh
# Runs one libFuzzer target for a bounded time: scripts/fuzz.sh TARGET [SECONDS]
#   TARGET: markdown | front-matter | directive | eval
# Built with Swift's -sanitize=fuzzer,address into .build-fuzz (apart from .build). Seeds come from
# the repository's notes; the growing corpus lives in .cache/fuzz/TARGET, crashes in
# .cache/fuzz/artifacts/TARGET/ (each one belongs in Tests/SiteTests/Fixtures/fuzz-regressions/TARGET/).
# Exits non-zero on a crash, and when this toolchain cannot build a fuzzer at all (never skips).
set -eu
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh markdown|front-matter|directive|eval [SECONDS]}
seconds=${2:-20}
case $target in markdown|front-matter|directive|eval) ;; *) echo "fuzz.sh: unknown target '$target'" >&2; exit 2 ;; esac
SWIFT=${SWIFT:-swift}

mkdir -p .cache/fuzz
if ! $SWIFT build -c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DLOSSBOOK_FUZZ \
        --product "fuzz-$target" >.cache/fuzz/build.log 2>&1; then
    tail -20 .cache/fuzz/build.log >&2
    echo "fuzz.sh: error: cannot build fuzz-$target with -sanitize=fuzzer,address (does this Swift toolchain ship libFuzzer?)" >&2
    exit 1
fi
bin=.build-fuzz/debug/fuzz-$target

corpus=.cache/fuzz/$target
seeds=.cache/fuzz/seeds/$target
artifacts=.cache/fuzz/artifacts/$target
mkdir -p "$corpus" "$seeds" "$artifacts"
scripts/fuzz-seeds.sh "$target" "$seeds"

# -rss_limit_mb and -timeout turn a runaway (memory or time) into a reported failure, not a hang.
"$bin" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 2>.cache/fuzz/$target.log && status=0 || status=$?
grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|#[0-9]+ *DONE)' .cache/fuzz/$target.log \
    | sed "s/^/fuzz-$target: /" || true
if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|Test unit written' .cache/fuzz/$target.log | sed "s/^/fuzz-$target: /" >&2 || true
    echo "fuzz-$target: FAILED (status $status): see .cache/fuzz/$target.log; add the artifact to Tests/SiteTests/Fixtures/fuzz-regressions/$target/" >&2
    exit 1
fi
echo "fuzz-$target: ok, no crash in ${seconds}s"
