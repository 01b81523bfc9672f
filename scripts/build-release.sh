#!/usr/bin/env bash
# The release build, with the flags every release build of this repository shares: `make site`,
# `make check`, the benchmarks and the scripts call this, so that one build's products serve the
# next (a different flag compiles every module again).
#
# Usage: scripts/build-release.sh [--product NAME]   (default: --product lossbook)
#        scripts/build-release.sh --flags            (prints the flags, for a caller that runs
#                                                     `swift build` itself: scripts/mutate.sh)
#
# --static-swift-stdlib links the Swift runtime and Foundation into the binary. Linked dynamically,
# the loader maps and relocates 82 MB of shared libraries at every start: half of `lossbook
# --version`'s 11 ms, and a sixth of a rebuild with nothing changed (a 2,000-page corpus: 52 -> 44
# ms; scripts/bench/HISTORY.md, stop 39). The output is byte for byte the same.
#
# -no-pie links a position-dependent executable, as Debian's Hugo and Node.js are: a position-
# independent one had the loader apply 117,662 relative relocations at every start (7.3 M cycles,
# `LD_DEBUG=statistics`; 0.5 M now), and a rebuild of 500 pages per language with nothing changed
# took 10.1-12.6 ms against 8.8-10.2 ms (`perf stat -r 30`, three alternations; HISTORY, stop 67).
# The cost: the executable's own code and data are at the same address in every run (the shared
# libraries, heap and stack are still placed at random).
set -euo pipefail
flags=(-c release --static-swift-stdlib -Xlinker -no-pie)
if [ "${1:-}" = --flags ]; then echo "${flags[*]}"; exit 0; fi
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- --product lossbook
exec "${SWIFT:-swift}" build "${flags[@]}" "$@"
