#!/usr/bin/env bash
# Browser tests of the built site: phone layout, search, plots' names, links, no-JS reading.
# Creates .venv-browser (pinned Playwright and pytest from PyPI), builds site/ when missing,
# serves it on 127.0.0.1 at a free port, runs Tests/Browser with the system chromium, cleans up.
# Playwright never downloads a browser here: CHROMIUM (default /usr/bin/chromium) is used.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
VENV=.venv-browser
SITE=${LOSSBOOK_SITE_DIR:-site}

if [ ! -x "$CHROMIUM" ]; then
  echo "browser-tests: $CHROMIUM not found (Debian: apt-get install -y chromium)" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/pytest" ] || ! cmp -s Tests/Browser/requirements.txt "$VENV/requirements.txt"; then
  python3 -m venv "$VENV"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$VENV/bin/pip" install --quiet --disable-pip-version-check -r Tests/Browser/requirements.txt
  cp Tests/Browser/requirements.txt "$VENV/requirements.txt"
fi
if [ ! -f "$SITE/index.html" ]; then
  scripts/build-release.sh
  .build/release/lossbook build
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/index.html')" 2>/dev/null && break
  sleep 0.1
done

LOSSBOOK_SITE_URL="http://127.0.0.1:$PORT/" LOSSBOOK_SITE_DIR="$SITE" CHROMIUM="$CHROMIUM" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
  "$VENV/bin/pytest" -q -p no:cacheprovider --durations=5 Tests/Browser "$@"
