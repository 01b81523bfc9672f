#!/usr/bin/env bash
# A new binary's first build, old binary against new: the corpus (gen_corpus.py --distinct-formulas,
# PAGES per language) is built once by each binary, then ROUNDS rounds alternate them on one
# content, site and cache folder. Each build is by the other binary than the last, so each finds
# the page memo of another identity in place and renders every page again (formulas from the render
# cache), as the first build after `git pull` and a rebuild does; it writes every page memo file
# again over the last one's. Prints each build's wall and CPU time (user, sys: /usr/bin/time) and
# its `save` stage, the medians and the load average.
#
# Where the scratch folder is matters: it is made in $TMPDIR (default /tmp), on the disk the
# machine's other benchmarks use; on a tmpfs the file system's costs mostly vanish. The builds are
# SETTLE seconds apart (default 35: Linux writes dirty pages out after 30 s), so that one build's
# writes are not still going out under the next. Each build removes the 4,000 memo files it renews,
# and ext4 without a journal steps over inodes freed in the last minute when it makes a file
# (scripts/bench/HISTORY.md, "Stop 62"); profiled 35 s apart, that walk was 0.8 % of a build's samples.
# RENDERED=1 moves the site and the page memo (corpus-lib.sh's `page_memo`) aside before each
# build, into the scratch folder's trash (not deleted: see build-speed.sh on deletions): each build
# then renders every page again and writes every memo file at a name its folder does not hold, the
# site benchmark's `rendered` build, binary against binary.
# Usage: scripts/bench/new-binary.sh OLD_BINARY NEW_BINARY [ROUNDS] [PAGES]   (default 5, 2000)
#   KEEP=1 keeps the scratch folder.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); rounds=${3:-5}; pages=${4:-2000}
settle=${SETTLE:-35}
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/bench/corpus-lib.sh"
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
lossbook_corpus "$work/content" "$pages"
# Built from the scratch folder: a binary refuses to build beside sources it was not compiled from.
cd "$work"
binary() { if [ "$1" = old ]; then echo "$old"; else echo "$new"; fi; }
args=(build --content "$work/content" --templates "$here/templates" --output "$work/site" --cache-dir "$work/cache")
# Each binary's first build: the formulas typeset, and its own checks run once (kept per user).
for side in old new; do "$(binary $side)" "${args[@]}" --quiet >/dev/null 2>&1 || { echo "the $side binary's first build failed"; exit 1; }; done
for i in $(seq "$rounds"); do
  for side in old new; do
    sleep "$settle"
    if [ -n "${RENDERED:-}" ]; then
      aside=$(mktemp -d "$work/trash.XXXXXX")
      for moved in site "${page_memo[@]/#/cache/}"; do [ ! -e "$work/$moved" ] || mv "$work/$moved" "$aside/"; done
    fi
    /usr/bin/time -f "time $side %e %U %S" -a -o "$work/times" "$(binary $side)" "${args[@]}" --verbose >"$work/out" 2>&1
    echo "save $side $(awk '$1 == "save" {print $2}' "$work/out")" >>"$work/times"
  done
done
load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work/times" "$load" <<'PY'
import statistics, sys
rows = {"old": [], "new": []}
saves = {"old": [], "new": []}
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[0] == "time":
        rows[parts[1]].append((float(parts[2]), float(parts[3]), float(parts[4])))
    elif parts[0] == "save":
        saves[parts[1]].append(float(parts[2]))
for side, values in rows.items():
    med = lambda xs: statistics.median(xs)
    print(f"{side}: wall {' '.join(f'{w:.2f}' for w, _, _ in values)} (median {med([w for w, _, _ in values]):.2f} s); "
          f"user median {med([u for _, u, _ in values]):.2f} s, sys median {med([s for _, _, s in values]):.2f} s; "
          f"save {' '.join(f'{s:.0f}' for s in saves[side])} ms (median {med(saves[side]):.0f} ms)")
print(f"load average after the runs: {sys.argv[2]}")
PY
