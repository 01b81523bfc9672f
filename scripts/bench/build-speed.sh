#!/usr/bin/env bash
# Build speed and peak memory against Hugo on identical markdown, from a clone alone.
#
# Usage: scripts/bench/build-speed.sh [PAGES_PER_LANGUAGE...]   (default: 500 1000 2000 4000)
# Environment: RUNS (runs per measurement, default 3; medians are printed), KINDS (the measurements
# to make, in order, default "cold warm full rendered prose title formula"; each needs the ones before it
# to have left a site and cache, so a list should start with cold), LOSSBOOK (a lossbook
# binary: skips the release build), LOSSBOOK_TEMPLATES (default: the repository's theme),
# KEEP (a folder to keep the corpora and sites in, instead of a temporary one).
#
# The corpus is scripts/bench/gen_corpus.py with --distinct-formulas: every formula differs, so a
# cold build typesets them all with KaTeX (Hugo leaves TeX to the browser). Hugo (Debian's
# package, installed when missing) gets the generator's minimal theme; lossbook its default theme.
# Runs are interleaved (lossbook, hugo, lossbook, hugo, …) so that load from other work on the
# machine falls on both alike. Seven measurements per size:
#   cold      no cache, no previous output (lossbook typesets every formula); the binary's own
#             checks (peer witness, catalog formulas, kept per user: README, "Speed") are kept in
#             this run's own folder ($LOSSBOOK_CHECKS), so the first cold run at the first size
#             verifies the binary and the others, like any build of an already verified binary, do not
#   warm      the same content built again (cache and previous output in place)
#   full      the output removed, the cache kept: every page put into the theme and written again,
#             its rendering taken from the page memo, every formula from the cache (Hugo: its
#             output removed, its resources kept)
#   rendered  as full, with the page memo removed too (cache/pages and cache/page-summaries: what a new binary, a changed
#             lossbook.yaml or KaTeX version costs): every page parsed, run and rendered again,
#             every formula still from the cache
#   prose     one word added to one page's last paragraph
#   title     that page's title changed (its H1; Hugo: its front matter's title): the pages that
#             show it (its neighbours, the language's page list) are made again, not every page
#   formula   one display formula changed (a formula the cache has never seen)
# Wall time is the median of RUNS; peak RSS (`/usr/bin/time -f %M`) the median too.
# Outputs and caches removed before a cold, full or rendered build are moved aside (into $work/trash),
# for both tools alike, not deleted; nothing is deleted until every size is measured (the trash, the
# corpora and their sites go at the end): a build that follows `rm -rf` of many files on ext4
# without a journal waits in the kernel's `recently_deleted` scan of what was just freed (for 60 s
# after, 360 s while the freed inodes' table blocks are dirty), so a size measured after the last
# one's deletion measured that deletion instead of the build (scripts/bench/README.md). Disk needed
# for 500–4,000 pages per language: about 10 GB until the end.
set -euo pipefail
export LC_NUMERIC=C # $EPOCHREALTIME with a decimal point, as awk reads it
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(500 1000 2000 4000)
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
gen=$here/scripts/bench/gen_corpus.py
templates=${LOSSBOOK_TEMPLATES:-$here/templates}
. "$here/scripts/bench/corpus-lib.sh"

if ! command -v hugo >/dev/null; then
  echo "installing hugo (Debian's package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y hugo >/dev/null; else sudo apt-get install -y hugo >/dev/null; fi
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
lossbook=${LOSSBOOK:-}
if [ -z "$lossbook" ]; then
  "$here/scripts/build-release.sh" >/dev/null
  lossbook=$here/.build/release/lossbook
fi

if [ -n "${KEEP:-}" ]; then work=$KEEP; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
export LOSSBOOK_CHECKS=$work/binary-checks

# aside PATH...: moves each existing PATH into $work/trash (see the header), under a fresh name.
aside() {
  local path
  mkdir -p "$work/trash"
  for path in "$@"; do
    if [ -e "$path" ]; then mv "$path" "$(mktemp -d "$work/trash/XXXXXX")/"; fi
  done
}


# measure NAME DIR COMMAND...: runs COMMAND in DIR, appends "seconds kilobytes" to $work/NAME.
# The clock is bash's own ($EPOCHREALTIME), read in the subshell right around the command: two
# `date` processes and the subshell's fork around it added about 2 ms to every figure (timing
# `true` this way: 3.3-3.9 ms before, 1.7-2.1 ms now, most of it `/usr/bin/time`'s own start).
measure() {
  local name=$1 dir=$2; shift 2
  if ! (cd "$dir" && start=$EPOCHREALTIME && /usr/bin/time -f %M -o "$work/rss" "$@" >"$work/last.log" 2>&1 &&
        echo "$start $EPOCHREALTIME" >"$work/clock"); then
    echo "failed: $*" >&2; tail -20 "$work/last.log" >&2; exit 1
  fi
  echo "$(awk '{print $2 - $1}' "$work/clock") $(tail -1 "$work/rss")" >>"$work/$name"
}

