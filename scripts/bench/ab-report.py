"""The report of a benchmark that alternates two binaries (prose-edit.sh, cold-ab.sh).

Usage: python3 ab-report.py TIMES "LOAD"
TIMES holds one line a build, `old|new WALL USER SYS` (seconds, as /usr/bin/time -f "%e %U %S"
or bash's `time` with TIMEFORMAT="%3R %3U %3S" write them after the side's name); CPU is user + sys. Prints each side's builds and medians, the
ratios new / old of the medians, and LOAD (the load average after the runs).
"""
import statistics
import sys

rows = {"old": [], "new": []}
for line in open(sys.argv[1]):
    side, wall, user, system = line.split()
    rows[side].append((float(wall), float(user) + float(system)))
medians = {side: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
           for side, values in rows.items()}
for side, values in rows.items():
    walls = " ".join(f"{w:.3f}" for w, _ in values)
    cpus = " ".join(f"{c:.3f}" for _, c in values)
    print(f"{side}: wall {walls} (median {medians[side][0]:.3f} s); CPU {cpus} (median {medians[side][1]:.3f} s)")
print(f"new / old: wall {medians['new'][0] / medians['old'][0]:.2f}, CPU {medians['new'][1] / medians['old'][1]:.2f}")
print(f"load average after the runs: {sys.argv[2]}")
