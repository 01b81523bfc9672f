#!/usr/bin/env bash
# Mutation check of the verification layers: applies small source mutations, one at a time, to a
# scratch copy of this repository and reports which layer catches each, and why:
#   site — `make site`'s work: rebuild lossbook, build content/ (reference check, finite
#          differences, doctests, peer and paper witnesses rechecked at build time); the reason
#          shown is the first `error:` line of the compiler or of the build. By default the
#          debug lossbook of the test build is used (one build per mutant serves both layers: the
#          checks are the same code); MUTATE_RELEASE=1 builds the release binary as `make site` does;
#   test — the loss tests and the tests that feed the build a wrong loss, reference or peer value
#          (`swift test --filter "$TEST_FILTER"`); the reason shown is the first failing test.
# A first row runs both layers on the unchanged copy: both must pass, or "caught" means nothing.
# Every mutant must be caught by at least one layer; the script exits 1 if one survives.
#
# Then the maintainer's mutations of issue 16 that need no rebuild: a note's bound formula, a
# claim's example input (`content_mutants`), each run through the same binary's `check`; caught
# means the build fails with an error at the expected `path:line` (the formula's or the claim's),
# not merely somewhere. A catalog formula changed and a loss's code changed without its formula
# are source mutants above (the site log then has an error at the formula's line in the loss's
# file, `Sources/Losses/…/TverskyLoss.swift:16:15`, besides the tables' verification errors).
#
# Usage: scripts/mutate.sh [--content] [SCRATCH_DIR]   (default /tmp/lossbook-mutants; reused between runs,
#        so its .build makes later runs incremental). Slow: a build per mutant (two with
#        MUTATE_RELEASE=1). --content: only the unchanged copy's build and the content mutants
#        (one build, then one `check` per mutant, about a minute each with the debug binary).
#        Prints a markdown table on standard output; the logs stay in SCRATCH_DIR/logs/.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
content_only=0
if [ "${1:-}" = --content ]; then content_only=1; shift; fi
scratch=${1:-/tmp/lossbook-mutants}
TEST_FILTER=${TEST_FILTER:-'LossesTests|SiteTests.VerificationCatchesTests'}
mkdir -p "$scratch/logs"
# A fresh copy of the working tree (uncommitted changes included), keeping only the scratch .build.
mkdir -p "$scratch/repo"
find "$scratch/repo" -mindepth 1 -maxdepth 1 ! -name .build -exec rm -rf {} +
tar -C "$repo" --exclude=./.build --exclude=./site --exclude=./.cache --exclude='./.venv*' --exclude=./.git -cf - . \
  | tar -C "$scratch/repo" -m -xf -   # -m: files dated now, so a warm scratch build recompiles what changed
cd "$scratch/repo" || exit 2

# name | file | sed expression (must change the file) [| file | expression] — a constant, a sign,
# a dropped term, the same bug made in both implementations (which the reference check alone
# cannot see), and a bug in the checking code itself (which only the tests that feed the build a
# wrong loss can see).
mutants=(
  "l1 value ×1.001|Sources/Losses/Generic/L1Loss.swift|s/return (abs(d), /return (1.001 * abs(d), /"
  "huber gradient sign|Sources/Losses/Generic/HuberLoss.swift|s/d > 0 ? delta : (d < 0 ? -delta : 0)/d > 0 ? -delta : (d < 0 ? delta : 0)/"
  "dice numerator 2·TP → TP (library)|Sources/Losses/Region/DiceLoss.swift|s/let a = RegionProblem.vector(\[(S.tp, 2)\])/let a = RegionProblem.vector([(S.tp, 1)])/"
  "dice 2·TP → TP in both implementations|Sources/Losses/Region/DiceLoss.swift|s/let a = RegionProblem.vector(\[(S.tp, 2)\])/let a = RegionProblem.vector([(S.tp, 1)])/|Sources/LossReference/ReferenceLosses+Region.swift|s/return 1 - (2 \* t.tp + t.smoothNr)/return 1 - (t.tp + t.smoothNr)/"
  "huber quadratic term dropped ½|Sources/Losses/Generic/HuberLoss.swift|s/if a < delta { return (0.5 \* d \* d, d) }/if a < delta { return (d * d, d) }/"
  "tolerance check always accepts|Sources/Site/Executable/LossRunner.swift|s/func accepts(_ computed: Double, _ reference: Double) -> Bool {/& return true;/"
  "tversky catalog formula: α and β swapped|Sources/Losses/Region/TverskyLoss.swift|s/TP + \\\\alpha\\\\, FP + \\\\beta\\\\, FN + s_{dr}}\"#,/TP + \\\\beta\\\\, FP + \\\\alpha\\\\, FN + s_{dr}}\"#,/"
  "hinge code: margin 1 → 0.9, formula unchanged|Sources/Losses/Generic/HingeLoss.swift|s/let slack = 1 - y \\* f$/let slack = 0.9 - y * f/"
  "cldice code: the harmonic mean's 2 → 1.9, formula unchanged|Sources/Losses/Topology/ClDiceTerms.swift|s/values\\[n\\] = 1 - 2 \\* precision/values[n] = 1 - 1.9 * precision/"
  "dpce code: penalty 1 + D → 1 + 0.9·D, formula unchanged|Sources/Losses/Distribution/DistancePenalizedCrossEntropy.swift|s/\\.map { 1 + \$0 }/.map { 1 + 0.9 * \$0 }/"
)

