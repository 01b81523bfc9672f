#!/usr/bin/env bash
# Issue 11's bad cases replayed against a release binary, as a careless user and a hostile client:
#   scripts/hardening-cases.sh > docs/hardening-cases.md.new   (LOSSBOOK=path to use another binary)
# Prints a markdown table, one row a case: the command (run in a scratch project made by
# `lossbook init` with this repository's templates/ copied in and built once), its exit status, what
# it printed (its first lines, the scratch folder's path shortened to `P`) and a verdict the script
# computes: `ok` when the case ends as it must (an error: exit 1 or 2, every error line
# `path:line:col: error: …`, the project's files — content/, templates/, site/ — unchanged; a valid
# input: exit 0 and the check named in the row), `BAD` otherwise. Needs root for the tmpfs cases
# (full disk, read-only file system) and the permission case (run as nobody); they are skipped without it.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
lb=${LOSSBOOK:-$repo/.build/release/lossbook}
[ -x "$lb" ] || { echo "hardening-cases.sh: build $lb first (scripts/build-release.sh)" >&2; exit 1; }
W=$(mktemp -d /tmp/lossbook-hardening.XXXXXX)
chmod 755 "$W"
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
export NO_COLOR=1

base=$W/base
if [ -n "${BASE:-}" ]; then cp -a "$BASE" "$base"; else # BASE: a scratch project kept from an earlier run (KEEP=1)
"$lb" init "$base" --languages zh,en >/dev/null || exit 1
cp -r "$repo/templates" "$base/templates"
printf -- '---\ntitle: Formula\n---\n\nInline $x^2$ and a picture ![dot](img/dot.svg).\n' >"$base/content/en/formula.md"
mkdir -p "$base/content/en/img"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$base/content/en/img/dot.svg"
(cd "$base" && "$lb" build --quiet >/dev/null 2>&1) || { echo "the scratch project does not build" >&2; exit 1; }
[ -z "${KEEP:-}" ] || { cp -a "$base" "$KEEP"; echo "kept in $KEEP" >&2; }
fi
# The typeset formulas and what was built from them, without the catalog checks (minutes to redo).
cold() { rm -rf .cache/lossbook/render .cache/lossbook/pages .cache/lossbook/build-stamp .cache/lossbook/node-version; }

P=$W/p
# The state a failed command must leave as it found: every file and link of the project but the cache.
state() { (cd "$P" && find . -path ./.cache -prune -o -path './.site.*' -prune -o \( -type f -exec sha1sum {} + \) -o \( ! -type f -printf '%p %y %l\n' \) | sort | sha1sum); }
fresh() { rm -rf "$P"; cp -a "$base" "$P"; cd "$P" || exit 1; }

n=0
echo "| # | case | command (in the scratch project P) | exit | printed (first lines) | verdict |"
echo "|---:|---|---|---:|---|---|"
cell() { sed -e "s#$W/p#P#g" -e "s#$W#W#g" -e 's/|/\\|/g' -e 's/`/ʼ/g' | head -${2:-3} | cut -c1-${1:-240} | awk 'BEGIN{ORS=""} NR>1{print "<br>"} {print}'; }
row() { # case, command shown, exit, printed, verdict
  n=$((n + 1))
  printf '| %s | %s | `%s` | %s | %s | %s |\n' "$n" "$1" "$(printf '%s' "$2" | cell 200 1)" "$3" "$(printf '%s' "$4" | cell)" "$5"
}
# An error case: runs "$@" (shown as $2) in a prepared project; ok when it fails with positioned lines only.
positioned='^[^ ].*:[0-9]+:[0-9]+: (error|warning): .+'
expect_error() { # case, shown, command...
  local what=$1 shown=$2; shift 2
  local before; before=$(state)
  timeout -k 5 ${T:-120} "$@" >"$W/out" 2>"$W/err"; local rc=$?
  local after; after=$(state)
  local errors; errors=$(grep -c ': error: ' "$W/err")
  local unpositioned; unpositioned=$(grep ': error: \|^error' "$W/err" | grep -Evc "$positioned")
  local verdict=ok why=""
  [ "$rc" = 1 ] || [ "$rc" = 2 ] || { verdict=BAD; why="exit $rc"; }
  [ "$errors" -ge 1 ] || { verdict=BAD; why="$why no error line"; }
  [ "$unpositioned" = 0 ] || { verdict=BAD; why="$why unpositioned error line"; }
  [ "$before" = "$after" ] || { verdict=BAD; why="$why project changed"; }
  row "$what" "$shown" "$rc" "$(grep -v '^[0-9]* errors\?\b' "$W/err"; cat "$W/out")" "$verdict${why:+ ($why)}"
}
# A valid input: ok when "$check" (a shell test run afterwards) holds and the exit status is 0.
expect_ok() { # case, shown, check, command...
  local what=$1 shown=$2 check=$3; shift 3
  timeout -k 5 ${T:-120} "$@" >"$W/out" 2>"$W/err"; local rc=$?
  local verdict=ok
  [ "$rc" = 0 ] && eval "$check" || verdict="BAD (check: $check)"
  row "$what" "$shown" "$rc" "$( (cat "$W/err" "$W/out") | grep -v '^$')" "$verdict"
}

