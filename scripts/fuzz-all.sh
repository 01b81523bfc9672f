#!/bin/sh
# Every fuzz target for a short, bounded time (FUZZ_SECONDS each, default 20): `make test` runs it
# after the Swift tests. Fails on any crash, and loudly when the toolchain cannot build a fuzzer.
set -eu
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
status=0
for target in markdown front-matter directive eval; do
    scripts/fuzz.sh "$target" "$seconds" || status=1
done
exit $status
