#!/usr/bin/env python3
"""Runs every XCTest of the package in parallel shards, one `swift test` process per shard.

What it does (`make test` runs it after `swift build --build-tests`)
    Lists the tests (`swift test list --skip-build`), splits the test classes into TEST_SHARDS
    shards (default 2) balanced by each class's seconds in a recorded run (`Tests/shard-times.tsv`),
    and runs one `swift test --skip-build --disable-swift-testing --filter '^(Module\\.Class|…)/'`
    per shard at once. A whole class stays in one process, in XCTest's order: its set-up and
    tear-down run as in a serial run; one process per test method (`swift test --parallel`) would
    start the test binary 505 times. Each shard's output goes to `.build/test-shards/shard-K.log`;
    when all have ended, each log is printed whole, one after the other, between banners.

    It fails when any shard fails, and when the tests that ran (each `Test Case '…' passed`,
    `failed` or `skipped` line of the logs) are not exactly the listed tests, each once, in its
    own shard: a crashed test binary or a class left out of every filter cannot pass unseen.

    A class that the recorded run does not know (a new one) weighs the recorded mean seconds of a
    test times its number of tests. The recorded seconds only balance the shards; a stale file
    makes the run slower, never wrong.

How to record the classes' seconds again (after a `make test`, from the repository root)
    scripts/test-shards.py --record .build/test-shards/shard-*.log
    # writes Tests/shard-times.tsv from the `Test Case … passed (S seconds)` lines of the logs
    # (a serial `swift test` log works too); then commit it

Environment
    SWIFT        the swift driver (default: swift)
    TEST_SHARDS  how many shards (default 2)
"""
import argparse
import datetime
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMES = ROOT / "Tests" / "shard-times.tsv"
LOGS = ROOT / ".build" / "test-shards"
SWIFT = os.environ.get("SWIFT", "swift")

# XCTest (swift-corelibs-xctest) ends each test case with one of these lines.
CASE_END = re.compile(r"^Test Case '([^']+)' (passed|failed|skipped) \((\d+(?:\.\d+)?) seconds\)", re.M)
SPECIFIER = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)/([A-Za-z_][A-Za-z0-9_]*)$")


def list_tests():
    """The package's tests as `Module.Class/method` specifiers, from the built test binary."""
    result = subprocess.run([SWIFT, "test", "list", "--skip-build"], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit("test-shards: error: `swift test list --skip-build` failed "
                 "(hint: build the tests first: swift build --build-tests)")
    tests = [line.strip() for line in result.stdout.splitlines() if SPECIFIER.match(line.strip())]
    if not tests:
        sys.exit("test-shards: error: `swift test list --skip-build` listed no tests")
    return tests


def case_name(specifier):
    """`Module.Class/method` as XCTest names it in its log on Linux: `Class.method`."""
    module, cls, method = SPECIFIER.match(specifier).groups()
    return f"{cls}.{method}"


def class_of(specifier):
    return specifier.split("/")[0]


def modules_of_cases(tests):
    """`Class.method` → `Module.Class`; fails when two modules share a class and a method name,
    since a log line could not then say which of them ran."""
    owner = {}
    for test in tests:
        name = case_name(test)
        if name in owner:
            sys.exit(f"test-shards: error: two tests log as '{name}' ({owner[name]} and {class_of(test)}); "
                     "rename one, or the logs cannot tell them apart")
        owner[name] = class_of(test)
    return owner


def read_times(path):
    times = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                seconds, cls = line.split("\t")
                times[cls] = float(seconds)
    return times


def weights(classes, times, counts):
    """Each class's expected seconds: recorded, or the recorded mean per test times its count."""
    known = [c for c in classes if c in times]
    per_test = (sum(times[c] for c in known) / sum(counts[c] for c in known)) if known else 1.0
    return {c: times[c] if c in times else per_test * counts[c] for c in classes}


def split(classes, weight, shards):
    """Greedy longest-first: each class, heaviest first, to the shard with the least so far."""
    bins = [[] for _ in range(shards)]
    loads = [0.0] * shards
    for cls in sorted(classes, key=lambda c: (-weight[c], c)):
        k = loads.index(min(loads))
        bins[k].append(cls)
        loads[k] += weight[cls]
    return [sorted(b) for b in bins if b], [l for l, b in zip(loads, bins) if b]


def filter_for(classes):
    return "^(" + "|".join(c.replace(".", r"\.") for c in classes) + ")/"


def descendants(pid):
    """The processes below `pid` (from /proc), children first."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, frontier = [], [pid]
    while frontier:
        frontier = [c for p in frontier for c in parents.get(p, [])]
        found += frontier
    return found


def runs_test_binary(pid):
    """Whether a process below `pid` is the package's test binary (`….xctest`)."""
    for child in descendants(pid):
        try:
            if b".xctest" in Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0]:
                return True
        except OSError:
            pass
    return False