# ---- 1. Output safety
for out in . content content/en/out templates .. notes; do
  fresh; [ "$out" = notes ] && { mkdir notes; echo mine >notes/todo.txt; }
  expect_error "data loss: output \`$out\`" "lossbook build --output $out" "$lb" build --output "$out"
done
fresh
T=20 expect_error "data loss: serve with output \`.\`" "lossbook serve --port 0 --output ." "$lb" serve --port 0 --output .
fresh
T=20 expect_error "data loss: serve with output inside content" "lossbook serve --port 0 --output content/en/out" "$lb" serve --port 0 --output content/en/out
fresh; mkdir public; cp -a site/. public/; rm -rf site; ln -s public site
expect_ok "symlinked output keeps its link" "ln -s public site; lossbook build" '[ -L site ] && [ -f public/en/formula/index.html ]' "$lb" build --quiet
fresh; mkdir -p .site.old-4194999 .site.staging-4194999; touch .site.old-4194999/x .site.staging-4194999/x
expect_ok "leftover .site.old-PID / .site.staging-PID removed" "mkdir .site.old-4194999 .site.staging-4194999; lossbook build" \
  '! ls -d .site.old-* .site.staging-* 2>/dev/null | grep -q .' "$lb" build --quiet
# A kill at any moment of the write stage: site/ is always there, whole (the swap is one syscall).
fresh; echo "changed" >>content/en/formula.md; lost=0
for i in $(seq 1 30); do
  echo " $i" >>content/en/formula.md
  "$lb" build --quiet >/dev/null 2>&1 & p=$!
  sleep "0.$(( (i * 37) % 100 ))"; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  [ -f site/index.html ] && [ -f site/en/formula/index.html ] || lost=$((lost + 1))
done
row "kill -9 at 30 moments of a build" "for 30 delays: lossbook build & sleep 0.0x–0.9x; kill -9" "-" "site/ missing or partial after $lost of 30 kills" "$([ $lost = 0 ] && echo ok || echo BAD)"

# ---- 2. Preflight
fresh; rm -rf .cache; mkdir -p "$W/bin"; ln -sf "$(command -v git)" "$W/bin/git"
expect_error "no node on PATH, empty cache" "PATH=(no node) lossbook build" env PATH="$W/bin" "$lb" build
fresh; rm -rf .cache
expect_error "KaTeX folder missing" "LOSSBOOK_KATEX_DIR=/nonexistent lossbook build" env LOSSBOOK_KATEX_DIR=/nonexistent "$lb" build
fresh; rm -rf .cache
expect_error "highlight.js folder missing" "LOSSBOOK_HIGHLIGHT_DIR=/nonexistent lossbook build" env LOSSBOOK_HIGHLIGHT_DIR=/nonexistent "$lb" build
fresh; cold; mkdir -p "$W/hang"; printf '#!/bin/sh\ncase "$1" in --version) echo v20.0.0;; *) exec sleep 600;; esac\n' >"$W/hang/node"; chmod +x "$W/hang/node"
expect_error "helper that never answers" "LOSSBOOK_NODE=hanging-node LOSSBOOK_HELPER_TIMEOUT=3 lossbook build" env LOSSBOOK_NODE="$W/hang/node" LOSSBOOK_HELPER_TIMEOUT=3 "$lb" build
fresh; cold
expect_ok "versions printed with --verbose" "lossbook build --verbose" 'grep -qi "node.*v[0-9]" $W/out $W/err && grep -qi katex $W/out $W/err' "$lb" build --verbose

