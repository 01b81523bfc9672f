#!/usr/bin/env bash
# Loss kernels against PyTorch / MONAI / SciPy, interleaved (ours, peer, ours, peer, …).
# Usage: scripts/bench/kernels.sh [ROUNDS] [REPS] [SHAPE…]
#   ROUNDS  process pairs per shape (default 3); REPS timed calls per case and process (default 3)
#   SHAPE   N,C,D,H,W (default: the issue's 2,4,96,96,96 and a smaller 2,4,48,48,48)
# Env: PYTHON (a Python with the pinned torch/MONAI/SciPy of scripts/golden/requirements.txt; default
#      .venv/bin/python, the golden environment of scripts/golden/make_golden.py, created from PyPI with
#      those pins when missing),
#      LOSS_BENCH=path skips the release build, THREADS (default nproc) for torch,
#      CLOCK=cpu times CPU time (user + system, all threads of the process) instead of wall time,
#      BASELINE=path another loss-bench (e.g. an older commit's) run in the same rounds, for a
#      before/after column, CASES=cross-entropy,dice,… a subset of the cases (default all).
# Prints, per shape, the median milliseconds of every case and mode over all rounds and reps,
# the ratio ours/peer, and the median peak extra memory (MiB) of one call on each side.
set -euo pipefail
rounds=${1:-3}
reps=${2:-3}
shift $(( $# > 2 ? 2 : $# )) || true
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(2,4,96,96,96 2,4,48,48,48)
here=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-}
if [ -z "$python" ]; then
  python=$here/.venv/bin/python
  if [ ! -x "$python" ]; then
    echo "creating .venv with the pinned peers (torch, MONAI, SciPy, NumPy) from scripts/golden/requirements.txt" >&2
    python3 -m venv "$here/.venv"
    grep -E '^(torch|monai|scipy|numpy)==' "$here/scripts/golden/requirements.txt" >"$here/.venv/peers.txt"
    "$here/.venv/bin/pip" install --quiet -r "$here/.venv/peers.txt"
  fi
fi
threads=${THREADS:-$(nproc)}
clock=${CLOCK:-wall}
bench=${LOSS_BENCH:-}
cases=()
[ -z "${CASES:-}" ] || cases=(--cases "$CASES")
if [ -z "$bench" ]; then
  "$here/scripts/build-release.sh" --product loss-bench >/dev/null
  bench=$here/.build/release/loss-bench
fi
# A fixed mmap threshold: glibc otherwise raises it after the first large free and serves later
# tensors from a heap that never shrinks, which hides them from the peak-RSS measurement.
export MALLOC_MMAP_THRESHOLD_=131072
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for shape in "${shapes[@]}"; do
  for r in $(seq "$rounds"); do
    if [ -n "${BASELINE:-}" ]; then "$BASELINE" --shape "$shape" --reps "$reps" --clock "$clock" "${cases[@]}" >> "$work/base-$shape"; fi
    "$bench" --shape "$shape" --reps "$reps" --clock "$clock" "${cases[@]}" >> "$work/ours-$shape"
    "$python" "$here/scripts/bench/kernels.py" --shape "$shape" --reps "$reps" --threads "$threads" --clock "$clock" "${cases[@]}" >> "$work/peer-$shape"
  done
done
"$python" - "$work" "${shapes[@]}" <<'PY'
import os, statistics, sys
work, shapes = sys.argv[1], sys.argv[2:]
def load(path):
    times, mems, header = {}, {}, ""
    for line in open(path):
        if line.startswith("#"):
            header = line[2:].strip(); continue
        name, mode, _, ms, mib = line.split()
        times.setdefault((name, mode), []).append(float(ms))
        mems.setdefault((name, mode), []).append(float(mib))
    return times, mems, header
for shape in shapes:
    ours, ours_mem, ours_h = load(f"{work}/ours-{shape}")
    peer, peer_mem, peer_h = load(f"{work}/peer-{shape}")
    print(f"\nshape {shape} | ours: {ours_h} | peer: {peer_h}")
    base_path = f"{work}/base-{shape}"
    base = load(base_path)[0] if os.path.exists(base_path) else None
    extra = f" {'base ms':>9} {'ratio':>6}" if base else ""
    print(f"{'case':18} {'mode':7}{extra} {'ours ms':>9} {'peer ms':>9} {'ratio':>6} {'ours MiB':>9} {'peer MiB':>9}")
    for key in ours:
        if key not in peer: continue
        o, p = statistics.median(ours[key]), statistics.median(peer[key])
        om, pm = statistics.median(ours_mem[key]), statistics.median(peer_mem[key])
        b = f" {statistics.median(base[key]):9.1f} {statistics.median(base[key]) / p:6.2f}" if base else ""
        print(f"{key[0]:18} {key[1]:7}{b} {o:9.1f} {p:9.1f} {o / p:6.2f} {om:9.1f} {pm:9.1f}")
PY