# name | file | sed expression | the error's expected place (`path:line:`): issue 16's maintainer,
# changing the content only (no rebuild).
content_mutants=(
  "note formula (en): L2's 1/N → 2/N|content/en/regression-losses.md|s/L_{L2} = \\\\frac{1}{N}/L_{L2} = \\\\frac{2}{N}/|content/en/regression-losses.md:118:"
  "note formula (zh): a later side of ℓ_L2's chain, (ŷ − y)² → (ŷ + y)²|content/zh/regression-losses.md|s/= (\\\\hat{y}_i - y_i)^2, \\\\qquad L_{L2}/= (\\\\hat{y}_i + y_i)^2, \\\\qquad L_{L2}/|content/zh/regression-losses.md:117:"
  "note gradient (en): Dice's (2I + s_nr) → (I + s_nr)|content/en/region-losses.md|s/(2I + s_{nr})/(I + s_{nr})/|content/en/region-losses.md:"
  "note formula (en): clDice's 2·T_prec·T_sens → T_prec·T_sens|content/en/region-losses.md|s/L_{clDice} = 1 - \\\\frac{2\\\\, T_{prec}/L_{clDice} = 1 - \\\\frac{T_{prec}/|content/en/region-losses.md:1212:"
  "claim input (en): U's 0.3 → 0.6 breaks dice(U) == dice(O)|content/en/region-losses.md|1165s/0\\.9  0\\.3  0\\.2/0.9  0.6  0.2/|content/en/region-losses.md:1175:"
)

apply() { # file expression
  cp "$1" "$1.orig"
  sed -i "$2" "$1"
  if cmp -s "$1" "$1.orig"; then echo "mutate: pattern not found in $1: $2 (update scripts/mutate.sh)" >&2; restore; exit 2; fi
}
# Touched after the move: the restored file keeps the copy's older time, and the Swift driver,
# which recompiles files newer than its last build, would keep the mutant compiled in.
restore() { for f in $(find Sources content -name '*.orig'); do mv "$f" "${f%.orig}"; touch "${f%.orig}"; done; }
trap restore EXIT
# The first `error:` line of a log, without the path before it, shortened, `|` escaped for markdown.
first_error() { grep -m1 -E '(^|: )error: ' "$1" | sed -E 's/^.*error: //; s/\|/\\|/g' | cut -c1-90; }
first_failed_test() {
  local t n
  t=$(grep -m1 -oE "Test Case '[^']+' failed" "$1" | sed -E "s/Test Case '([^']+)' failed/\1/")
  n=$(grep -cE "Test Case '[^']+' failed" "$1")
  if [ -n "$t" ]; then [ "$n" -gt 1 ] && echo "$t (+$((n - 1)) more)" || echo "$t"; else first_error "$1"; fi
}

