#!/usr/bin/env python3
"""Replays every peer golden case through the `lossbook eval` command line.

The held-out acceptance check runs peer-computed cases through `lossbook eval`; this script does
the same with the committed fixtures (Tests/LossesTests/Fixtures/golden/*.json), so the CLI's JSON
reading, parameter handling and printing are checked end to end, not only the library.

Usage (plain Python 3, no packages needed):
    python3 scripts/golden/replay_cli.py [path/to/lossbook] [--verbose]

Each case's {"input", "target", "params"} is exactly the `lossbook eval` input format; distance
transforms (id "edt") go to `lossbook eval distance-transform` with the parameter `sampling`.
Values and gradients are compared with the tolerances stored in each case (see make_golden.py).
Exit status 1 if any case fails.
"""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Tests" / "LossesTests" / "Fixtures" / "golden"


def flat(value):
    """A number or {"shape", "data"} as (shape, data)."""
    if isinstance(value, dict):
        return value["shape"], value["data"]
    return [], [value]


def mismatch(ours, expected, rtol, atol, scale_atol=True):
    """First element outside |o − e| ≤ rtol·|e| + atol(·max(1, max|e|)), or None."""
    if len(ours) != len(expected):
        return f"{len(ours)} elements, expected {len(expected)}"
    scale = max([1.0] + [abs(e) for e in expected]) if scale_atol else 1.0
    for i, (o, e) in enumerate(zip(ours, expected)):
        if o is None or not abs(o - e) <= rtol * abs(e) + atol * scale:
            return f"element {i}: {o} vs {e}"
    return None


def run(binary, case):
    if case["id"] == "edt":
        loss_id = "distance-transform"
        params = {} if case.get("spacing") is None else {"sampling": case["spacing"]}
        payload = {"input": case["input"], "params": params}
        args = [binary, "eval", loss_id, "--input", "-"]
    else:
        payload = {"input": case["input"], "target": case["target"], "params": case["params"]}
        args = [binary, "eval", case["id"], "--input", "-"] + (["--grad"] if case.get("grad") else [])
    done = subprocess.run(args, input=json.dumps(payload), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return None, f"exit {done.returncode}: {done.stderr.strip()[:300]}"
    return json.loads(done.stdout), None


def main():
    binary = next((a for a in sys.argv[1:] if not a.startswith("--")), "lossbook")
    verbose = "--verbose" in sys.argv
    index = json.loads((GOLDEN / "index.json").read_text())
    failures, total = 0, 0
    for name in index["files"]:
        for case in json.loads((GOLDEN / name).read_text())["cases"]:
            total += 1
            out, error = run(binary, case)
            problems = []
            if error:
                problems.append(error)
            else:
                shape, data = flat(out["value"])
                e_shape, e_data = flat(case["value"])
                if shape != e_shape:
                    problems.append(f"value shape {shape}, expected {e_shape}")
                elif (m := mismatch(data, e_data, case["rtol"], case["atol"])):
                    problems.append(f"value {m}")
                if case.get("grad"):
                    g = out.get("grad")
                    if not g:
                        problems.append("no gradient printed")
                    elif (m := mismatch(g["data"], case["grad"]["data"], case["rtol"], case["grad_atol"], False)):
                        problems.append(f"gradient {m}")
            if problems:
                failures += 1
                print(f"FAIL {name}:{case['name']} ({case['peer']['call']}): " + "; ".join(problems))
            elif verbose:
                print(f"ok   {name}:{case['name']}")
    print(f"{total - failures} of {total} golden cases agree through `{binary} eval`")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
