# Shared by the serve benchmarks (sourced, not run): the binary, a scratch folder removed on exit,
# and a `lossbook serve` started on a port the system picks.
# After sourcing: $here (the repository), $lossbook (LOSSBOOK, or a release build made here),
# $work (a temporary folder). `start_serve ARGS…` runs `lossbook serve --port 0 ARGS…` from the
# repository, waits for its first build and sets $pid and $port; it exits with the log if that
# build fails or the server stops. `two_page_site EN_BODY ZH_BODY` writes a bilingual site of one
# page per language (no reference pages) into $work/content.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
lossbook=${LOSSBOOK:-}
if [ -z "$lossbook" ]; then
  "$here/scripts/build-release.sh" >/dev/null
  lossbook=$here/.build/release/lossbook
fi
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_serve() {
  (cd "$here" && exec "$lossbook" serve --port 0 "$@") >"$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    grep -qE ' built | build failed ' "$work/log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.2
  done
  grep -q ' built ' "$work/log" || { echo "the first build did not succeed:"; cat "$work/log"; exit 1; }
  port=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$work/log" | head -1 | sed -E 's#.*:([0-9]+)/#\1#')
}

two_page_site() {
  mkdir -p "$work/content/en" "$work/content/zh"
  cat >"$work/content/lossbook.yaml" <<'YAML'
languages:
  - {code: zh, name: 中文, html_lang: zh-CN, title: bench}
  - {code: en, name: English, title: bench}
reference_pages: false
YAML
  printf -- '---\ntitle: Page\n---\n\n%s\n' "$1" >"$work/content/en/page.md"
  printf -- '---\ntitle: 页面\n---\n\n%s\n' "$2" >"$work/content/zh/page.md"
}