# ---- 3. Input
fresh; printf -- '---\r\ntitle: Windows\r\n---\r\n\r\nline $a$ one\r\n' >content/en/crlf.md
expect_ok "CRLF note" "printf -- '---\\r\\ntitle: Windows\\r\\n---…' > content/en/crlf.md; lossbook build" 'grep -q "<title>Windows" site/en/crlf/index.html' "$lb" build --quiet
fresh; printf -- '\xef\xbb\xbf--- \ntitle: Bom\n---\t \n\nbody\n' >content/en/bom.md
expect_ok "BOM and trailing blanks after the fences" "printf '\\xef\\xbb\\xbf--- \\ntitle: Bom\\n---\\t \\n…' > content/en/bom.md; lossbook build" 'grep -q "<title>Bom" site/en/bom/index.html' "$lb" build --quiet
fresh; printf -- '---\ntitle: x\n---\n\nab\0cd\n\nbroken [link](nowhere.md)\n' >content/en/nul.md
expect_error "NUL byte" "printf '…ab\\0cd…' > content/en/nul.md; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: x\n---\n\nz\xffA\n' >content/en/bad.md
expect_error "invalid UTF-8" "printf '…z\\xffA' > content/en/bad.md; lossbook build" "$lb" build
fresh; mv content/en en-notes; ln -s ../en-notes content/en
expect_ok "language folder symlinked inside the project" "mv content/en en-notes; ln -s ../en-notes content/en; lossbook build" '[ -f site/en/formula/index.html ]' "$lb" build --quiet
fresh; cp -a content/en "$W/outside-en"; rm -rf content/en; ln -s "$W/outside-en" content/en
expect_error "language folder symlinked outside the project" "ln -s /elsewhere/en content/en; lossbook build" "$lb" build
fresh; ln -s dot.svg content/en/img/link.svg; echo '![l](img/link.svg)' >>content/en/formula.md
expect_ok "image symlinked inside the project" "ln -s dot.svg content/en/img/link.svg; lossbook build" 'cmp -s site/en/img/link.svg site/en/img/dot.svg' "$lb" build --quiet
fresh; cp content/en/img/dot.svg "$W/out.svg"; ln -s "$W/out.svg" content/en/img/out.svg; echo '![o](img/out.svg)' >>content/en/formula.md
expect_error "image symlinked outside the project" "ln -s /elsewhere/out.svg content/en/img/out.svg; lossbook build" "$lb" build
fresh; ln -s . content/en/img/loop
expect_error "symlink cycle in content" "ln -s . content/en/img/loop; lossbook build" "$lb" build
fresh; ln -s . templates/assets/loop
expect_error "asset folder symlinked to itself" "ln -s . templates/assets/loop; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: mine\nslug: reference\n---\n' >content/en/mine.md
expect_error "slug collides with a generated page" "echo 'slug: reference' in content/en/mine.md; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: mine\nslug: search-index.js\n---\n' >content/en/mine.md
expect_error "slug is a generated file" "echo 'slug: search-index.js' in content/en/mine.md; lossbook build" "$lb" build
fresh; mkdir -p content/en/reference; printf -- '---\ntitle: x\n---\n\n# x\n' >content/en/reference/x.md
expect_error "content/en/reference/x.md (not a catalog id)" "content/en/reference/x.md; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: a\n---\n' >content/en/a.md; printf -- '---\ntitle: b\nslug: a\n---\n' >content/en/b.md
expect_error "two notes, one output" "slug: a in content/en/b.md beside content/en/a.md; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: x\n---\n\n```loss-tabel focal\nvary: {p: [0.5]}\n```\n' >content/en/x.md
expect_error "misspelt block kind" "\`\`\`loss-tabel focal in a note; lossbook build" "$lb" build

