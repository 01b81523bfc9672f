#!/usr/bin/env bash
# A rebuild with nothing changed, right after a corpus was written and built at once: what a user
# (or a benchmark) does first. Each binary gets its own corpus (gen_corpus.py --distinct-formulas,
# PAGES per language), built as soon as the generator exits (the build stamp's first look falls
# within moments of the last notes written: racy entries, `InputIndex`), then built UNCHANGED times
# with nothing changed. Binaries are interleaved: corpus and builds of the first, then of the
# second, ROUNDS times. Prints each unchanged build's wall time (the first one apart: it is the one
# that reads again what the first build could not trust) and the medians.
# Usage: scripts/bench/fresh-corpus.sh PAGES BINARY [BINARY…]
#   ROUNDS=2, UNCHANGED=6; KEEP=folder keeps the corpora; builds run from this repository (a
#   binary checks its compiled-in loss sources against the working copy's: give binaries built
#   from this commit's Sources/, or another commit's with SOURCES_COMMIT=…).
set -euo pipefail
export LC_NUMERIC=C # $EPOCHREALTIME with a decimal point, as awk reads it
pages=$1; shift
[ $# -gt 0 ] || { echo "usage: $0 PAGES BINARY [BINARY…]" >&2; exit 2; }
here=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${ROUNDS:-2} unchanged=${UNCHANGED:-6}
. "$here/scripts/bench/corpus-lib.sh"
if [ -n "${KEEP:-}" ]; then work=$KEEP; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
export LOSSBOOK_CHECKS=$work/binary-checks
root=$here
if [ -n "${SOURCES_COMMIT:-}" ]; then
  root=$work/repository
  mkdir -p "$root/Tests/LossesTests/Fixtures"
  git -C "$here" archive "$SOURCES_COMMIT" Sources | tar -x -C "$root"
  cp -R "$here/Tests/LossesTests/Fixtures/golden" "$root/Tests/LossesTests/Fixtures/"
fi
: >"$work/times"
for round in $(seq "$rounds"); do
  for number in $(seq $#); do
    binary=$(realpath "${!number}")
    corpus=$work/corpus-$number
    rm -rf "$corpus"
    lossbook_corpus "$corpus/content" "$pages"
    build=("$binary" build --content "$corpus/content" --templates "$here/templates" --output "$corpus/site" --cache-dir "$corpus/cache")
    (cd "$root" && "${build[@]}" >/dev/null 2>&1) || { echo "first build failed: ${build[*]}" >&2; exit 1; }
    for i in $(seq "$unchanged"); do
      # bash's clock, read right around the build (`date` processes added milliseconds to each figure)
      read -r start end < <(cd "$root" && start=$EPOCHREALTIME && "${build[@]}" >"$work/out" 2>&1; echo "$start $EPOCHREALTIME")
      grep -q 'unchanged since the last build' "$work/out" || { echo "not an unchanged build: ${build[*]}" >&2; tail -3 "$work/out" >&2; exit 1; }
      echo "$number $i $(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" >>"$work/times"
    done
  done
done
for number in $(seq $#); do
  first=$(awk -v n="$number" '$1 == n && $2 == 1 {print $3}' "$work/times" | median)
  rest=$(awk -v n="$number" '$1 == n && $2 > 1 {print $3}' "$work/times" | median)
  all=$(awk -v n="$number" '$1 == n {printf "%.3f ", $3}' "$work/times")
  if [ "$unchanged" -gt 1 ]; then rest=$(printf '%.3f s' "$rest"); else rest=none; fi
  printf '%s: first unchanged build %.3f s, the others %s (medians; all: %s)\n' "${!number}" "$first" "$rest" "$all"
done
echo "pages per language: $pages; rounds: $rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
