#!/bin/sh
# Every fuzz target for a short, bounded time (FUZZ_SECONDS each, default 20): `make test` runs it
# after the Swift tests. Fails on any crash, and loudly when the toolchain cannot build a fuzzer.
# The one sanitized driver is built once (`--no-build`: already built by `scripts/fuzz.sh --build`),
# then the targets run FUZZ_JOBS at a time (default 2, one a core of a 2-core machine; each process
# is single-threaded and gets its FUZZ_SECONDS), each one's output printed whole when it ends.
set -eu
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
if [ "${1:-}" != --no-build ]; then
    scripts/fuzz.sh --build
fi
mkdir -p .cache/fuzz
status=0
running=""
# Waits for the targets in $running, printing each one's output in the order they were started.
finish() {
    for target in $running; do
        pid=${target#*:} target=${target%%:*}
        if wait "$pid"; then
            cat ".cache/fuzz/$target.out"
        else
            status=1
            cat ".cache/fuzz/$target.out" >&2
        fi
    done
    running=""
}
for target in markdown front-matter directive eval; do
    scripts/fuzz.sh --no-build "$target" "$seconds" >".cache/fuzz/$target.out" 2>&1 &
    running="$running $target:$!"
    if [ "$(echo $running | wc -w)" -ge "$jobs" ]; then
        finish
    fi
done
finish
exit $status