# ---- 4. Bounded work
fresh; { printf -- '---\ntitle: x\n---\n\n```loss-table focal\nparams:\n  a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n'
  for k in 1 2 3 4 5 6 7 8; do printf '  a%d: &a%d [' $k $k; for j in 1 2 3 4 5 6 7 8 9; do printf '*a%d, ' $((k - 1)); done; printf '*a%d]\n' $((k - 1)); done
  printf '```\n'; } >content/en/x.md
T=60 expect_error "YAML alias bomb (10⁹ values)" "a loss-table block with params a0…a8 each 10 aliases of the last; lossbook build" "$lb" build
fresh; printf 'limits:\n  tensor_elements: 4\n' >>content/lossbook.yaml
printf -- '---\ntitle: x\n---\n\n```loss-table l1\ncases:\n  - input: [[1, 2, 3], [4, 5, 6]]\n    target: [[1, 2, 3], [4, 5, 6]]\n```\n' >content/en/x.md
expect_error "a tensor past tensor_elements (4)" "limits: tensor_elements: 4; a 6-number input in a loss-table case; lossbook build" "$lb" build
fresh; { printf -- '---\ntitle: x\n---\n\n'; head -c 12000000 /dev/zero | tr '\0' 'a'; echo; } >content/en/big.md
expect_error "a note past note_bytes (12 MB)" "a 12 MB note; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: x\n---\n\n```loss-table cross-entropy\ncases:\n  - label: bad\n    input: [[4.0, -1.0, 0.5]]\n    target: [0, 1]\n```\n' >content/en/x.md
expect_error "shape mismatch in a case" "target: [0, 1] for input [[4.0, -1.0, 0.5]]; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: x\n---\n\n```loss-table dice\nseries: {r: [0.5]}\nmask:\n  target: |\n    0 1\n    1 1 1\n  prediction: |\n    0 1\n    1 1\n```\n' >content/en/x.md
expect_error "ragged mask row" "a mask target whose second row has 3 cells; lossbook build" "$lb" build

# ---- 6. One line per error
fresh; printf -- '---\ntitle: a\nweight: 1\ntitle: b\n---\n' >content/en/x.md
expect_error "duplicate YAML key" "title: twice in front matter; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: x\n---\n\n$$\n\\frac{1}{\n  + b\n$$\n' >content/en/x.md
expect_error "multi-line display formula error" "\$\$\\n\\frac{1}{\\n  + b\\n\$\$; lossbook build" "$lb" build
fresh; printf -- '---\ntitle: x\n---\n\nSee $\\href{javascript:alert(1)}{b}$.\n' >content/en/x.md
expect_error "\\href{javascript:…}" "\$\\href{javascript:alert(1)}{b}\$; lossbook build" "$lb" build
fresh; printf '%s\n{{#open}}\n' "$(cat templates/404.mustache)" >templates/404.mustache
expect_error "template section unclosed at EOF" "echo '{{#open}}' >> templates/404.mustache; lossbook build" "$lb" build
fresh; printf '%s\n{{title' "$(cat templates/404.mustache)" >templates/404.mustache
expect_error "template tag unfinished at EOF" "printf '{{title' >> templates/404.mustache; lossbook build" "$lb" build
fresh; sed -i '0,/{{title}}/s//{{titel}}/' templates/page.mustache
expect_error "{{titel}}" "sed 's/{{title}}/{{titel}}/' templates/page.mustache; lossbook build" "$lb" build
fresh; echo '{{> no-such-partial}}' >>templates/page.mustache
expect_error "missing partial" "echo '{{> no-such-partial}}' >> templates/page.mustache; lossbook build" "$lb" build
fresh; rm -f templates/nav-item.mustache
expect_ok "nav-item.mustache removed (built-in theme's used)" "rm templates/nav-item.mustache; lossbook build" '[ -f site/en/formula/index.html ]' "$lb" build --quiet
fresh; echo '{{> loop}}' >templates/loop.mustache; echo '{{> loop}}' >>templates/page.mustache
expect_error "recursive partial" "echo '{{> loop}}' > templates/loop.mustache (and used); lossbook build" "$lb" build
fresh; chmod 000 content/en/formula.md
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod -R a+rX "$P"; chmod 777 "$P" "$P/.cache" 2>/dev/null; chmod 000 content/en/formula.md; chmod -R a+rwX .cache
  expect_error "permission denied on a note" "chmod 000 content/en/formula.md; lossbook build (as nobody)" setpriv --reuid=65534 --regid=65534 --clear-groups "$lb" build
