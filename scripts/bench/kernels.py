#!/usr/bin/env python3
"""Peer side of the loss-kernel benchmark: PyTorch / MONAI / SciPy on the problem loss-bench builds.

Usage: kernels.py [--shape 2,4,96,96,96] [--reps 3] [--threads T] [--cases dice,focal,...] [--clock wall|cpu]

Prints the same lines as loss-bench: `case mode rep milliseconds peak-extra-MiB`, the milliseconds
of wall-clock time or, with --clock cpu, of the process's CPU time (every thread), and the peak extra
memory being the growth of the process's peak resident set during the call (VmHWM after
resetting it through /proc/self/clear_refs). torch runs on --threads threads (default: the number
of CPUs, as loss-bench), reported on the first line.
"""
import argparse
import os
import time

import numpy as np
import torch
import monai.losses as ml
from scipy import ndimage


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    return status("VmRSS:")


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def problem(shape):
    """Element for element what KernelBench.problem builds (see there)."""
    n_, c_, spatial = shape[0], shape[1], shape[2:]
    grids = np.meshgrid(*[np.arange(s, dtype=np.float64) for s in spatial], indexing="ij")
    labels = np.empty((n_, *spatial), dtype=np.float32)
    for n in range(n_):
        r2 = sum((g - size / 2 + n * 3) ** 2 for g, size in zip(grids, spatial))
        labels[n] = (np.sqrt(r2) / 12).astype(np.int64) % c_
    s = np.arange(int(np.prod(spatial)))
    logits = np.empty((n_, c_, *spatial), dtype=np.float32)
    for n in range(n_):
        for c in range(c_):
            ripple = np.sin(0.37 * (s % 9973) + c).astype(np.float32).reshape(spatial)
            logits[n, c] = np.float32(0.5) * ripple + np.where(labels[n] == c, np.float32(2), np.float32(0))
    return torch.from_numpy(logits), torch.from_numpy(labels)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="2,4,96,96,96")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--cases", default=None)
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    a = ap.parse_args()
    shape = [int(v) for v in a.shape.split(",")]
    torch.set_num_threads(a.threads)
    print(f"# threads {torch.get_num_threads()} shape {a.shape} clock {a.clock} torch {torch.__version__}", flush=True)
    clock = time.process_time if a.clock == "cpu" else time.perf_counter
    x, labels = problem(shape)
    y_index = labels.long()          # [N, spatial…] for torch's cross entropy
    y_monai = labels[:, None]        # [N, 1, spatial…] for MONAI's to_onehot_y
    c_ = shape[1]
    losses = {
        "cross-entropy": (lambda x: torch.nn.functional.cross_entropy(x, y_index)),
        # As the catalog's peer: C · MONAI's (class-mean) softmax focal loss.
        "focal": (lambda f: (lambda x: c_ * f(x, y_monai)))(ml.FocalLoss(use_softmax=True, to_onehot_y=True, gamma=2.0)),
        "dice": (lambda f: lambda x: f(x, y_monai))(ml.DiceLoss(softmax=True, to_onehot_y=True)),
        "dice-ce": (lambda f: lambda x: f(x, y_monai))(ml.DiceCELoss(softmax=True, to_onehot_y=True)),
        "tversky": (lambda f: lambda x: f(x, y_monai))(ml.TverskyLoss(softmax=True, to_onehot_y=True)),
        "generalized-dice": (lambda f: lambda x: f(x, y_monai))(ml.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)),
        "hausdorff-dt": (lambda f: lambda x: f(x, y_monai))(ml.HausdorffDTLoss(softmax=True, to_onehot_y=True, include_background=False)),
        "boundary": (lambda f: lambda x: f(x, y_monai))(ml.BoundaryLoss(softmax=True, to_onehot_y=True)),
    }
    only = set(a.cases.split(",")) if a.cases else None

    def timed(name, mode, body):
        body()
        for rep in range(a.reps):
            before = reset_peak()
            start = clock()
            body()
            ms = (clock() - start) * 1e3
            extra = max(0, status("VmHWM:") - before)
            print(f"{name} {mode} {rep} {ms:.3f} {extra / 1048576:.1f}", flush=True)

    for name, f in losses.items():
        if only is not None and name not in only:
            continue

        def forward():
            with torch.no_grad():
                f(x)

        def forward_backward():
            xg = x.detach().requires_grad_(True)
            f(xg).backward()

        timed(name, "fwd", forward)
        timed(name, "fwdbwd", forward_backward)
    if only is None or "edt" in only:
        mask = (labels[0] == 1).numpy()
        timed("edt", "fwd", lambda: ndimage.distance_transform_edt(mask))


if __name__ == "__main__":
    main()
