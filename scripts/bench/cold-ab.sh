#!/usr/bin/env bash
# A cold build (no cache, no output: every formula typeset), old binary against new: the corpus
# (gen_corpus.py --distinct-formulas, PAGES per language) is copied once per binary, so that neither
# reads the other's files, and ROUNDS rounds alternate the two, each build after removing its own
# cache and site. The binaries' own checks are kept per user, as for any build, and run once in a
# first build of each that is not counted. Prints each build's wall time and its CPU time with its
# KaTeX helpers (user + sys, /usr/bin/time counts children), the medians and the load average.
#
# Where the scratch folder is matters less here than for the other builds (the helpers' CPU is most
# of a cold build), but it is made in $TMPDIR (default /tmp); stop 64 ran it with TMPDIR=/dev/shm.
# Usage: scripts/bench/cold-ab.sh OLD_BINARY NEW_BINARY [ROUNDS] [PAGES]   (default 5, 500)
#   KEEP=1 keeps the scratch folder.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); rounds=${3:-5}; pages=${4:-500}
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/bench/corpus-lib.sh"
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
lossbook_corpus "$work/old/content" "$pages"
mkdir -p "$work/new" && cp -r "$work/old/content" "$work/new/"
binary() { if [ "$1" = old ]; then echo "$old"; else echo "$new"; fi; }
# Built from each side's folder: a binary refuses to build beside sources it was not compiled from.
cold() { # side [time file]
  cd "$work/$1" && rm -rf cache site
  local run=("$(binary "$1")" build --content content --templates "$here/templates" --output site --cache-dir cache --quiet)
  if [ -n "${2:-}" ]; then /usr/bin/time -f "$1 %e %U %S" -a -o "$2" "${run[@]}" >/dev/null 2>&1
  else "${run[@]}" >/dev/null 2>&1; fi || { echo "the $1 binary's build failed"; exit 1; }
}
for side in old new; do cold "$side"; done
for i in $(seq "$rounds"); do
  for side in old new; do cold "$side" "$work/times"; done
done
load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$here/scripts/bench/ab-report.py" "$work/times" "$load"
