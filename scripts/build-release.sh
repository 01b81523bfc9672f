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
set -euo pipefail
flags=(-c release --static-swift-stdlib)
if [ "${1:-}" = --flags ]; then echo "${flags[*]}"; exit 0; fi
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- --product lossbook
exec "${SWIFT:-swift}" build "${flags[@]}" "$@"
