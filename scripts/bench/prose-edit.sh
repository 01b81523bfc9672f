#!/usr/bin/env bash
# A prose edit in `lossbook build`, old binary against new: each gets its own copy of this
# repository's content, templates and the sources the build checks (so neither reads the other's
# cache), one warm-up build, then RUNS rounds alternating the two binaries; before every build
# one word is appended to NOTE (with EDIT=formula: one inline formula no build has seen, $x_{N}$,
# which starts a KaTeX helper). Prints each build's wall and CPU time (user + sys,
# bash's `time`, to the millisecond), the medians, the load average, and the new binary's stages of its last build.
# Usage: scripts/bench/prose-edit.sh OLD_BINARY NEW_BINARY [RUNS]
#   NOTE=en/glossary.md (default), EDIT=prose (default) or formula, CONTENT=folder (default: the repository's content/; e.g. a
#   corpus written by gen_corpus.py --distinct-formulas), KEEP=1 keeps the scratch folder,
#   OLD_COMMIT / NEW_COMMIT: the commit each binary was built from (default: the working copy), whose
#   Sources/ that side gets (a binary refuses to build beside sources it was not compiled from),
#   REPO=1: each side a clone of this repository (its committed content, and its history, which the
#   build reads the notes' dates from with `git log`) instead of a copy of the content outside any repository.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); runs=${3:-7}
here=$(cd "$(dirname "$0")/../.." && pwd)
note=${NOTE:-en/glossary.md}
case ${EDIT:-prose} in
  prose) edit() { echo "word$1"; } ;;
  formula) edit() { echo "\$x_{$1}\$"; } ;;
  *) echo "EDIT is prose or formula" >&2; exit 2 ;;
esac
content=${CONTENT:-$here/content}
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
for side in old new; do
  if [ -n "${REPO:-}" ]; then
    # A clone of this repository, its history included: the build asks `git log` for the notes' dates.
    git clone --quiet "$here" "$work/$side"
    rm -rf "$work/$side/Sources"
  else
    mkdir -p "$work/$side/Tests/LossesTests/Fixtures"
    cp -R "$content" "$work/$side/content"
    cp -R "$here/templates" "$work/$side/"
    cp -R "$here/Tests/LossesTests/Fixtures/golden" "$work/$side/Tests/LossesTests/Fixtures/"
  fi
  commit=$([ "$side" = old ] && echo "${OLD_COMMIT:-}" || echo "${NEW_COMMIT:-}")
  if [ -n "$commit" ]; then git -C "$here" archive "$commit" Sources | tar -x -C "$work/$side"
  else cp -R "$here/Sources" "$work/$side/"; fi
done
binary() { if [ "$1" = old ]; then echo "$old"; else echo "$new"; fi; }
for side in old new; do
  (cd "$work/$side" && "$(binary $side)" build --quiet >/dev/null 2>&1) || { echo "the $side binary's first build failed"; exit 1; }
  edit 0 >>"$work/$side/content/$note"
  (cd "$work/$side" && "$(binary $side)" build --quiet >/dev/null 2>&1)
done
for i in $(seq "$runs"); do
  for side in old new; do
    edit "$i" >>"$work/$side/content/$note"
    # Bash's `time`, to the millisecond (`/usr/bin/time` gives hundredths: a prose edit here is 0.05 s).
    (cd "$work/$side" && TIMEFORMAT="$side %3R %3U %3S" && { time "$(binary $side)" build --quiet >/dev/null 2>&1; } 2>>"$work/times")
  done
done
load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$here/scripts/bench/ab-report.py" "$work/times" "$load"
edit "$((runs + 1))" >>"$work/new/content/$note"
(cd "$work/new" && "$new" build --verbose 2>&1 | grep -E '^  (load|discover|execute|render|typeset|link-check|assemble|write|save|helper)' || true)
