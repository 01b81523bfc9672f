#!/usr/bin/env bash
# Build speed against Hugo on identical markdown (shared/bench/gen_corpus.py), release build.
# Usage: scripts/bench/build-speed.sh [PAGES_PER_LANGUAGE] [RUNS]   (LOSSBOOK=path skips the release build)
# Prints the median wall time of each and their ratio. Hugo gets gen_corpus.py's minimal theme
# (title, table of contents, content); lossbook gets the same minimal theme
# (scripts/bench/minimal-theme) and, separately, its default theme, whose page list on every page
# makes the theme stage grow with pages². lossbook typesets every formula with KaTeX at build time
# (Hugo leaves TeX to the browser): "warm" is an author's rebuild with the formula cache, "cold"
# renders every formula (--no-cache).
set -euo pipefail
n=${1:-200}
runs=${2:-5}
here=$(cd "$(dirname "$0")/../.." && pwd)
gen=${GEN_CORPUS:-$here/../shared/bench/gen_corpus.py}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v hugo >/dev/null || { echo "install hugo (apt-get install hugo)"; exit 1; }
lossbook=${LOSSBOOK:-}
if [ -z "$lossbook" ]; then
  (cd "$here" && swift build -c release --product lossbook >/dev/null)
  lossbook=$here/.build/release/lossbook
fi

python3 "$gen" "$work/ours/content" "$n"
python3 "$gen" "$work/hugo" "$n" --hugo
cat > "$work/ours/content/lossbook.yaml" <<YAML
languages:
  - {code: zh, name: 中文, html_lang: zh-CN, title: bench}
  - {code: en, name: English, title: bench}
reference_pages: false
YAML

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_runs() { # command...
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done | median
}
minimal=$here/scripts/bench/minimal-theme
cd "$work/ours"
"$lossbook" build --templates "$minimal" >/dev/null 2>&1 # warm the cache
warm=$(time_runs "$lossbook" build --templates "$minimal")
cold=$(time_runs "$lossbook" build --templates "$minimal" --no-cache)
full=$(time_runs "$lossbook" build --templates "$here/templates")
cd "$work/hugo"
hugo=$(time_runs hugo --quiet -d public)
ratio() { echo "$1 / $hugo" | bc -l; }
printf 'pages per language: %s, runs: %s (median wall seconds)\n' "$n" "$runs"
printf 'lossbook, minimal theme, warm cache: %.3f  ratio to hugo: %.2f\n' "$warm" "$(ratio "$warm")"
printf 'lossbook, minimal theme, cold cache: %.3f  ratio to hugo: %.2f\n' "$cold" "$(ratio "$cold")"
printf 'lossbook, default theme, warm cache: %.3f  ratio to hugo: %.2f\n' "$full" "$(ratio "$full")"
printf 'hugo, minimal theme:                 %.3f\n' "$hugo"
