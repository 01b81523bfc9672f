#!/bin/sh
# One paragraph of N distinct inline formulas against N paragraphs of one formula each:
#   scripts/bench/formula-paragraph.sh [N]     (default 50000)
# Formula protection and inline-math handling must be linear in the paragraph's size, so the two
# notes (the same formulas `$x_{1}$ … $x_{N}$, the first on one line, the second one a paragraph)
# should cost about the same. Each is built as the only page of a one-language site, cold (empty
# cache: KaTeX typesets every formula) and warm (the formulas from the cache; the build stamp is
# removed first, or the build would stop after `load`). Prints CPU seconds (user + sys: wall time
# on a shared machine measures the other processes) and max RSS of the
# four builds, the paragraph/paragraphs ratios and the load average, all from the same run.
# Needs the release binary (scripts/build-release.sh).
set -eu
cd "$(dirname "$0")/../.."
n=${1:-50000}
lossbook=${LOSSBOOK:-.build/release/lossbook}
[ -x "$lossbook" ] || { echo "formula-paragraph.sh: build $lossbook first" >&2; exit 1; }
work=$(mktemp -d /tmp/lossbook-formula-paragraph.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
repo=$(pwd)
case $lossbook in /*) ;; *) lossbook=$repo/$lossbook ;; esac
# An older binary (LOSSBOOK=…) is checked against its own sources: SOURCES=folder (e.g. `git archive`d).
sources=${SOURCES:-$repo/Sources}

site() { # name, awk program printing the note's body
    mkdir -p "$work/$1/content/en"
    ln -s "$sources" "$work/$1/Sources" # the provenance check compares them with the binary
    printf 'languages:\n  - code: en\n    title: Formulas\nlimits:\n  note_bytes: 100000000\n' >"$work/$1/content/lossbook.yaml"
    { printf -- '---\ntitle: Formulas\n---\n\n'; awk -v n="$n" "BEGIN { $2 }"; } >"$work/$1/content/en/index.md"
}
site paragraph 'for (i = 1; i <= n; i++) printf "$x_{%d}$%s", i, (i < n ? " " : "\n")'
site paragraphs 'for (i = 1; i <= n; i++) printf "$x_{%d}$\n\n", i'

measure() { # site, label: prints "seconds maxrss_kb"
    rm -f "$work/$1/.cache/lossbook/build-stamp"
    (cd "$work/$1" && /usr/bin/time -f "%U %S %M" -o "$work/time" "$lossbook" build --verbose \
        --templates "$repo/templates" --output site >"$work/$1-$2.out" 2>"$work/err") || { cat "$work/err" >&2; exit 1; }
    if grep -q 'nothing to do' "$work/$1-$2.out"; then echo "formula-paragraph.sh: the $2 build was skipped" >&2; exit 1; fi
    awk '{ print $1 + $2, $3 }' "$work/time" # CPU seconds (user + sys), max RSS
}
pc=$(measure paragraph cold); sc=$(measure paragraphs cold)
pw=$(measure paragraph warm); sw=$(measure paragraphs warm)
echo "$n formulas; CPU seconds (user + sys) and max RSS:"
echo "$pc $sc $pw $sw" | awk '{
    printf "                     cold               warm\n"
    printf "one paragraph:  %6.2f s %5.0f MB   %6.2f s %5.0f MB\n", $1, $2 / 1024, $5, $6 / 1024
    printf "%d paragraphs: %6.2f s %5.0f MB   %6.2f s %5.0f MB\n", n, $3, $4 / 1024, $7, $8 / 1024
    printf "ratio:          %6.2f×            %6.2f× (one paragraph / paragraphs)\n", $1 / ($3 > 0 ? $3 : 0.01), $5 / ($7 > 0 ? $7 : 0.01)
}' n="$n"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm stages, one paragraph:"; grep -v '^built ' "$work/paragraph-warm.out"
echo "warm stages, $n paragraphs:"; grep -v '^built ' "$work/paragraphs-warm.out"