fi
if [ "$(id -u)" = 0 ]; then
  fresh; mkdir -p "$W/small" && mount -t tmpfs -o size=64k tmpfs "$W/small" && mounts+=("$W/small")
  expect_error "full disk (64 KB tmpfs output)" "mount -t tmpfs -o size=64k tmpfs W/small; lossbook build --output W/small/site" "$lb" build --output "$W/small/site"
  fresh; mkdir -p "$W/ro" && mount -t tmpfs -o ro,size=64k tmpfs "$W/ro" && mounts+=("$W/ro")
  expect_error "read-only file system" "mount -t tmpfs -o ro tmpfs W/ro; lossbook build --output W/ro/site" "$lb" build --output "$W/ro/site"
fi
fresh
expect_error "ulimit -f (file size limit)" "cold-ish cache; (ulimit -f 8; lossbook build --output site2)" bash -c "rm -rf .cache/lossbook/pages .cache/lossbook/build-stamp; ulimit -f 8; exec '$lb' build --output site2"

# ---- 7. eval
fresh
eval_case() { # case, field the message must name, json: ok when eval exits 2 with one line naming the field
  printf '%s' "$3" >"$W/case.json"
  timeout -k 5 ${T:-120} "$lb" eval l2 --input "$W/case.json" >"$W/out" 2>"$W/err"; local rc=$?
  local verdict=ok
  [ "$rc" = 2 ] && [ "$(wc -l <"$W/err")" = 1 ] && grep -qF -- "$2" "$W/err" || verdict="BAD (wanted exit 2 and one line naming $2)"
  row "eval: $1" "lossbook eval l2 --input case.json  # $3" "$rc" "$(cat "$W/err" "$W/out")" "$verdict"
}
eval_case "shape product overflows" input.shape '{"input": {"shape": [4294967296, 4294967296, 4294967296], "data": [1]}, "target": {"shape": [1], "data": [1]}}'
eval_case "shape [1.5]" input.shape '{"input": {"shape": [1.5], "data": [1]}, "target": {"shape": [1], "data": [1]}}'
eval_case "shape [-1]" input.shape '{"input": {"shape": [-1], "data": []}, "target": {"shape": [1], "data": [1]}}'
eval_case "shape past tensor limit" input.shape '{"input": {"shape": [100000, 100000], "data": [1]}, "target": {"shape": [1], "data": [1]}}'
eval_case "data shorter than shape" input.data '{"input": {"shape": [3], "data": [1, 2]}, "target": {"shape": [3], "data": [1, 2, 3]}}'
eval_case "missing input" input '{"target": {"shape": [1], "data": [1]}}'
eval_case "not JSON" JSON '{"input": '
printf '%s' '{"input": {"shape": [2], "data": [NaN, Infinity]}, "target": {"shape": [2], "data": [0, -Infinity]}}' >"$W/case.json"
expect_ok "eval: NaN / Infinity on input" "lossbook eval l2 --input case.json  # data [NaN, Infinity]" 'grep -q "\"value\"" $W/out' "$lb" eval l2 --input "$W/case.json"