def run_shards(shards, loads, counts):
    LOGS.mkdir(parents=True, exist_ok=True)
    for old in LOGS.glob("shard-*.log"):
        old.unlink()
    started = time.monotonic()
    running = {}
    children = []
    results = {}

    def reap():
        """Looks for a shard that ended; records its status, wall time and CPU time."""
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid in running:
            k, began = running.pop(pid)
            results[k] = (os.waitstatus_to_exitcode(status), time.monotonic() - began, usage.ru_utime + usage.ru_stime)
            print(f"test-shards: shard {k} ended with status {results[k][0]} after {results[k][1]:.0f} s "
                  f"({results[k][2]:.0f} s of CPU)", flush=True)

    def stop(signum, frame):
        # `swift test` runs the test binary in a process group of its own: each one is named.
        for process, *_ in children:
            for pid in [process.pid] + descendants(process.pid):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        sys.exit(f"test-shards: stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for k, classes in enumerate(shards, 1):
        log = LOGS / f"shard-{k}.log"
        # `swift test` holds the lock on .build until its tests end, so the shards ignore it; each
        # starts once the one before runs its test binary (`swift test list` planned the build).
        command = [SWIFT, "test", "--skip-build", "--disable-swift-testing", "--ignore-lock",
                   "--filter", filter_for(classes)]
        handle = open(log, "w")
        process = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        children.append((process, k, log, handle))
        running[process.pid] = (k, time.monotonic())
        print(f"test-shards: shard {k}/{len(shards)} started: {len(classes)} classes, "
              f"{sum(counts[c] for c in classes)} tests, {loads[k - 1]:.0f} s in the recorded run", flush=True)
        while process.pid in running and not runs_test_binary(process.pid):
            reap()
            time.sleep(0.2)
    # A line a minute says how far each shard is (its log is written in blocks, so it lags).
    next_report = time.monotonic() + 60
    while running:
        reap()
        time.sleep(0.5)
        if running and time.monotonic() >= next_report:
            next_report += 60
            done = [len(CASE_END.findall(log.read_text(errors="replace"))) for _, _, log, _ in children]
            print(f"test-shards: {time.monotonic() - started:.0f} s: "
                  + ", ".join(f"shard {k} {'ended' if k in results else f'{n} tests done'}"
                              for (_, k, _, _), n in zip(children, done)), flush=True)
    for _, _, _, handle in children:
        handle.close()
    return results, time.monotonic() - started


def check_ran(shards, tests):
    """The problems with what the logs say ran: each listed test exactly once, in its own shard."""
    expected = {}
    for k, classes in enumerate(shards, 1):
        members = set(classes)
        for test in tests:
            if class_of(test) in members:
                expected[case_name(test)] = k
    problems = []
    seen = Counter()
    outcomes = Counter()
    for k in range(1, len(shards) + 1):
        text = (LOGS / f"shard-{k}.log").read_text(errors="replace")
        for name, outcome, _ in CASE_END.findall(text):
            seen[name] += 1
            outcomes[outcome] += 1
            if name not in expected:
                problems.append(f"shard {k} ran '{name}', which `swift test list` does not list")
            elif expected[name] != k:
                problems.append(f"shard {k} ran '{name}', which belongs to shard {expected[name]}")
    for name in sorted(expected):
        if seen[name] == 0:
            problems.append(f"'{name}' (shard {expected[name]}) did not run")
        elif seen[name] > 1:
            problems.append(f"'{name}' ran {seen[name]} times")
    return problems, outcomes


def record(logs, tests):
    """Writes Tests/shard-times.tsv: each class's seconds, summed from its test cases in the logs."""
    owner = modules_of_cases(tests)
    seconds = defaultdict(float)
    cases = 0
    for log in logs:
        for name, _, duration in CASE_END.findall(Path(log).read_text(errors="replace")):
            if name in owner:
                seconds[owner[name]] += float(duration)
                cases += 1
    if not seconds:
        sys.exit("test-shards: error: no `Test Case '…' passed (S seconds)` line of a listed test in " + " ".join(logs))
    header = [
        "# Seconds of each test class in one recorded run: written by",
        "#   scripts/test-shards.py --record " + " ".join(logs),
        f"# from {cases} test cases on {datetime.date.today().isoformat()}. scripts/test-shards.py balances the",
        "# shards of `make test` by these numbers; only their ratios matter.",
    ]
    rows = [f"{seconds[c]:.3f}\t{c}" for c in sorted(seconds)]
    TIMES.write_text("\n".join(header + rows) + "\n")
    print(f"test-shards: wrote {os.path.relpath(TIMES, ROOT)}: {len(rows)} classes, {cases} test cases")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", nargs="+", metavar="LOG",
                        help="write Tests/shard-times.tsv from these logs instead of running the tests")
    parser.add_argument("--plan", action="store_true", help="print the shards and exit")
    args = parser.parse_args()

    tests = list_tests()
    if args.record:
        record(args.record, tests)
        return 0
    modules_of_cases(tests)
    counts = Counter(class_of(t) for t in tests)
    classes = sorted(counts)
    weight = weights(classes, read_times(TIMES), counts)
    shards, loads = split(classes, weight, max(1, int(os.environ.get("TEST_SHARDS", "2"))))
    if args.plan:
        for k, (members, load) in enumerate(zip(shards, loads), 1):
            print(f"shard {k}: {load:.0f} s, {sum(counts[c] for c in members)} tests: {' '.join(members)}")
        return 0

    results, wall = run_shards(shards, loads, counts)
    for k in range(1, len(shards) + 1):
        code, seconds, cpu = results[k]
        print(f"\n======== shard {k}/{len(shards)} ({len(shards[k - 1])} classes): status {code}, "
              f"{seconds:.0f} s, {cpu:.0f} s of CPU; log {os.path.relpath(LOGS / f'shard-{k}.log', ROOT)} ========")
        sys.stdout.write((LOGS / f"shard-{k}.log").read_text(errors="replace"))
        print(f"======== end of shard {k}/{len(shards)} ========", flush=True)

    problems, outcomes = check_ran(shards, tests)
    failed = [k for k in sorted(results) if results[k][0] != 0]
    print(f"\ntest-shards: {len(tests)} tests listed in {len(classes)} classes; ran: "
          + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
          + f"; {len(shards)} shards in {wall:.0f} s, "
          + f"{sum(r[2] for r in results.values()):.0f} s of CPU")
    for problem in problems:
        print(f"test-shards: error: {problem}", file=sys.stderr)
    for k in failed:
        print(f"test-shards: error: shard {k} failed (status {results[k][0]}): see its log above", file=sys.stderr)
    if problems or failed:
        return 1
    print("test-shards: every listed test ran exactly once, and none failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
