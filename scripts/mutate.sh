#!/usr/bin/env bash
# Mutation check of the verification layers: applies small source mutations, one at a time, to a
# scratch copy of this repository and reports which layer catches each:
#   site — `make site`'s work: rebuild lossbook, build content/ (reference check, finite
#          differences, doctests, peer values recomputed at build time);
#   test — the loss tests (LossesTests: reference, finite differences, peer golden values).
# Every mutant must be caught by at least one layer; the script exits 1 if one survives.
#
# Usage: scripts/mutate.sh [SCRATCH_DIR]   (default /tmp/lossbook-mutants; reused between runs,
#        so its .build makes later runs incremental). Slow: two builds per mutant.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=${1:-/tmp/lossbook-mutants}
mkdir -p "$scratch"
rsync -a --delete --exclude .build --exclude site --exclude .cache --exclude '.venv*' "$repo/" "$scratch/repo/"
cd "$scratch/repo" || exit 2

# name | file | sed expression (must change the file) — a constant, a sign, a dropped term, and the
# same bug made in both implementations (which the reference check alone cannot see).
mutants=(
  "l1 value ×1.001|Sources/Losses/Generic/L1Loss.swift|s/return (abs(d), /return (1.001 * abs(d), /"
  "huber gradient sign|Sources/Losses/Generic/HuberLoss.swift|s/d > 0 ? delta : (d < 0 ? -delta : 0)/d > 0 ? -delta : (d < 0 ? delta : 0)/"
  "dice numerator 2·TP → TP (library)|Sources/Losses/Region/DiceLoss.swift|s/let a = RegionProblem.vector(\[(S.tp, 2)\])/let a = RegionProblem.vector([(S.tp, 1)])/"
  "dice 2·TP → TP in both implementations|Sources/Losses/Region/DiceLoss.swift|s/let a = RegionProblem.vector(\[(S.tp, 2)\])/let a = RegionProblem.vector([(S.tp, 1)])/|Sources/LossReference/ReferenceLosses+Region.swift|s/return 1 - (2 \* t.tp + t.smoothNr)/return 1 - (t.tp + t.smoothNr)/"
  "huber quadratic term dropped ½|Sources/Losses/Generic/HuberLoss.swift|s/if a < delta { return (0.5 \* d \* d, d) }/if a < delta { return (d * d, d) }/"
)

apply() { # file expression
  cp "$1" "$1.orig"
  sed -i "$2" "$1"
  if cmp -s "$1" "$1.orig"; then echo "mutate: pattern not found in $1: $2 (update scripts/mutate.sh)" >&2; exit 2; fi
}
restore() { for f in $(find Sources -name '*.orig'); do mv "$f" "${f%.orig}"; done; }
trap restore EXIT

printf '%-45s %-8s %-8s\n' mutant site test
survivors=0
for entry in "${mutants[@]}"; do
  IFS='|' read -r name file1 expr1 file2 expr2 <<<"$entry"
  apply "$file1" "$expr1"
  [ -n "${file2:-}" ] && apply "$file2" "$expr2"
  site=missed; test=missed
  if swift build -c release --product lossbook >/dev/null 2>&1; then
    rm -rf .cache
    .build/release/lossbook build --output "$scratch/site" >"$scratch/site.log" 2>&1 || site=caught
  else
    site=caught # does not compile
  fi
  if swift build --build-tests >/dev/null 2>&1; then
    swift test --skip-build --disable-swift-testing --filter LossesTests >"$scratch/test.log" 2>&1 || test=caught
  else
    test=caught
  fi
  printf '%-45s %-8s %-8s\n' "$name" "$site" "$test"
  [ "$site" = missed ] && [ "$test" = missed ] && survivors=$((survivors + 1))
  restore
done
echo "$survivors mutant(s) survived"
[ "$survivors" -eq 0 ]