# ---- 5. serve
# A flag's value is a usage error (ArgumentParser's, exit 64) naming the flag, before any work.
expect_usage() { # case, shown, flag, command...
  local what=$1 shown=$2 flag=$3; shift 3
  timeout -k 5 ${T:-120} "$@" >"$W/out" 2>"$W/err"; local rc=$?
  local verdict=ok
  [ "$rc" = 64 ] && head -1 "$W/err" | grep -qF -- "$flag" || verdict="BAD (wanted exit 64 naming $flag)"
  row "$what" "$shown" "$rc" "$(head -1 "$W/err")" "$verdict"
}
for iv in -1 nan inf 0 1e-300; do
  fresh; T=20 expect_usage "serve --interval=$iv" "lossbook serve --port 0 --interval=$iv" --interval "$lb" serve --port 0 --interval="$iv"
done
fresh; T=20 expect_usage "serve --interval -1 (a separate word)" "lossbook serve --port 0 --interval -1" --interval "$lb" serve --port 0 --interval -1
fresh; python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)' >"$W/port" & holder=$!
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.1; done; held=$(cat "$W/port")
T=20 expect_error "port in use (found before building)" "lossbook serve --port (a port in use)" "$lb" serve --port "$held"
! grep -q ' built \|pages' "$W/out" "$W/err" || row "port in use: built first" "(same)" "-" "$(cat "$W/out")" BAD
kill $holder 2>/dev/null; wait $holder 2>/dev/null

# The hostile-client cases, against one server on the scratch project (a 200 MB file in the site).
fresh; head -c 200000000 /dev/zero >content/en/big.bin
"$lb" serve --port 0 >"$W/serve.log" 2>&1 & spid=$!
for _ in $(seq 600); do grep -qE ' built | build failed ' "$W/serve.log" && break; sleep 0.2; done
sport=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$W/serve.log" | head -1 | sed -E 's#.*:([0-9]+)/#\1#')
python3 - "$sport" "$spid" >"$W/serve.rows" <<'PY'
import socket, sys, time, threading, re
port, pid = int(sys.argv[1]), int(sys.argv[2])
def rss():
    return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1)) // 1024
def ask(head, read_body=False, timeout=30):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    t = time.perf_counter()
    try: s.sendall(head)
    except OSError: pass
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            c = s.recv(65536)
            if not c: break
            data += c
    except OSError as e:
        return f"({type(e).__name__})", {}, time.perf_counter() - t, b""
    dt = time.perf_counter() - t
    head_part = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {h.split(":", 1)[0].lower(): h.split(":", 1)[1].strip() for h in head_part[1:] if ":" in h}
    s.close()
    return head_part[0], headers, dt, data
def row(case, shown, status, printed, ok):
    print(f"{case}\t{shown}\t{status}\t{printed}\t{'ok' if ok else 'BAD'}")
