# Shared by build-speed.sh, fresh-corpus.sh, new-binary.sh and cold-ab.sh (sourced, not run; $here
# is the repository).
# `lossbook_corpus CONTENT PAGES` writes gen_corpus.py's corpus (--distinct-formulas: every formula
# differs, so a cold build typesets them all), PAGES notes per language, into the folder CONTENT,
# with the benchmarks' lossbook.yaml (both languages, no reference pages).
# `page_memo` lists the page memo's parts in a cache folder (`PageMemo`: the pages' files and the
# summaries of them): what a benchmark moves aside for every page to be rendered again.
# `median` prints the median of the numbers on standard input, one a line.
lossbook_corpus() {
  python3 "$here/scripts/bench/gen_corpus.py" "$1" "$2" --distinct-formulas >/dev/null
  cat >"$1/lossbook.yaml" <<YAML
languages:
  - {code: zh, name: 中文, html_lang: zh-CN, title: bench}
  - {code: en, name: English, title: bench}
reference_pages: false
YAML
}

page_memo=(pages page-summaries)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
