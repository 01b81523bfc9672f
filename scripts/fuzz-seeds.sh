#!/bin/sh
# Writes the seed corpus of a fuzz target from the repository's notes: scripts/fuzz-seeds.sh TARGET DIR
set -eu
cd "$(dirname "$0")/.."
target=$1 dir=$2
mkdir -p "$dir"
case $target in
markdown|front-matter)
    for f in content/*/*.md Tests/SiteTests/Fixtures/*/content/*/*.md; do
        [ -f "$f" ] || continue
        # Large notes are cut to their first 16 KB: the fuzzer's inputs are no longer.
        head -c 16384 "$f" >"$dir/$(echo "$f" | tr '/' '_')"
    done ;;
directive)
    # Every executable block of the notes: its info string on the first line, then its body.
    awk -v dir="$dir" '
        FNR == 1 { n = 0 }
        /^```(loss-|distance-map)/ && !inside { inside = 1; n++; f = FILENAME; gsub("/", "_", f); out = dir "/" f "_" n
            print substr($0, 4) > out; next }
        /^```/ && inside { inside = 0; close(out); next }
        inside { print > out }
    ' content/*/*.md ;;
eval)
    printf 'focal\n{"input": {"shape": [2, 2], "data": [0.1, -2, 3, 0]}, "target": {"shape": [2], "data": [0, 1]}, "params": {"gamma": 2}}\n' >"$dir/focal"
    printf 'l1\n{"input": {"shape": [3], "data": [1, NaN, Infinity]}, "target": {"shape": [3], "data": [0, 0, 0]}}\n' >"$dir/l1"
    printf 'dice\n{"input": {"shape": [1, 2, 2, 2], "data": [1, 2, 3, 4, 5, 6, 7, 8]}, "target": {"shape": [1, 2, 2], "data": [0, 1, 1, 0]}}\n' >"$dir/dice"
    printf 'distance-transform\n{"input": {"shape": [3, 3], "data": [0, 1, 1, 1, 1, 1, 1, 1, 0]}, "params": {"sampling": [1, 2]}}\n' >"$dir/edt"
    printf 'cross-entropy\n{"input": {"shape": [1, 3], "data": [1000, -1000, 0]}, "target": {"shape": [1], "data": [2]}, "params": {"reduction": "sum"}}\n' >"$dir/ce" ;;
esac
