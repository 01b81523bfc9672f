#!/usr/bin/env bash
# Our client-side search against Pagefind, on the same built site and the same queries, in
# headless Chromium. Prints per engine: top-1 and top-3 hit rate against the expected pages, mean
# query latency, and the bytes of search code and index the first search loads.
#
# Usage: scripts/bench/search-vs-pagefind.sh [QUERIES.json]   (default Tests/Browser/search-queries.json)
#   LOSSBOOK=path    skip the release build and use that binary
#   CHROMIUM=path    the browser (default /usr/bin/chromium; Playwright never downloads one)
#
# Steps: builds lossbook (release) and the repository's site into a temporary folder; installs
# Pagefind (PyPI `pagefind[extended]`: its wheel carries the binary, with Chinese word
# segmentation) and Playwright into .venv-bench; indexes the site with Pagefind, configured to read
# what our index reads — the article (title = its h1), without KaTeX's visual copy and TeX
# annotation, plots, code listings and buttons; serves it on 127.0.0.1 at a free port; runs
# scripts/bench/search_vs_pagefind.py. Everything stays on this machine once the venv exists.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
queries=${1:-Tests/Browser/search-queries.json}
chromium=${CHROMIUM:-/usr/bin/chromium}
venv=.venv-bench
requirements="pagefind[extended]==1.5.2 playwright==1.55.0"

[ -x "$chromium" ] || { echo "search-vs-pagefind: $chromium not found (Debian: apt-get install -y chromium)" >&2; exit 1; }
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/requirements" 2>/dev/null)" != "$requirements" ]; then
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$venv/bin/pip" install --quiet --disable-pip-version-check $requirements
  echo "$requirements" >"$venv/requirements"
fi

lossbook=${LOSSBOOK:-}
if [ -z "$lossbook" ]; then
  scripts/build-release.sh >/dev/null
  lossbook=.build/release/lossbook
fi
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$lossbook" build --quiet --output "$work/site"
"$venv/bin/python" -m pagefind --site "$work/site" --output-subdir pagefind --keep-index-url --quiet \
  --root-selector article --exclude-selectors ".katex-html, annotation, svg, pre, button"
echo "index sizes: ours $(du -cb "$work"/site/*/search-index.js | tail -1 | cut -f1) bytes (all languages)," \
  "pagefind $(du -sb "$work/site/pagefind" | cut -f1) bytes (bundle, all languages)"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/index.html')" 2>/dev/null && break
  sleep 0.1
done
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$venv/bin/python" scripts/bench/search_vs_pagefind.py \
  "http://127.0.0.1:$port/" "$queries" "$chromium"
