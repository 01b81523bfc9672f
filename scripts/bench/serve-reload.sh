#!/usr/bin/env bash
# Save-to-reload time of `lossbook serve`: edit a note, and time from the moment the file is
# written until the live-reload event (`event: reload` on /__lossbook/events) reaches a listening
# page. Prints each edit and the median.
# Usage: scripts/bench/serve-reload.sh [EDITS]
#   EDIT=prose (default) appends a sentence to the note; EDIT=block changes a number in the `vary:`
#   list of the note's first executable block without `expected:` (a new value each time, so the
#   block really runs again).
#   NOTE=en/loss-functions.md (default: the largest note of content/), LOSSBOOK=path skips the release build,
#   CONTENT=folder serves another content folder (e.g. gen_corpus.py --distinct-formulas OUT 500's).
# The notes are copied to a temporary folder (the repository's are never edited) and the site is
# written there; the formula and execution caches are the repository's (.cache/lossbook), warm
# as an author's are. Everything is on 127.0.0.1, on a port the system picks.
set -euo pipefail
edits=${1:-10}
source "$(dirname "$0")/serve-lib.sh"
content=${CONTENT:-$here/content}
note=${NOTE:-$(cd "$content" && find . -name '*.md' -not -path '*/reference/*' -printf '%s %P\n' | sort -n | tail -1 | cut -d' ' -f2)}
edit=${EDIT:-prose}
cp -R "$content" "$work/content"
start_serve --content "$work/content" --output "$work/site" --interval 0.05 ${VERBOSE:+--verbose}
cd "$here"

python3 - "$port" "$work/content/$note" "$edits" "$edit" "$pid" <<'PY'
import os, re, socket, statistics, sys, time
port, path, edits, kind, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
def cpu():
    """The server's user+sys seconds so far, or None where /proc is not there."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None
original = open(path, encoding="utf-8").read()
events = socket.create_connection(("127.0.0.1", port), timeout=120)
events.sendall(b"GET /__lossbook/events HTTP/1.1\r\nHost: bench\r\n\r\n")
pending = b""
def next_event():
    """The next event's name and data (heartbeat comments skipped)."""
    global pending
    while True:
        while b"\n\n" not in pending:
            chunk = events.recv(65536)
            if not chunk:
                sys.exit("the event stream closed")
            pending += chunk
        raw, pending = pending.split(b"\n\n", 1)
        fields = dict(line.split(b": ", 1) for line in raw.split(b"\n") if b": " in line and not line.startswith(b":"))
        if b"event" in fields:
            return fields[b"event"], fields.get(b"data", b"")
def generation(data):
    found = re.search(rb'"generation":(\d+)', data)
    return int(found.group(1)) if found else 0
name, data = next_event()
if name != b"hello":
    sys.exit("the event stream did not start with hello")
seen = generation(data)
def wait_for_reload():
    """Waits for a reload of a build newer than the last one seen: a reload left over from an
    earlier edit is never counted for this one."""
    global seen
    while True:
        name, data = next_event()
        if name == b"failed":
            sys.exit("a rebuild failed: " + data.decode())
        if name == b"reload" and generation(data) > seen:
            seen = generation(data)
            return
# The note is replaced whole by a rename, as most editors save, so the watcher never sees it half
# written (an in-place write of a long note takes several write calls; a rebuild in between would
# render a truncated page and its reload would be counted for the wrong edit).
staging = os.path.join(path.split("/content/")[0], ".bench-edit")
def save(text):
    with open(staging, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(staging, path)
def block_edit(text, i):
    """The first executable block without `expected:` whose `vary:` list starts with a decimal:
    that decimal gets two more digits (0.5 → 0.501, 0.502, …), a value the cache has not seen."""
    for block in re.finditer(r"^```(loss-table|loss-plot)[^\n]*\n(.*?)^```", text, re.M | re.S):
        body = block.group(2)
        vary = re.search(r"^vary: \{\w+: \[(\d+\.\d+)", body, re.M)
        if "expected:" in body or not vary:
            continue
        at = block.start(2) + vary.start(1)
        number = vary.group(1)
        return text[:at] + number + f"{i + 1:02d}" + text[at + len(number):]
    sys.exit("no executable block with a decimal vary: list and no expected: in " + path)
times, cpus = [], []
try:
    for i in range(edits):
        if kind == "block":
            text = block_edit(original, i)
        else:
            # A prose edit: one sentence of the note's last paragraph changes.
            text = original.rstrip("\n") + f"\n\n这是第 {i} 次基准测试编辑。\n"
        start, started = time.monotonic(), cpu()
        save(text)
        wait_for_reload()
        times.append(time.monotonic() - start)
        used = None if started is None else cpu() - started
        if used is not None:
            cpus.append(used)
        print(f"edit {i + 1}: {times[-1] * 1000:.0f} ms" + ("" if used is None else f" (server CPU {used * 1000:.0f} ms)"), flush=True)
        time.sleep(0.3)
finally:
    save(original)
print(f"save-to-reload median over {len(times)} {kind} edits of {path.split('/content/')[-1]}: {statistics.median(times) * 1000:.0f} ms"
      + (f", server CPU median {statistics.median(cpus) * 1000:.0f} ms" if cpus else "")
      + f" (load average {os.getloadavg()[0]:.2f})")
PY
echo "server log (one line per rebuild):"
grep -E "rebuilt|built|failed|^  " "$work/log" | tail -n 14
