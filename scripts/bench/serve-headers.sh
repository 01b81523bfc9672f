#!/usr/bin/env bash
# `lossbook serve` under long and slow requests: the time to an answer for a request line or one
# header of growing size, and a normal request's time while hostile clients hold connections,
# each next to a plain `GET /` timed in the same run.
# Usage: scripts/bench/serve-headers.sh [SIZES_KB...]   (default: 1 8 16 64 128 1024)
#   LOSSBOOK=path skips the release build.
# The server builds a two-page site in a temporary folder and listens on 127.0.0.1 (a port the
# system picks). Printed per case: the answer's status line, milliseconds to the status line and
# the ratio to the plain request's median. Before the request-head guard, a 64 KB header took
# 3.3 s, 128 KB 15 s and 1 MB over two minutes (quadratic parsing), and two 400 KB requests
# stalled every other client for minutes.
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 8 16 64 128 1024)
source "$(dirname "$0")/serve-lib.sh"
two_page_site 'A page with $x^2$.' '一页，含 $x^2$。'
start_serve --content "$work/content" --output "$work/site" --cache-dir "$work/cache"
cd "$here"

python3 - "$port" "${sizes[@]}" <<'PY'
import socket, statistics, sys, threading, time
port, sizes = int(sys.argv[1]), [int(s) for s in sys.argv[2:]]

def ask(head, timeout=300):
    """Sends `head` (bytes) and returns (status line, seconds to it). The server may answer and
    close before it has read everything: the rest of the send then fails, which is expected."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    start = time.perf_counter()
    sender = threading.Thread(target=lambda: _send(s, head), daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    except (ConnectionResetError, socket.timeout) as error:
        return f"({type(error).__name__})", time.perf_counter() - start
    finally:
        elapsed = time.perf_counter() - start
        s.close()
    return answer.split(b"\r\n", 1)[0].decode("latin-1") or "(closed, no answer)", elapsed

def _send(s, data):
    try:
        s.sendall(data)
    except OSError:
        pass

plain = b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
def plain_median(n=20):
    return statistics.median(ask(plain)[1] for _ in range(n))

base = plain_median()
print(f"plain GET /: median {base * 1000:.2f} ms over 20 requests")
print(f"{'case':28} {'KB':>6} {'status':44} {'ms':>9} {'ratio':>8}")
for kb in sizes:
    n = kb * 1024
    for case, head in (("long request line", b"GET /" + b"a" * n + b" HTTP/1.1\r\nHost: bench\r\n\r\n"),
                       ("one long header", b"GET / HTTP/1.1\r\nHost: bench\r\nX-Long: " + b"a" * n + b"\r\n\r\n")):
        status, seconds = ask(head)
        print(f"{case:28} {kb:>6} {status:44} {seconds * 1000:>9.2f} {seconds / base:>8.1f}")

# Hostile clients holding connections: two sending 400 KB heads slowly, and 50 that send half a
# head and stop. A plain request's median while they hold on, against the idle median.
stop = threading.Event()
def slow_big():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nX-Big: ")
        for _ in range(100):
            if stop.is_set():
                break
            s.sendall(b"a" * 4096)
            time.sleep(0.05)
    except OSError:
        pass
idle = []
for _ in range(50):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"GET / HTTP/1.1\r\nHost: ")
    idle.append(s)
threads = [threading.Thread(target=slow_big, daemon=True) for _ in range(2)]
for t in threads:
    t.start()
time.sleep(0.2)
held = plain_median()
stop.set()
for s in idle:
    s.close()
print(f"plain GET / while 2 slow 400 KB heads and 50 half-sent heads hold connections: "
      f"median {held * 1000:.2f} ms, {held / base:.1f}x the idle median")
PY