st, h, dt, _ = ask(b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
row("serve: 1 MB request line", "GET /aaa…(1 MB) HTTP/1.1", "-", f"{st} in {dt*1000:.1f} ms", st.startswith("HTTP/1.1 414") and dt < 1)
st, h, dt, _ = ask(b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * (1 << 20) + b"\r\n\r\n")
row("serve: 1 MB header", "GET / with X-Long: (1 MB)", "-", f"{st} in {dt*1000:.1f} ms", st.startswith("HTTP/1.1 431") and dt < 1)
# slow clients: 50 half-sent heads held open; a plain request meanwhile
idle = []
for _ in range(50):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET / HTTP/1.1\r\nHost: "); idle.append(s)
st, h, dt, _ = ask(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
row("serve: 50 clients holding half-sent heads", "50 × 'GET / HTTP/1.1\\r\\nHost: ' then silence; then GET /", "-", f"{st} in {dt*1000:.1f} ms", st.startswith("HTTP/1.1 200") and dt < 1)
t = time.perf_counter(); closed = None
try:
    idle[0].settimeout(120)
    while idle[0].recv(4096): pass
    closed = time.perf_counter() - t
except OSError:
    pass
for s in idle: s.close()
row("serve: a silent client is dropped", "'GET / HTTP/1.1\\r\\nHost: ' then silence", "-", f"closed by the server after {closed:.0f} s" if closed is not None else "not closed within 120 s", closed is not None)
st, h, dt, data = ask(b"HEAD /en/formula/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
body_after = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
row("serve: HEAD", "HEAD /en/formula/", "-", f"{st}, Content-Length {h.get('content-length')}, {len(body_after)} body bytes", st.startswith("HTTP/1.1 200") and not body_after)
st, h, dt, _ = ask(b"GET /en/formula/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
etag = h.get("etag", ""); lm = h.get("last-modified", "")
st2, *_ = ask(f"GET /en/formula/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n".encode())
st3, *_ = ask(f"GET /en/formula/ HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: {lm}\r\nConnection: close\r\n\r\n".encode())
row("serve: conditional GET", "GET with If-None-Match / If-Modified-Since", "-", f"{st2}; {st3}", "304" in st2 and "304" in st3)
st, h, dt, data = ask(b"GET /no/such/page/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
row("serve: the site's 404.html with 404", "GET /no/such/page/", "-", f"{st}, {h.get('content-type')}", st.startswith("HTTP/1.1 404") and "html" in h.get("content-type", ""))
st, h, *_ = ask(b"GET /en/formula HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
row("serve: /page redirects to /page/", "GET /en/formula", "-", f"{st}, Location {h.get('location')}", st.split(" ")[1] in ("301", "302", "308") and (h.get("location") or "").endswith("/en/formula/"))
st, h, *_ = ask(b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
row("serve: path traversal", "GET /../../etc/passwd", "-", st, not st.startswith("HTTP/1.1 200"))
before = rss(); peak = before
def download():
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET /en/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    while True:
        c = s.recv(1 << 16)
        if not c: break
        time.sleep(0.0005)
    s.close()
threads = [threading.Thread(target=download) for _ in range(10)]
for t in threads: t.start()
while any(t.is_alive() for t in threads):
    peak = max(peak, rss()); time.sleep(0.05)
row("serve: 10 slow downloads of a 200 MB file", "10 × GET /en/big.bin, read slowly", "-", f"server RSS {before} MB before, {peak} MB at most during", peak - before < 100)
PY
while IFS=$'\t' read -r c s e p v; do row "$c" "$s" "$e" "$p" "$v"; done <"$W/serve.rows"
logged=$(grep -c 'GET ' "$W/serve.log")
row "serve: no request log without --verbose" "lossbook serve (after the requests above)" "-" "$logged request lines in the log" "$([ "$logged" = 0 ] && echo ok || echo BAD)"
kill $spid; wait $spid 2>/dev/null

# A first build that fails: the server says why on every page, not "not found".
fresh; printf -- '---\ntitle: x\n---\n\nbroken [link](nowhere.md)\n' >content/en/x.md; rm -rf site
"$lb" serve --port 0 >"$W/serve.log" 2>&1 & spid=$!
for _ in $(seq 300); do grep -qE ' built | build failed |error:' "$W/serve.log" && grep -qE 'http://127' "$W/serve.log" && break; sleep 0.2; done
sport=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$W/serve.log" | head -1 | sed -E 's#.*:([0-9]+)/#\1#')
answer=$(curl -s -i --max-time 5 "http://127.0.0.1:${sport:-1}/" | tr -d '\r' | head -c 20000)
status=$(printf '%s' "$answer" | head -1)
row "serve: a failed first build" "lossbook serve with a broken link, then GET /" "-" "$status; $(printf '%s' "$answer" | grep -o 'nowhere.md[^<]*' | head -1)" \
  "$(printf '%s' "$answer" | grep -q 'nowhere.md' && echo ok || echo BAD)"
kill $spid 2>/dev/null; wait $spid 2>/dev/null
echo
echo "$n cases; load average $(cut -d' ' -f1-3 /proc/loadavg); binary $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null) ($lb)."