# A build that stops without an `error:` line was interrupted (a busy shared machine), not caught:
# it is run again, once.
build() { # log swift-build-arguments…
  local log=$1; shift
  swift build "$@" >"$log" 2>&1 && return 0
  grep -qE '(^|: )error: ' "$log" && return 1
  echo "mutate: build stopped without an error, running it again: swift build $*" >&2
  swift build "$@" >"$log" 2>&1
}

# Runs both layers on the tree as it is; sets site, test (caught/passed) and their reasons.
run_layers() { # log-prefix
  local log=$scratch/logs/$1
  site=passed; site_why=""; test=passed; test_why=""
  local tests_built=0
  if [ "${MUTATE_RELEASE:-0}" = 1 ]; then
    # shellcheck disable=SC2046 # the flags, split into words
    build "$log-release.log" $(scripts/build-release.sh --flags) --product lossbook; local built=$?; binary=.build/release/lossbook
  else
    build "$log-build-tests.log" --build-tests; local built=$?; binary=.build/debug/lossbook; tests_built=1
    cp "$log-build-tests.log" "$log-release.log"
  fi
  if [ "$built" -eq 0 ]; then
    rm -rf .cache
    if ! "$binary" build --quiet --output "$scratch/site" >"$log-site.log" 2>&1; then
      site=caught; site_why=$(first_error "$log-site.log")
    fi
  else
    site=caught; site_why="does not compile: $(first_error "$log-release.log")"
  fi
  if { [ "$tests_built" = 1 ] && [ "$built" -eq 0 ]; } || { [ "$tests_built" = 0 ] && build "$log-build-tests.log" --build-tests; }; then
    if ! swift test --skip-build --disable-swift-testing --filter "$TEST_FILTER" >"$log-test.log" 2>&1; then
      test=caught; test_why=$(first_failed_test "$log-test.log")
    fi
  else
    test=caught; test_why="does not compile: $(first_error "$log-build-tests.log")"
  fi
}
cell() { [ -n "$2" ] && echo "$1: $2" || echo "$1"; }

echo "| mutant | site (\`make site\`) | test (\`$TEST_FILTER\`) |"
echo "|---|---|---|"
start=$(date +%s)
run_layers unchanged
echo "| (none: the unchanged copy) | $(cell "$site" "$site_why") | $(cell "$test" "$test_why") |"
if [ "$site" != passed ] || [ "$test" != passed ]; then
  echo "mutate: the unchanged copy does not pass both layers (logs in $scratch/logs/unchanged-*)" >&2; exit 2
fi
survivors=0; i=0
[ "$content_only" = 1 ] && mutants=()
for entry in "${mutants[@]}"; do
  i=$((i + 1))
  IFS='|' read -r name file1 expr1 file2 expr2 <<<"$entry"
  apply "$file1" "$expr1"
  [ -n "${file2:-}" ] && apply "$file2" "$expr2"
  run_layers "mutant$i"
  site=${site/passed/missed}; test=${test/passed/missed}
  echo "| $name | $(cell "$site" "$site_why") | $(cell "$test" "$test_why") |"
  [ "$site" = missed ] && [ "$test" = missed ] && survivors=$((survivors + 1))
  restore
done
# Content mutants: the unchanged copy's binary (built above) checks the mutated notes; caught only
# at the expected place.
for entry in "${content_mutants[@]}"; do
  i=$((i + 1))
  IFS='|' read -r name file1 expr1 place <<<"$entry"
  apply "$file1" "$expr1"
  log=$scratch/logs/content$i-site.log
  rm -rf .cache
  if "$binary" check --quiet >"$log" 2>&1; then
    site=missed; site_why=""
  elif grep -q "^$place" "$log"; then
    site=caught; site_why=$(grep -m1 "^$place" "$log" | sed -E 's/^.*error: //; s/\|/\\|/g' | cut -c1-90)
  else
    site=missed; site_why="fails, but not at $place: $(first_error "$log")"
  fi
  echo "| $name | $(cell "$site" "$site_why") | (content: not run) |"
  [ "$site" = missed ] && survivors=$((survivors + 1))
  restore
done
echo
echo "$survivors of $((${#mutants[@]} + ${#content_mutants[@]})) mutant(s) survived ($(( ($(date +%s) - start) / 60 )) min)"
[ "$survivors" -eq 0 ]
