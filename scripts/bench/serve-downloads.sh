#!/usr/bin/env bash
# What slow downloads cost `lossbook serve` in memory, and whether it grows with the file: for a
# small and a large file (default 50 and 400 MB), a fresh server, then READERS clients that each
# download the file at RATE KB/s for DURATION seconds (the same bytes read at both sizes) and hang up.
# Printed per size: the server's resident set before, its peak during (VmHWM, the kernel's
# high-water mark reset as the readers start, so no peak falls between samples), the growth, the growth per reader and the
# bytes the readers got; then the ratio of the two growths (about 1 when what a slow reader lets the
# server hold does not depend on the file's size, about 8 when the server reads ahead the whole file).
# Usage: scripts/bench/serve-downloads.sh [SMALL_MB LARGE_MB]   (default: 50 400)
#   READERS=10 RATE=1024 (KB/s each; 0 reads as fast as the client can, until the file's end)
#   DURATION=15 (seconds), LOSSBOOK=path skips the release build.
# The files are written into the served site after its first build (the build never copies them);
# everything is on 127.0.0.1, on a port the system picks.
set -euo pipefail
small=${1:-50} large=${2:-400}
readers=${READERS:-10} rate=${RATE:-1024} seconds=${DURATION:-15}
source "$(dirname "$0")/serve-lib.sh"
two_page_site 'A page.' '一页。'

echo "$readers readers at $([ "$rate" = 0 ] && echo "full speed" || echo "$rate KB/s") each for $seconds s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
for mb in "$small" "$large"; do
  start_serve --content "$work/content" --output "$work/site" --cache-dir "$work/cache"
  head -c "$((mb * 1000000))" /dev/urandom >"$work/site/big.bin"
  line=$(python3 - "$port" "$pid" "$mb" "$readers" "$rate" "$seconds" <<'PY'
import socket, sys, threading, time
port, pid, mb, readers, rate, seconds = (int(a) for a in sys.argv[1:])

def status(field):
    """A /proc/PID/status size in MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} for {pid}")

got = [0] * readers
def read(i):
    s = socket.socket()
    # A small receive buffer, so the client's kernel holds little and the server meets the wait.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        chunk = s.recv(16384)
        if not chunk:
            break
        got[i] += len(chunk)
        # Keep to `rate` KB/s on average (0: as fast as the client can).
        ahead = got[i] / (rate * 1024) - (time.monotonic() - start) if rate else 0
        if ahead > 0:
            time.sleep(ahead)
    s.close()

before = status("VmRSS")
# The high-water mark from here on, not the first build's.
open(f"/proc/{pid}/clear_refs", "w").write("5")
threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
for t in threads: t.start()
for t in threads: t.join()
peak = status("VmHWM")
print(f"{mb}\t{before:.0f}\t{peak:.0f}\t{peak - before:.0f}\t{(peak - before) / readers:.1f}\t{sum(got) / 1e6:.0f}")
PY
)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  rm -f "$work/site/big.bin"
  IFS=$'\t' read -r size before peak growth each got <<<"$line"
  printf '%5s MB file: RSS %s MB before, %s MB peak, +%s MB (%s MB per reader); readers got %s MB\n' \
    "$size" "$before" "$peak" "$growth" "$each" "$got"
  results+=("$growth")
done
python3 -c "import sys; a, b = (max(1, float(x)) for x in sys.argv[1:]); print(f'growth ratio {sys.argv[2]} / {sys.argv[1]} MB: {b / a:.2f} (file ratio {$large / $small:.0f})')" \
  "${results[0]}" "${results[1]}"