printf '%-6s %-8s %10s %10s %7s %12s %12s\n' pages build lossbook_s hugo_s ratio lossbook_MB hugo_MB
for n in "${sizes[@]}"; do
  ours=$work/ours-$n hugo_dir=$work/hugo-$n
  aside "$ours" "$hugo_dir" # a KEEP folder's earlier run
  lossbook_corpus "$ours/content" "$n"
  python3 "$gen" "$hugo_dir" "$n" --hugo --distinct-formulas
  # lossbook runs from the repository (it checks its compiled-in loss sources against the clone's).
  lb=("$lossbook" build --content "$ours/content" --templates "$templates" --output "$ours/site" --cache-dir "$ours/cache")
  hg=(hugo --quiet -d public)
  # The edited page, and the line edited in it, the same in both corpora.
  page_ours=$ours/content/en/p1.md page_hugo=$hugo_dir/content/en/p1.md
  edit=0
  for kind in ${KINDS:-cold warm full rendered prose title formula}; do
    rm -f "$work/ours.$kind" "$work/hugo.$kind"
    for _ in $(seq "$runs"); do
      edit=$((edit + 1))
      for tool in ours hugo; do
        if [ $tool = ours ]; then file=$page_ours; else file=$page_hugo; fi
        case $kind in
          cold) if [ $tool = ours ]; then aside "$ours/site" "$ours/cache"; else aside "$hugo_dir/public" "$hugo_dir/resources"; fi ;;
          full) if [ $tool = ours ]; then aside "$ours/site"; else aside "$hugo_dir/public"; fi ;;
          rendered) if [ $tool = ours ]; then aside "$ours/site" "${page_memo[@]/#/$ours/cache/}"; else aside "$hugo_dir/public"; fi ;;
          prose) sed -i '$ s/$/ edit'"$edit"'/' "$file" ;;
          title) if [ $tool = ours ]; then sed -i '1s/.*/# Note 1, title '"$edit"'/' "$file"; else sed -i 's/^title: .*/title: "p1 title '"$edit"'"/' "$file"; fi ;;
          formula) sed -i 's/\\log s_i^c.*$/\\log s_i^c + \\epsilon_{'"$edit"'}/' "$file" ;;
        esac
        if [ $tool = ours ]; then measure ours.$kind "$here" "${lb[@]}"; else measure hugo.$kind "$hugo_dir" "${hg[@]}"; fi
      done
    done
    t_ours=$(cut -d' ' -f1 "$work/ours.$kind" | median) t_hugo=$(cut -d' ' -f1 "$work/hugo.$kind" | median)
    m_ours=$(cut -d' ' -f2 "$work/ours.$kind" | median) m_hugo=$(cut -d' ' -f2 "$work/hugo.$kind" | median)
    awk -v n="$n" -v k="$kind" -v a="$t_ours" -v b="$t_hugo" -v ma="$m_ours" -v mb="$m_hugo" \
      'BEGIN {printf "%-6s %-8s %10.3f %10.3f %7.2f %12.0f %12.0f\n", n, k, a, b, a / b, ma / 1024, mb / 1024}'
    printf -v "ours_$kind" '%s' "$t_ours"
  done
  # What the targets are stated in: the full rebuild per page (flat when time is linear in pages),
  # and the other builds as shares of the full rebuild, lossbook's own figures.
  if [ -n "${ours_full:-}" ]; then
    awk -v n="$n" -v full="$ours_full" -v warm="${ours_warm:-}" -v prose="${ours_prose:-}" -v title="${ours_title:-}" -v formula="${ours_formula:-}" -v rendered="${ours_rendered:-}" '
      function share(name, t) { if (t != "") printf "; %s %.2f of it", name, t / full }
      BEGIN { printf "%-6s full rebuild %.3f ms per page", n, 1000 * full / (2 * n)
              share("nothing changed", warm); share("prose edit", prose); share("title edit", title); share("formula edit", formula)
              share("rendered", rendered)
              printf "\n" }'
  fi
  unset ours_cold ours_warm ours_full ours_rendered ours_prose ours_title ours_formula
done
echo "runs per measurement: $runs (medians); ratio = lossbook / hugo wall time; MB = peak RSS"
# The corpora, sites and trash are deleted now (a KEEP folder's trash only), then flushed: a run
# started right after this deletion measured ext4's search past the freed inodes (stop 50: full
# rebuilds 0.40x where they were 0.32x, Hugo's slowed too), so the next run should wait a minute.
if [ -n "${KEEP:-}" ]; then rm -rf "$work/trash"; else rm -rf "$work"; trap - EXIT; fi
sync
echo "deleted $([ -n "${KEEP:-}" ] && echo "the outputs moved aside (the corpora stay in $work)" || echo "what this run wrote"); on ext4, wait a minute (six if the disk is busy) before timing builds again (scripts/bench/README.md)"
