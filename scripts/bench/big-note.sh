#!/bin/sh
# A big note through lossbook's whole pipeline against cmark-gfm alone on the same markdown:
#   scripts/bench/big-note.sh [MEGABYTES] [NOTE]     (default 50 MB from content/en/loss-functions.md)
# The note's body is repeated to MEGABYTES and built as the only page of a one-language site
# (`limits: note_bytes` raised); the build is timed warm (second run: formulas
# and executed blocks from the caches, as any rebuild). The build stamp the first run leaves
# (`.cache/lossbook/build-stamp`) is removed before the timed run: with it in place the second
# build would see unchanged inputs and stop after `load`, so the figure would not be a build; the
# kept pages (`.cache/lossbook/pages/`) are removed for the same reason.
# The timed build therefore parses, executes (from the execution cache), renders, typesets
# (from the formula cache), checks and writes the whole page. Prints seconds and max RSS of
# both, the ratios from that same run, the load average and lossbook's stage times (`--verbose`).
# Time is CPU time (user + sys, all threads): wall time on a shared machine says more about the
# other processes; the wall times are printed beside it.
# Needs the release binary (scripts/build-release.sh); installs Debian's cmark-gfm
# (the command-line program) when it is missing.
set -eu
cd "$(dirname "$0")/../.."
mb=${1:-50}
note=${2:-content/en/loss-functions.md}
lossbook=${LOSSBOOK:-.build/release/lossbook}
command -v cmark-gfm >/dev/null || scripts/install-deps.sh cmark-gfm
[ -x "$lossbook" ] || { echo "big-note.sh: build $lossbook first" >&2; exit 1; }
work=$(mktemp -d /tmp/lossbook-big-note.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/content/en"
# The cited data sets the note's `cited-table` blocks read.
[ ! -d content/data ] || cp -R content/data "$work/content/data"
cat >"$work/content/lossbook.yaml" <<YAML
languages:
  - code: en
    title: Big note
limits:
  note_bytes: $((mb * 2 * 1000 * 1000))
YAML
# The body without its front matter, repeated; its headings get -1, -2, … ids as GitHub's would.
# Links to other notes and reference pages become external ones: the note stands alone.
awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } !fm' "$note" \
    | sed -E 's#\]\((ref:[^)]*|[^)]*\.md[^)]*)\)#](https://example.org/)#g' >"$work/body.md"
target=$((mb * 1000 * 1000))
{ printf -- '---\ntitle: Big note\n---\n\n'
  size=0
  while [ "$size" -lt "$target" ]; do cat "$work/body.md"; printf '\n'; size=$((size + $(wc -c <"$work/body.md") + 1)); done
} >"$work/content/en/index.md"
awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } !fm' "$work/content/en/index.md" >"$work/plain.md"
echo "note: $(wc -c <"$work/content/en/index.md") bytes ($note repeated)"

measure() { # label, command…: prints "label cpu_seconds maxrss_kb wall_seconds" (the command's output in $work/out)
    label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    set -- $(cat "$work/time")
    echo "$label $(echo "$2 $3" | awk '{ print $1 + $2 }') $4 $1"
}
repo=$(pwd)
case $lossbook in /*) ;; *) lossbook=$repo/$lossbook ;; esac
# An older binary (LOSSBOOK=…) is checked against its own sources: SOURCES=folder (e.g. `git archive`d).
sources=${SOURCES:-$repo/Sources}
ln -s "$sources" "$work/Sources" # the provenance check compares them with the binary
(cd "$work" && "$lossbook" build --content content --templates "$repo/templates" --output site >/dev/null 2>"$work/err") \
    || { cat "$work/err" >&2; exit 1; }
c=$(measure cmark-gfm cmark-gfm --extension table --extension strikethrough --extension autolink --extension tasklist \
        --extension tagfilter --unsafe "$work/plain.md")
rm -f "$work/.cache/lossbook/build-stamp" # else the build stops after `load`: nothing changed
rm -rf "$work/.cache/lossbook/pages"      # else the page memo gives the page back unbuilt
l=$(cd "$work" && measure lossbook "$lossbook" build --verbose --content content --templates "$repo/templates" --output site)
grep -q 'nothing to do' "$work/out" && { echo "big-note.sh: the timed build was skipped" >&2; exit 1; }
echo "$c" "$l" | awk '{ printf "           CPU (user+sys)  max RSS   (wall)\n"
    printf "cmark-gfm: %6.2f s %8.0f MB  (%.2f s)\nlossbook:  %6.2f s %8.0f MB  (%.2f s)\nratio:     %6.2f×    %6.2f× (CPU time, memory)\n",
    $2, $3 / 1024, $4, $6, $7 / 1024, $8, $6 / ($2 > 0 ? $2 : 0.01), $7 / $3 }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -v '^built ' "$work/out"
