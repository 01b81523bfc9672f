#!/usr/bin/env python3
"""Peer golden fixtures for lossbook's loss library.

What it does
    Computes, with the peer libraries themselves (PyTorch ``torch.nn`` / ``torch.nn.functional``,
    ``torchvision.ops.sigmoid_focal_loss``, MONAI ``monai.losses``, SciPy
    ``scipy.ndimage.distance_transform_edt``; and, where a catalog descriptor names them,
    scikit-learn, kornia, segmentation_models_pytorch and Keras 3 on the torch backend — optional,
    their cases are skipped when the package is missing), the value and the gradient with respect to the
    input of every catalog loss that has a peer, on seeded random inputs that include the edge
    cases the issue names (logits of ±1000, ignored labels, label smoothing, empty foreground,
    probabilities of exactly 0 and 1), and writes them as JSON fixtures that the Swift tests
    (``Tests/LossesTests/Peer*Tests.swift``) compare ``Losses`` with, without needing Python.

How to regenerate (from the repository root)
    python3 -m venv .venv
    .venv/bin/pip install -r scripts/golden/requirements.txt
    .venv/bin/python scripts/golden/make_golden.py
    # then: git add Tests/LossesTests/Fixtures/golden && git commit
    python3 scripts/golden/replay_cli.py path/to/lossbook   # optional: the same cases through the CLI

    The output is deterministic for the pinned versions (fixed seeds, float64 arithmetic).
    Only PyPI is needed: the default torch wheel runs on CPU (it also pulls CUDA libraries; where
    https://download.pytorch.org/whl/cpu is reachable, installing torch from there first is
    smaller). Peers missing from the environment are skipped and index.json says so.

Precision
    Inputs are drawn, rounded to a few decimals and stored as the decimal text; both sides
    read them as the nearest float32 (Swift ``Float(x)``, here ``np.float32(x)``), so the peer
    and ``Losses`` see bit-identical inputs. The peers then compute in float64, so the expected
    numbers are the exact answer for those float32 inputs, and the tolerance measures only our
    float32 error. (Exceptions, marked "precision": "float32": smp's Lovász code mixes in float32,
    Keras computes in float32, and MONAI's FocalLoss casts to float32 and its HausdorffDTLoss and
    BoundaryLoss build float32 distance maps; their numbers carry float32 rounding, still ≈ 100×
    inside the 1e-5 tolerance.) Where a peer's unreduced shape differs from ours only by
    singleton axes (MONAI's [N, C, 1, 1]), the expected array is stored in our shape.

Schema (``Tests/LossesTests/Fixtures/golden/<library>.json``)
    {
      "schema": 1, "library": "pytorch" | "torchvision" | "monai" | "scipy" | "sklearn" | "kornia" | "smp" | "keras",
      "versions": {"torch": "...", "monai": "...", "scipy": "...", "numpy": "...", ...},
      "cases": [
        {
          "name": unique case name,
          "id": our catalog id (for distance transforms: "edt"),
          "params": {name: value} in our catalog's names (always explicit where they matter),
          "peer": {"library": ..., "call": the exact peer call that produced the numbers},
          "factor": number (optional): expected = factor × peer output, for a documented
                    constant difference of convention (see "note"),
          "note": why the case exists / any conversion (optional),
          "precision": "float32" (optional): the peer computed (partly) in float32 — smp's Lovász,
                       Keras, MONAI's FocalLoss / DiceFocalLoss / HausdorffDTLoss / BoundaryLoss /
                       DiceLoss(squared_pred=True) —
                       so its numbers carry float32 rounding (≈ 1e-7 relative),
          "input": {"shape": [...], "data": [...]},
          "target": {"shape": [...], "data": [...]} or null,
          "spacing": [...] (distance transforms only),
          "value": number (reduction mean/sum) or {"shape", "data"} (reduction none, our
                   unreduced shape),
          "grad": {"shape", "data"}: ∂(Σ value)/∂input, or null where the peer gives none
                  (sklearn; distance transforms),
          "rtol": relative tolerance, "atol": absolute tolerance for the value,
          "grad_atol": absolute tolerance for the gradient
        }, ...
      ]
    }
    A value element x passes when |ours − x| ≤ rtol·|x| + atol·max(1, max|value|), a gradient
    element g when |ours − g| ≤ rtol·|g| + grad_atol. rtol = 1e-5 (the issue's criterion);
    atol = 1e-6 and grad_atol = 1e-6 × max|grad| (1e-5 × max|grad| for the float32 peers,
    whose own gradients are rounded in float32): float32 keeps about 7 digits of the largest
    element, so an element far below the largest one (1 − Dice near 0, softmax gradients p − y
    that cancel) cannot be compared relatively. Observed: the largest relative value error over
    all cases is ≈ 1.3e-7, so float32 uses about 1 % of the budget.

    ``index.json`` lists every catalog id with its peer calls and case count, or "peer": null
    and the reason, so the site can say which numbers a peer library checks.
"""
from __future__ import annotations

import json
import warnings
import math
import pathlib
import sys

import numpy as np
import scipy
import scipy.ndimage
import torch
import torch.nn.functional as F

try:
    import monai
    from monai import losses as ml
except ImportError:  # pragma: no cover
    monai = None
try:
    import torchvision
    from torchvision.ops import sigmoid_focal_loss as tv_sigmoid_focal_loss
except ImportError:  # pragma: no cover
    torchvision = None
# Peers the descriptors also name (optional: their cases are skipped when not installed).
try:
    import sklearn
    import sklearn.metrics
except ImportError:  # pragma: no cover
    sklearn = None
try:
    import kornia
except ImportError:  # pragma: no cover
    kornia = None
try:
    import segmentation_models_pytorch as smp
except ImportError:  # pragma: no cover
    smp = None
try:
    import os
    os.environ.setdefault("KERAS_BACKEND", "torch")  # keras 3 on the torch backend: autograd gives gradients
    import keras
    keras.config.set_floatx("float64")
except ImportError:  # pragma: no cover
    keras = None

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "LossesTests" / "Fixtures" / "golden"
RTOL = 1e-5
ATOL = 1e-6

torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", category=UserWarning)
rng = np.random.default_rng(20261129)

CASES: dict[str, list] = {"pytorch": [], "torchvision": [], "monai": [], "scipy": [], "sklearn": [], "kornia": [], "smp": [],
                          "keras": []}
PEERS: dict[str, set] = {}


# MARK: - Inputs


def f32(values, decimals=3):
    """Rounded to `decimals`, as the float32 both sides will read."""
    return np.asarray(np.round(np.asarray(values, dtype=np.float64), decimals), dtype=np.float32)


def logits(shape, scale=2.0):
    return f32(rng.normal(0, scale, size=shape))


def labels(shape, classes):
    return rng.integers(0, classes, size=shape).astype(np.float32)


def probabilities(shape, axis=1):
    z = rng.normal(0, 1.5, size=shape)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return f32(e / e.sum(axis=axis, keepdims=True), 4)


def one_hot(idx, classes):
    """[N, spatial…] class indices → [N, C, spatial…] one-hot (float64)."""
    t = torch.as_tensor(idx, dtype=torch.long)
    return F.one_hot(t, classes).movedim(-1, 1).to(torch.float64)


def encode(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": [float(x) for x in a.ravel().astype(np.float64)]}


def encode_input(a32):
    """Inputs as the short decimal text they were rounded to (read back as float32)."""
    a = np.asarray(a32, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(np.format_float_positional(x, unique=True, trim="-")) for x in a.ravel()]}


def encode_output(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(f"{x:.12g}") for x in a.ravel()]}


# MARK: - Cases


def add(library, name, loss_id, params, call, fn, x, t, *, reduction=None, out_shape=None, factor=None,
        note=None, grad=True, dtype=np.float64):
    """Runs `fn(x64, t64)` (a float64 tensor result), records value and ∂(Σ value)/∂x.
    `dtype=np.float32` for a peer that cannot run in float64 (its numbers then carry float32
    rounding, ≈ 1e-7 relative, still far inside the 1e-5 tolerance)."""
    xt = torch.tensor(np.asarray(x, dtype=dtype), requires_grad=True)
    tt = None if t is None else torch.tensor(np.asarray(t, dtype=dtype))
    out = fn(xt, tt)
    if factor is not None:
        out = out * factor
    g = torch.autograd.grad(out.sum(), xt)[0].detach().numpy() if grad else None
    value = out.detach().numpy()
    if not np.all(np.isfinite(value)) or (g is not None and not np.all(np.isfinite(g))):
        raise SystemExit(f"{name}: peer gave a non-finite result; JSON cannot hold it")
    params = dict(params)
    if reduction is not None:
        params["reduction"] = reduction
    if params.get("reduction", "mean") == "none":
        v = value.reshape(out_shape) if out_shape is not None else value
        encoded_value = encode_output(v)
    else:
        encoded_value = float(f"{float(value):.12g}")
    case = {
        "name": name, "id": loss_id, "params": params,
        "peer": {"library": library, "call": call},
        "input": encode_input(x), "target": None if t is None else encode_input(t),
        "value": encoded_value,
        "grad": None if g is None else encode_output(g),
        "rtol": RTOL, "atol": ATOL,
        "grad_atol": None if g is None else ATOL * max(float(np.abs(g).max()), 1e-30),
    }
    if factor is not None:
        case["factor"] = factor
    if dtype != np.float64 or any(k in call for k in FLOAT32_INSIDE):
        case["precision"] = "float32"
        # The peer's own float32 gradient carries ≈ 1e-7 of its largest term: ten times the room.
        if case["grad_atol"] is not None:
            case["grad_atol"] *= 10
    if note:
        case["note"] = note
    CASES[library].append(case)
    PEERS.setdefault(loss_id, set()).add(f"{library}: {call.split('(')[0].split(':')[0]}")


REDUCTIONS = ["mean", "sum", "none"]

# MONAI calls that compute part of the loss in float32 even on float64 input: FocalLoss casts
# its input with `.float()`, HausdorffDTLoss and BoundaryLoss build their distance maps in
# float32, and DiceLoss(squared_pred=True) takes the 2-norm of its float32 one-hot target and
# squares it again (√G² ≠ G in float32). Their numbers carry float32 rounding (≈ 1e-7 relative);
# found by comparing the Double reference with every case
# (PeerGoldenTests.testReferenceMatchesEveryGoldenCase).
FLOAT32_INSIDE = ("FocalLoss", "HausdorffDTLoss", "BoundaryLoss", "squared_pred=True")


def torch_elementwise():
    shape = (3, 4, 5)
    x, y = f32(rng.normal(0, 1.5, shape)), f32(rng.normal(0, 1.5, shape))
    for r in REDUCTIONS:
        add("pytorch", f"l1-{r}", "l1", {}, f"torch.nn.L1Loss(reduction='{r}')",
            lambda a, b, r=r: F.l1_loss(a, b, reduction=r), x, y, reduction=r)
        add("pytorch", f"l2-{r}", "l2", {}, f"torch.nn.MSELoss(reduction='{r}')",
            lambda a, b, r=r: F.mse_loss(a, b, reduction=r), x, y, reduction=r)
    for beta in [1.0, 0.5, 0.0]:
        for r in REDUCTIONS:
            add("pytorch", f"smooth-l1-beta{beta}-{r}", "smooth-l1", {"beta": beta},
                f"torch.nn.SmoothL1Loss(beta={beta}, reduction='{r}')",
                lambda a, b, r=r, beta=beta: F.smooth_l1_loss(a, b, beta=beta, reduction=r), x, y, reduction=r)
    for delta in [1.0, 0.3, 2.5]:
        for r in REDUCTIONS:
            add("pytorch", f"huber-delta{delta}-{r}", "huber", {"delta": delta},
                f"torch.nn.HuberLoss(delta={delta}, reduction='{r}')",
                lambda a, b, r=r, d=delta: F.huber_loss(a, b, delta=d, reduction=r), x, y, reduction=r)
    # Margin targets ±1, large scores included. torch computes log(1 + exp(−yx)) directly, so
    # ±1000 overflows to inf there (ours is stable); ±50 is as far as the peer stays finite.
    xm = f32(rng.normal(0, 2, (4, 6)))
    xm[0, :3] = [50, -50, 0]
    ym = np.where(rng.random((4, 6)) < 0.5, -1.0, 1.0).astype(np.float32)
    for r in REDUCTIONS:
        add("pytorch", f"soft-margin-{r}", "soft-margin", {}, f"torch.nn.SoftMarginLoss(reduction='{r}')",
            lambda a, b, r=r: F.soft_margin_loss(a, b, reduction=r), xm, ym, reduction=r)


def torch_kl():
    shape = (3, 5)
    logq = torch.log_softmax(torch.tensor(rng.normal(0, 1, shape)), 1).numpy()
    x = f32(logq, 4)
    t = probabilities(shape)
    t[0, 1] = 0  # 0 · log 0 = 0
    for r in REDUCTIONS:
        add("pytorch", f"kl-divergence-{r}", "kl-divergence", {"log_target": False},
            f"torch.nn.KLDivLoss(reduction='{r}', log_target=False)",
            lambda a, b, r=r: F.kl_div(a, b, reduction=r, log_target=False), x, t, reduction=r)
    add("pytorch", "kl-divergence-batchmean", "kl-divergence", {"log_target": False},
        "torch.nn.KLDivLoss(reduction='batchmean', log_target=False)",
        lambda a, b: F.kl_div(a, b, reduction="batchmean", log_target=False), x, t, reduction="batchmean")
    lt = f32(np.log(probabilities(shape)), 4)
    add("pytorch", "kl-divergence-log-target", "kl-divergence", {"log_target": True},
        "torch.nn.KLDivLoss(reduction='mean', log_target=True)",
        lambda a, b: F.kl_div(a, b, reduction="mean", log_target=True), x, lt, reduction="mean")


def torch_bce():
    shape = (4, 3)
    x = logits(shape, 3)
    x[0] = [1000, -1000, 0]
    x[1] = [-1000, 1000, 100]
    t = (rng.random(shape) < 0.5).astype(np.float32)
    t[0] = [0, 1, 1]
    t[1] = [0, 1, 1]
    soft = f32(rng.random(shape), 3)
    w = [0.5, 1.0, 2.0]
    pw = [3.0, 1.0, 0.25]
    for r in REDUCTIONS:
        add("pytorch", f"bce-{r}", "binary-cross-entropy", {}, f"torch.nn.BCEWithLogitsLoss(reduction='{r}')",
            lambda a, b, r=r: F.binary_cross_entropy_with_logits(a, b, reduction=r), x, t, reduction=r)
        add("pytorch", f"bce-weights-{r}", "binary-cross-entropy", {"weight": w, "pos_weight": pw},
            f"torch.nn.BCEWithLogitsLoss(weight=torch.tensor({w}), pos_weight=torch.tensor({pw}), reduction='{r}')",
            lambda a, b, r=r: F.binary_cross_entropy_with_logits(
                a, b, weight=torch.tensor(w), pos_weight=torch.tensor(pw), reduction=r), x, soft, reduction=r)


def torch_bce_channels():
    """Rank-4 input: our per-channel lists are torch tensors shaped [C, 1, 1] (axis 1)."""
    shape = (2, 3, 2, 4)
    x = logits(shape, 3)
    t = (rng.random(shape) < 0.4).astype(np.float32)
    pw = [2.0, 0.5, 1.0]
    w = [1.0, 0.25, 3.0]
    add("pytorch", "bce-4d-channel-weights", "binary-cross-entropy", {"weight": w, "pos_weight": pw},
        f"torch.nn.BCEWithLogitsLoss(weight=torch.tensor({w}).view(3, 1, 1), pos_weight=torch.tensor({pw}).view(3, 1, 1))",
        lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=torch.tensor(w).view(3, 1, 1),
                                                        pos_weight=torch.tensor(pw).view(3, 1, 1)), x, t, reduction="mean",
        note="per-channel lists act on axis 1; torch needs them shaped [C, 1, 1] for that")


def torch_bce_probabilities():
    shape = (4, 3)
    p = f32(rng.uniform(0.02, 0.98, shape), 3)
    p[0] = [0.0, 1.0, 0.5]  # exactly 0 and 1: torch clamps log at −100
    t = (rng.random(shape) < 0.5).astype(np.float32)
    t[0] = [1, 0, 1]
    w = [0.5, 1.0, 2.0]
    for r in REDUCTIONS:
        add("pytorch", f"bce-probabilities-{r}", "binary-cross-entropy", {"activation": "none", "weight": w},
            f"torch.nn.BCELoss(weight=torch.tensor({w}), reduction='{r}')",
            lambda a, b, r=r: F.binary_cross_entropy(a, b, weight=torch.tensor(w), reduction=r), p, t, reduction=r)


def torch_perceptual():
    """The catalog's fixed filter bank as depthwise conv2d (the descriptor's peer composition)."""
    kernels = torch.tensor([
        [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
        [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    ], dtype=torch.float64)
    shape = (2, 3, 5, 6)
    x, y = f32(rng.normal(0, 1, shape)), f32(rng.normal(0, 1, shape))
    C = shape[1]

    def perceptual(a, b, w, reduction):
        per_sample = 0
        for l in range(4):
            k = kernels[l].expand(C, 1, 3, 3)
            d = F.conv2d(a, k, padding=1, groups=C) - F.conv2d(b, k, padding=1, groups=C)
            per_sample = per_sample + w[l] * (d ** 2).mean(dim=(1, 2, 3))
        return {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}[reduction]

    for w in [[1.0, 1.0, 1.0, 1.0], [0.5, 2.0, 0.0, 1.0]]:
        for r in REDUCTIONS:
            add("pytorch", f"perceptual-{w}-{r}", "perceptual", {"layer_weights": w},
                f"torch.nn.functional.conv2d filter bank: sum(w[l] * F.mse_loss(F.conv2d(x, K[l].expand(C, 1, 3, 3), padding=1, groups=C), "
                f"F.conv2d(y, K[l].expand(C, 1, 3, 3), padding=1, groups=C)) for l in range(4)), w={w}, per sample for '{r}'",
                lambda a, b, w=w, r=r: perceptual(a, b, w, r), x, y, reduction=r)


def torch_cross_entropy():
    # [N, C]
    x = logits((6, 4))
    t = labels((6,), 4)
    for r in REDUCTIONS:
        add("pytorch", f"ce-2d-{r}", "cross-entropy", {}, f"torch.nn.CrossEntropyLoss(reduction='{r}')",
            lambda a, b, r=r: F.cross_entropy(a, b.long(), reduction=r), x, t, reduction=r)
    # K-dimensional, weights, ignored labels, label smoothing.
    x = logits((2, 3, 4, 5))
    t = labels((2, 4, 5), 3)
    t[0, 0, :3] = 255
    t[1, 2, 1] = 255
    w = [0.2, 1.0, 3.0]
    for eps in [0.0, 0.1]:
        for r in REDUCTIONS:
            params = {"weight": w, "ignore_index": 255, "label_smoothing": eps}
            add("pytorch", f"ce-kdim-w-ignore-ls{eps}-{r}", "cross-entropy", params,
                f"torch.nn.CrossEntropyLoss(weight=torch.tensor({w}), ignore_index=255, label_smoothing={eps}, reduction='{r}')",
                lambda a, b, r=r, eps=eps: F.cross_entropy(a, b.long(), weight=torch.tensor(w), ignore_index=255,
                                                           label_smoothing=eps, reduction=r), x, t, reduction=r)
    # Default ignore_index −100.
    t2 = labels((2, 4, 5), 3)
    t2[0, 1, :] = -100
    add("pytorch", "ce-kdim-ignore-default", "cross-entropy", {}, "torch.nn.CrossEntropyLoss()",
        lambda a, b: F.cross_entropy(a, b.long()), x, t2, reduction="mean")
    # Every target ignored: sum is 0 (mean is NaN in torch and is not a fixture).
    t3 = np.full((2, 4, 5), -100, dtype=np.float32)
    add("pytorch", "ce-all-ignored-sum", "cross-entropy", {}, "torch.nn.CrossEntropyLoss(reduction='sum')",
        lambda a, b: F.cross_entropy(a, b.long(), reduction="sum"), x, t3, reduction="sum")
    # Extreme logits.
    xe = np.array([[1000, -1000, 0], [-1000, 1000, 0], [0, 0, 1000], [-1000, -1000, 1000]], dtype=np.float32)
    te = np.array([1, 1, 0, 2], dtype=np.float32)
    for eps in [0.0, 0.2]:
        add("pytorch", f"ce-extreme-ls{eps}", "cross-entropy", {"label_smoothing": eps},
            f"torch.nn.CrossEntropyLoss(label_smoothing={eps})",
            lambda a, b, eps=eps: F.cross_entropy(a, b.long(), label_smoothing=eps), xe, te, reduction="mean")
    # Probability targets, with weights and smoothing.
    xp = logits((3, 4, 2, 3))
    tp = probabilities((3, 4, 2, 3))
    w4 = [1.0, 0.5, 2.0, 1.5]
    for eps in [0.0, 0.05]:
        for r in REDUCTIONS:
            add("pytorch", f"ce-prob-w-ls{eps}-{r}", "cross-entropy", {"weight": w4, "label_smoothing": eps},
                f"torch.nn.CrossEntropyLoss(weight=torch.tensor({w4}), label_smoothing={eps}, reduction='{r}')",
                lambda a, b, r=r, eps=eps: F.cross_entropy(a, b, weight=torch.tensor(w4), label_smoothing=eps,
                                                           reduction=r), xp, tp, reduction=r)
    # weighted-cross-entropy without weight: the batch's balanced weights M / (C·M_c), i.e.
    # sklearn's compute_class_weight("balanced") of the batch labels, passed to torch.
    tb = labels((2, 4, 5), 3)
    tb[0, 0, :] = 0
    counts = np.array([(tb == c).sum() for c in range(3)], dtype=np.float64)
    balanced = [float(counts.sum() / (3 * m)) if m > 0 else 0.0 for m in counts]
    for r in REDUCTIONS:
        add("pytorch", f"wce-balanced-{r}", "weighted-cross-entropy", {},
            f"torch.nn.CrossEntropyLoss(weight=torch.tensor(M / (C * M_c)) = {[round(b, 6) for b in balanced]}, reduction='{r}')",
            lambda a, b, r=r: F.cross_entropy(a, b.long(), weight=torch.tensor(balanced), reduction=r), x, tb, reduction=r,
            note="default weights: the batch's balanced weights M/(C·M_c), computed here from the labels")
    # weighted-cross-entropy is cross entropy with class weights.
    for r in REDUCTIONS:
        add("pytorch", f"wce-{r}", "weighted-cross-entropy", {"weight": w},
            f"torch.nn.CrossEntropyLoss(weight=torch.tensor({w}), reduction='{r}')",
            lambda a, b, r=r: F.cross_entropy(a, b.long(), weight=torch.tensor(w), reduction=r),
            x, labels((2, 4, 5), 3), reduction=r)


def focal_cases():
    shape = (2, 3, 4, 4)
    x = logits(shape, 2.5)
    x[0, :, 0, 0] = [1000, -1000, 0]
    t = (rng.random(shape) < 0.4).astype(np.float32)
    if torchvision is not None:
        for alpha in [0.25, -1]:
            for r in REDUCTIONS:
                params = {"activation": "sigmoid", "gamma": 2.0}
                params["alpha"] = [alpha] if alpha >= 0 else []
                add("torchvision", f"focal-sigmoid-alpha{alpha}-{r}", "focal", params,
                    f"torchvision.ops.sigmoid_focal_loss(alpha={alpha}, gamma=2.0, reduction='{r}')",
                    lambda a, b, r=r, al=alpha: tv_sigmoid_focal_loss(a, b, alpha=al, gamma=2.0, reduction=r),
                    x, t, reduction=r)
        # γ < 1: (1 − p_t)^γ has an infinite slope at p_t = 1, so no saturated logits here.
        add("torchvision", "focal-sigmoid-gamma0.5", "focal", {"activation": "sigmoid", "gamma": 0.5, "alpha": [0.6]},
            "torchvision.ops.sigmoid_focal_loss(alpha=0.6, gamma=0.5, reduction='mean')",
            lambda a, b: tv_sigmoid_focal_loss(a, b, alpha=0.6, gamma=0.5, reduction="mean"), logits(shape, 2.5), t,
            reduction="mean")
    if monai is not None:
        C = shape[1]
        idx = labels((2, 4, 4), C)
        for alpha, ours_alpha, gamma in [(None, [], 2.0), (0.25, [0.25], 2.0), ([0.2, 0.5, 0.3], [0.2, 0.5, 0.3], 1.5)]:
            call = f"monai.losses.FocalLoss(use_softmax=True, to_onehot_y=True, gamma={gamma}, alpha={alpha}) × C"
            add("monai", f"focal-softmax-alpha{alpha}-gamma{gamma}", "focal",
                {"activation": "softmax", "gamma": gamma, "alpha": ours_alpha}, call,
                lambda a, b, al=alpha, g=gamma: ml.FocalLoss(use_softmax=True, to_onehot_y=True, gamma=g,
                                                             alpha=al)(a, b.unsqueeze(1)),
                x, idx, reduction="mean", factor=float(C),
                note="MONAI averages the class terms over the channel axis too; ours sums them (Lin et al.), "
                     "so ours = C × MONAI (the focal descriptor's note)")
        add("monai", "focal-monai-sigmoid", "focal", {"activation": "sigmoid", "gamma": 2.0, "alpha": []},
            "monai.losses.FocalLoss(gamma=2.0)",
            lambda a, b: ml.FocalLoss(gamma=2.0)(a, b), x, t, reduction="mean")


def monai_cases():
    if monai is None:
        return
    C = 3
    shape = (2, C, 5, 6)
    x = logits(shape)
    x[0, :, 0, 0] = [1000, -1000, 0]
    idx = labels((2, 5, 6), C)
    idx[1][idx[1] == 2] = 1  # class 2 absent from sample 1: an empty foreground
    onehot = one_hot(idx, C)

    def monai_target(b):  # our [N, spatial…] labels → MONAI's [N, 1, spatial…]
        return b.unsqueeze(1)

    dice_variants = [
        ("default", {}, {}),
        ("nobg", {"include_background": False}, {"include_background": False}),
        ("squared", {"squared_pred": True}, {"squared_pred": True}),
        ("jaccard", {"jaccard": True}, {"jaccard": True}),
        ("batch", {"batch": True}, {"batch": True}),
        ("smooth1", {"smooth_nr": 1.0, "smooth_dr": 1.0}, {"smooth_nr": 1.0, "smooth_dr": 1.0}),
        ("weight", {"weight": [0.5, 1.0, 2.0]}, {"weight": [0.5, 1.0, 2.0]}),
    ]
    for name, ours, theirs in dice_variants:
        for r in (REDUCTIONS if name in ("default", "nobg") else ["mean"]):
            kw = ", ".join(f"{k}={v!r}" for k, v in theirs.items())
            call = f"monai.losses.DiceLoss(softmax=True, to_onehot_y=True{', ' if kw else ''}{kw}, reduction='{r}')"
            out_shape = None
            if r == "none":
                out_shape = (2, C - (0 if ours.get("include_background", True) else 1))
            add("monai", f"dice-{name}-{r}", "dice", {"activation": "softmax", **ours}, call,
                lambda a, b, r=r, th=theirs: ml.DiceLoss(softmax=True, to_onehot_y=True, reduction=r, **th)(a, monai_target(b)),
                x, idx, reduction=r, out_shape=out_shape)
    # Sigmoid, dense targets (multi-label), and probabilities given directly (exact 0 and 1).
    dense = (rng.random(shape) < 0.5).astype(np.float32)
    dense[1, 2] = 0  # empty foreground in one (sample, class)
    add("monai", "dice-sigmoid-dense", "dice", {"activation": "sigmoid"}, "monai.losses.DiceLoss(sigmoid=True)",
        lambda a, b: ml.DiceLoss(sigmoid=True)(a, b), x, dense, reduction="mean")
    probs = probabilities(shape)
    probs[0, :, 0, 0] = [1, 0, 0]
    add("monai", "dice-probabilities", "dice", {"activation": "none"}, "monai.losses.DiceLoss()",
        lambda a, b: ml.DiceLoss()(a, b), probs, onehot.numpy().astype(np.float32), reduction="mean")

    for smooth in [1e-5, 0.5]:
        add("monai", f"iou-smooth{smooth}", "iou", {"activation": "softmax", "smooth_nr": smooth, "smooth_dr": smooth},
            f"monai.losses.DiceLoss(softmax=True, to_onehot_y=True, jaccard=True, smooth_nr={2 * smooth}, smooth_dr={2 * smooth})",
            lambda a, b, sm=smooth: ml.DiceLoss(softmax=True, to_onehot_y=True, jaccard=True, smooth_nr=2 * sm,
                                                smooth_dr=2 * sm)(a, monai_target(b)),
            x, idx, reduction="mean",
            note="MONAI's jaccard Dice (2I + s)/(2U + s) is our IoU (I + s/2)/(U + s/2): its smoothing is twice ours")
    for a_, b_ in [(0.5, 0.5), (0.3, 0.7)]:
        add("monai", f"tversky-{a_}-{b_}", "tversky", {"activation": "softmax", "alpha": a_, "beta": b_},
            f"monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha={a_}, beta={b_})",
            lambda a, b, al=a_, be=b_: ml.TverskyLoss(softmax=True, to_onehot_y=True, alpha=al, beta=be)(a, monai_target(b)),
            x, idx, reduction="mean")
    add("monai", "tversky-nobg-none", "tversky", {"activation": "softmax", "alpha": 0.3, "beta": 0.7,
                                                  "include_background": False, "reduction": "none"},
        "monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha=0.3, beta=0.7, include_background=False, reduction='none')",
        lambda a, b: ml.TverskyLoss(softmax=True, to_onehot_y=True, alpha=0.3, beta=0.7, include_background=False,
                                    reduction="none")(a, monai_target(b)), x, idx, out_shape=(2, C - 1))

    for w_type in ["square", "simple", "uniform"]:
        for batch in [False, True]:
            add("monai", f"gdice-{w_type}-batch{batch}", "generalized-dice",
                {"activation": "softmax", "w_type": w_type, "batch": batch},
                f"monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True, w_type='{w_type}', batch={batch})",
                lambda a, b, wt=w_type, bt=batch: ml.GeneralizedDiceLoss(softmax=True, to_onehot_y=True, w_type=wt,
                                                                          batch=bt)(a, monai_target(b)),
                x, idx, reduction="mean")

    add("monai", "gdice-none", "generalized-dice", {"activation": "softmax", "reduction": "none"},
        "monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True, reduction='none')",
        lambda a, b: ml.GeneralizedDiceLoss(softmax=True, to_onehot_y=True, reduction="none")(a, monai_target(b)),
        x, idx, out_shape=(2,))
    # Distance-map losses: 2-D, softmax over 3 classes and sigmoid over one channel.
    for alpha in [2.0, 1.0]:
        add("monai", f"hausdorff-dt-alpha{alpha}", "hausdorff-dt",
            {"activation": "softmax", "alpha": alpha, "include_background": False},
            f"monai.losses.HausdorffDTLoss(softmax=True, to_onehot_y=True, alpha={alpha}, include_background=False)",
            lambda a, b, al=alpha: ml.HausdorffDTLoss(softmax=True, to_onehot_y=True, alpha=al,
                                                      include_background=False)(a, monai_target(b)),
            x, idx, reduction="mean")
    xb = logits((2, 1, 6, 7), 2.0)
    tb = (rng.random((2, 1, 6, 7)) < 0.4).astype(np.float32)
    tb[1] = 0  # empty foreground: distance map 0
    add("monai", "hausdorff-dt-sigmoid", "hausdorff-dt", {"activation": "sigmoid", "alpha": 2.0},
        "monai.losses.HausdorffDTLoss(sigmoid=True, alpha=2.0)",
        lambda a, b: ml.HausdorffDTLoss(sigmoid=True, alpha=2.0)(a, b), xb, tb, reduction="mean")
    if hasattr(ml, "BoundaryLoss"):
        for inc in [False, True]:
            add("monai", f"boundary-bg{inc}", "boundary", {"activation": "softmax", "include_background": inc},
                f"monai.losses.BoundaryLoss(softmax=True, to_onehot_y=True, include_background={inc})",
                lambda a, b, inc=inc: ml.BoundaryLoss(softmax=True, to_onehot_y=True, include_background=inc)(a, monai_target(b)),
                x, idx, reduction="mean")
        add("monai", "boundary-sigmoid", "boundary", {"activation": "sigmoid", "include_background": True},
            "monai.losses.BoundaryLoss(sigmoid=True)",
            lambda a, b: ml.BoundaryLoss(sigmoid=True)(a, b), xb, tb, reduction="mean")

    # Compound.
    for lam_d, lam_c, eps in [(1.0, 1.0, 0.0), (0.3, 0.7, 0.1)]:
        add("monai", f"dice-ce-{lam_d}-{lam_c}-ls{eps}", "dice-ce",
            {"activation": "softmax", "lambda_dice": lam_d, "lambda_ce": lam_c, "label_smoothing": eps},
            f"monai.losses.DiceCELoss(softmax=True, to_onehot_y=True, lambda_dice={lam_d}, lambda_ce={lam_c}, label_smoothing={eps})",
            lambda a, b, ld=lam_d, lc=lam_c, e=eps: ml.DiceCELoss(softmax=True, to_onehot_y=True, lambda_dice=ld,
                                                                  lambda_ce=lc, label_smoothing=e)(a, monai_target(b)),
            x, idx, reduction="mean")
    w = [0.5, 1.0, 2.0]
    add("monai", "dice-ce-weight", "dice-ce", {"activation": "softmax", "weight": w},
        f"monai.losses.DiceCELoss(softmax=True, to_onehot_y=True, weight=torch.tensor({w}))",
        lambda a, b: ml.DiceCELoss(softmax=True, to_onehot_y=True, weight=torch.tensor(w))(a, monai_target(b)),
        x, idx, reduction="mean")


def monai_dice_focal():
    if monai is None:
        return
    C = 3
    shape = (2, C, 4, 5)
    x = logits(shape)
    x[0, :, 0, 0] = [1000, -1000, 0]
    idx = labels((2, 4, 5), C)
    variants = [
        ("default", {}, {}),
        ("nobg", {"include_background": False}, {"include_background": False}),
        ("nobg-alpha", {"include_background": False, "alpha": [0.25]}, {"include_background": False, "alpha": 0.25}),
        ("alpha", {"alpha": [0.25]}, {"alpha": 0.25}),
        ("gamma-lambdas", {"gamma": 1.5, "lambda_dice": 0.4, "lambda_focal": 2.0},
         {"gamma": 1.5, "lambda_dice": 0.4, "lambda_focal": 2.0}),
        ("sum", {"reduction": "sum"}, {"reduction": "sum"}),
    ]
    for name, ours, theirs in variants:
        kw = ", ".join(f"{k}={v!r}" for k, v in theirs.items())
        add("monai", f"dice-focal-{name}", "dice-focal", {"activation": "softmax", **ours},
            f"monai.losses.DiceFocalLoss(softmax=True, to_onehot_y=True{', ' if kw else ''}{kw})",
            lambda a, b, th=theirs: ml.DiceFocalLoss(softmax=True, to_onehot_y=True, **th)(a, b.unsqueeze(1)),
            x, idx)
    dense = (rng.random(shape) < 0.5).astype(np.float32)
    add("monai", "dice-focal-sigmoid", "dice-focal", {"activation": "sigmoid", "alpha": [0.25]},
        "monai.losses.DiceFocalLoss(sigmoid=True, alpha=0.25)",
        lambda a, b: ml.DiceFocalLoss(sigmoid=True, alpha=0.25)(a, b), x, dense)


def monai_more():
    """Binary (one-channel) segmentation, 3-D volumes, and unreduced shapes."""
    if monai is None:
        return
    # One channel, sigmoid, dense [N, 1, H, W] target: the common binary case.
    xb = logits((3, 1, 5, 5), 2.0)
    xb[0, 0, 0, :3] = [1000, -1000, 0]
    tb = (rng.random((3, 1, 5, 5)) < 0.35).astype(np.float32)
    tb[2] = 0  # an empty foreground
    for r in REDUCTIONS:
        add("monai", f"dice-binary-{r}", "dice", {"activation": "sigmoid"}, f"monai.losses.DiceLoss(sigmoid=True, reduction='{r}')",
            lambda a, b, r=r: ml.DiceLoss(sigmoid=True, reduction=r)(a, b), xb, tb, reduction=r,
            out_shape=(3, 1) if r == "none" else None)
    add("monai", "tversky-binary", "tversky", {"activation": "sigmoid", "alpha": 0.3, "beta": 0.7},
        "monai.losses.TverskyLoss(sigmoid=True, alpha=0.3, beta=0.7)",
        lambda a, b: ml.TverskyLoss(sigmoid=True, alpha=0.3, beta=0.7)(a, b), xb, tb, reduction="mean")
    add("monai", "gdice-binary", "generalized-dice", {"activation": "sigmoid"}, "monai.losses.GeneralizedDiceLoss(sigmoid=True)",
        lambda a, b: ml.GeneralizedDiceLoss(sigmoid=True)(a, b), xb, tb, reduction="mean")
    add("monai", "dice-ce-binary", "dice-ce", {"activation": "sigmoid"}, "monai.losses.DiceCELoss(sigmoid=True)",
        lambda a, b: ml.DiceCELoss(sigmoid=True)(a, b), xb, tb, reduction="mean")
    add("monai", "dice-ce-binary-posweight-sum", "dice-ce", {"activation": "sigmoid", "weight": [2.5], "reduction": "sum"},
        "monai.losses.DiceCELoss(sigmoid=True, weight=torch.tensor([2.5]), reduction='sum')",
        lambda a, b: ml.DiceCELoss(sigmoid=True, weight=torch.tensor([2.5]), reduction="sum")(a, b), xb, tb,
        note="one channel: the cross-entropy term is BCEWithLogitsLoss(pos_weight=weight)")
    add("monai", "tversky-binary-batch", "tversky", {"activation": "sigmoid", "alpha": 0.7, "beta": 0.3, "batch": True},
        "monai.losses.TverskyLoss(sigmoid=True, alpha=0.7, beta=0.3, batch=True)",
        lambda a, b: ml.TverskyLoss(sigmoid=True, alpha=0.7, beta=0.3, batch=True)(a, b), xb, tb, reduction="mean")
    add("monai", "dice-focal-binary", "dice-focal", {"activation": "sigmoid", "gamma": 2.0},
        "monai.losses.DiceFocalLoss(sigmoid=True, gamma=2.0)",
        lambda a, b: ml.DiceFocalLoss(sigmoid=True, gamma=2.0)(a, b), xb, tb, reduction="mean")
    add("monai", "hausdorff-dt-binary-none", "hausdorff-dt", {"activation": "sigmoid", "reduction": "none"},
        "monai.losses.HausdorffDTLoss(sigmoid=True, reduction='none')",
        lambda a, b: ml.HausdorffDTLoss(sigmoid=True, reduction="none")(a, b), xb, tb, out_shape=(3, 1))
    add("monai", "boundary-binary-none", "boundary", {"activation": "sigmoid", "reduction": "none"},
        "monai.losses.BoundaryLoss(sigmoid=True, reduction='none')",
        lambda a, b: ml.BoundaryLoss(sigmoid=True, reduction="none")(a, b), xb, tb, out_shape=(3, 1))
    # 3-D volumes [N, C, D, H, W].
    C = 3
    x3 = logits((2, C, 3, 4, 4))
    i3 = labels((2, 3, 4, 4), C)
    add("monai", "dice-3d", "dice", {"activation": "softmax", "include_background": False},
        "monai.losses.DiceLoss(softmax=True, to_onehot_y=True, include_background=False)",
        lambda a, b: ml.DiceLoss(softmax=True, to_onehot_y=True, include_background=False)(a, b.unsqueeze(1)),
        x3, i3, reduction="mean")
    add("monai", "hausdorff-dt-3d", "hausdorff-dt", {"activation": "softmax"},
        "monai.losses.HausdorffDTLoss(softmax=True, to_onehot_y=True)",
        lambda a, b: ml.HausdorffDTLoss(softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)), x3, i3, reduction="mean")
    add("monai", "boundary-3d", "boundary", {"activation": "softmax"},
        "monai.losses.BoundaryLoss(softmax=True, to_onehot_y=True)",
        lambda a, b: ml.BoundaryLoss(softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)), x3, i3, reduction="mean")
    add("pytorch", "ce-3d-ls", "cross-entropy", {"label_smoothing": 0.05},
        "torch.nn.CrossEntropyLoss(label_smoothing=0.05)",
        lambda a, b: F.cross_entropy(a, b.long(), label_smoothing=0.05), x3, i3, reduction="mean")
    # MONAI 1.6's ignore_index (labels and a valid class of a one-hot target) and soft_label.
    xi = logits((2, C, 4, 5))
    xi[0, :, 0, 0] = [1000, -1000, 0]
    ii = labels((2, 4, 5), C)
    ii[0, 1, :] = 255
    ii[1, 3, 2:] = 255
    for loss_id, cls, extra in [("dice", "DiceLoss", {}), ("tversky", "TverskyLoss", {"alpha": 0.3, "beta": 0.7})]:
        kw = "".join(f", {k}={v}" for k, v in extra.items())
        add("monai", f"{loss_id}-ignore-labels", loss_id, {"activation": "softmax", "ignore_index": 255, **extra},
            f"monai.losses.{cls}(softmax=True, to_onehot_y=True, ignore_index=255{kw})",
            lambda a, b, cls=cls, extra=extra: getattr(ml, cls)(softmax=True, to_onehot_y=True, ignore_index=255,
                                                                 **extra)(a, b.unsqueeze(1)), xi, ii, reduction="mean")
    clean = labels((2, 4, 5), C)
    onehot_i = one_hot(clean, C).numpy().astype(np.float32)
    add("monai", "dice-ignore-class-onehot", "dice", {"activation": "softmax", "ignore_index": 1},
        "monai.losses.DiceLoss(softmax=True, ignore_index=1)  # one-hot target: pixels of class 1 are left out",
        lambda a, b: ml.DiceLoss(softmax=True, ignore_index=1)(a, b), xi, onehot_i, reduction="mean")
    soft = probabilities((2, C, 4, 5))
    for loss_id, cls, extra in [("dice", "DiceLoss", {}), ("tversky", "TverskyLoss", {"alpha": 0.3, "beta": 0.7}),
                                ("generalized-dice", "GeneralizedDiceLoss", {})]:
        kw = "".join(f", {k}={v}" for k, v in extra.items())
        add("monai", f"{loss_id}-soft-label", loss_id, {"activation": "softmax", "soft_label": True, **extra},
            f"monai.losses.{cls}(softmax=True, soft_label=True{kw})",
            lambda a, b, cls=cls, extra=extra: getattr(ml, cls)(softmax=True, soft_label=True, **extra)(a, b),
            xi, soft, reduction="mean", note="probability (soft) target")
    # Unreduced shapes with batch=True: MONAI gives [C′, 1, 1], ours [C′].
    x2 = logits((2, C, 4, 4))
    i2 = labels((2, 4, 4), C)
    add("monai", "dice-batch-none", "dice", {"activation": "softmax", "batch": True, "reduction": "none"},
        "monai.losses.DiceLoss(softmax=True, to_onehot_y=True, batch=True, reduction='none')",
        lambda a, b: ml.DiceLoss(softmax=True, to_onehot_y=True, batch=True, reduction="none")(a, b.unsqueeze(1)),
        x2, i2, out_shape=(C,))
    add("monai", "boundary-batch-none", "boundary", {"activation": "softmax", "batch": True, "reduction": "none"},
        "monai.losses.BoundaryLoss(softmax=True, to_onehot_y=True, batch=True, reduction='none')",
        lambda a, b: ml.BoundaryLoss(softmax=True, to_onehot_y=True, batch=True, reduction="none")(a, b.unsqueeze(1)),
        x2, i2, out_shape=(C,))


def other_peers():
    """sklearn (values only: it has no gradients), kornia and segmentation_models_pytorch."""
    if sklearn is not None:
        f = f32(rng.normal(0, 1.5, (40,)))
        f[:4] = [0.0, 1000, -1000, 1.0]  # sign(0) = 0 is an error; a margin of exactly 1
        y = np.where(rng.random(40) < 0.5, -1.0, 1.0).astype(np.float32)
        y[:4] = [1, 1, 1, 1]
        for name, loss_id, call, fn in [
            ("zero-one", "zero-one", "sklearn.metrics.zero_one_loss(y, numpy.sign(f))",
             lambda a, b: sklearn.metrics.zero_one_loss(b, np.sign(a))),
            ("hinge", "hinge", "sklearn.metrics.hinge_loss(y, f)", lambda a, b: sklearn.metrics.hinge_loss(b, a)),
        ]:
            value = fn(f.astype(np.float64), y.astype(np.float64))
            CASES["sklearn"].append({
                "name": f"{name}-mean", "id": loss_id, "params": {"reduction": "mean"},
                "peer": {"library": "sklearn", "call": call}, "input": encode_input(f), "target": encode_input(y),
                "value": float(f"{float(value):.12g}"), "grad": None, "rtol": RTOL, "atol": ATOL, "grad_atol": None,
                "note": "sklearn gives values only",
            })
            PEERS.setdefault(loss_id, set()).add(f"sklearn: {call.split('(')[0]}")
    if kornia is not None:
        shape = (2, 3, 4, 4)
        x = logits(shape, 2.5)
        x[0, :, 0, 0] = [1000, -1000, 0]
        t = labels((2, 4, 4), 3)
        # kornia 0.9 follows MONAI's convention: terms per class, `mean` over N·C·spatial (ours / C),
        # `none` shaped [N, C, …] (ours is its sum over classes), scalar alpha 1 − α for class 0.
        for alpha, ours in [(None, []), (0.25, [0.25])]:
            kw = dict(alpha=alpha, gamma=2.0)
            add("kornia", f"focal-kornia-alpha{alpha}-mean", "focal", {"activation": "softmax", "gamma": 2.0, "alpha": ours},
                f"kornia.losses.focal_loss(x, y, alpha={alpha}, gamma=2.0, reduction='mean') × C",
                lambda a, b, kw=kw: kornia.losses.focal_loss(a, b.long(), reduction="mean", **kw), x, t, reduction="mean",
                factor=3.0, note="kornia averages over classes too (MONAI's convention): ours = C × kornia")
            add("kornia", f"focal-kornia-alpha{alpha}-sum", "focal", {"activation": "softmax", "gamma": 2.0, "alpha": ours},
                f"kornia.losses.focal_loss(x, y, alpha={alpha}, gamma=2.0, reduction='sum')",
                lambda a, b, kw=kw: kornia.losses.focal_loss(a, b.long(), reduction="sum", **kw), x, t, reduction="sum")
            add("kornia", f"focal-kornia-alpha{alpha}-none", "focal", {"activation": "softmax", "gamma": 2.0, "alpha": ours},
                f"kornia.losses.focal_loss(x, y, alpha={alpha}, gamma=2.0, reduction='none').sum(dim=1)",
                lambda a, b, kw=kw: kornia.losses.focal_loss(a, b.long(), reduction="none", **kw).sum(dim=1), x, t,
                reduction="none", note="kornia's unreduced loss is per class; ours per position is its sum over classes")
    if keras is not None:
        shape = (4, 6)
        x, y = f32(rng.normal(0, 2, shape)), f32(rng.normal(0, 2, shape))
        x[0, :2] = [60, -60]  # cosh overflows float32 there; ours is stable
        add("keras", "log-cosh-keras", "log-cosh", {}, "keras.losses.LogCosh()(y, x)",
            lambda a, b: keras.losses.LogCosh()(b, a), x, y, reduction="mean", dtype=np.float32,
            note="keras averages over the last axis, then over the batch: our mean for equal rows; keras computes in float32")
        ym = np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(np.float32)
        add("keras", "squared-hinge-keras", "squared-hinge", {}, "keras.losses.SquaredHinge()(y, f)",
            lambda a, b: keras.losses.SquaredHinge()(b, a), x, ym, reduction="mean", dtype=np.float32,
            note="keras computes in float32")
        w = f32(rng.normal(0, 1.5, (3, 7)))
        for lam in [0.01, 0.5]:
            add("keras", f"l1-regularization-keras-{lam}", "l1-regularization", {"lambda": lam},
                f"keras.regularizers.L1(l1={lam})(w)", lambda a, b, lam=lam: keras.regularizers.L1(l1=lam)(a),
                w, None, reduction="sum", dtype=np.float32, note="keras computes in float32")
            add("keras", f"l2-regularization-keras-{lam}", "l2-regularization", {"lambda": lam},
                f"keras.regularizers.L2(l2={lam / 2})(w)", lambda a, b, lam=lam: keras.regularizers.L2(l2=lam / 2)(a),
                w, None, reduction="sum", dtype=np.float32, note="keras's L2 has no 1/2: l2 = λ/2; keras computes in float32")
    if smp is not None:
        shape = (2, 3, 5, 5)
        x = logits(shape)
        t = labels((2, 5, 5), 3)
        t[0, 0, :3] = [0, 1, 2]  # every class present, so smp's zeroing of empty classes does not act
        add("smp", "iou-smp-jaccard", "iou", {"activation": "softmax", "batch": True, "smooth_nr": 0.0, "smooth_dr": 0.0},
            "segmentation_models_pytorch.losses.JaccardLoss(mode='multiclass', smooth=0)",
            lambda a, b: smp.losses.JaccardLoss(mode="multiclass", smooth=0.0)(a, b.long()), x, t, reduction="mean",
            note="smp sums over the batch and space together (dims=(0, 2)): our batch=true; all classes present")
        for per_image in [False, True]:
            add("smp", f"lovasz-smp-per_image{per_image}", "lovasz-softmax", {"activation": "softmax", "per_image": per_image},
                f"segmentation_models_pytorch.losses.LovaszLoss(mode='multiclass', per_image={per_image})",
                lambda a, b, pi=per_image: smp.losses.LovaszLoss(mode="multiclass", per_image=pi)(a, b.long()),
                x, t, reduction="mean", dtype=np.float32,
                note="smp's Lovász code mixes in float32 (lovasz_grad), so this peer runs in float32")


def monai_defaults():
    """Our catalog defaults (params {}) against the peer call the descriptor names, with the
    peer's own defaults: pins that the two sets of defaults agree."""
    if monai is None:
        return
    C = 3
    x = logits((2, C, 4, 5))
    x[1, :, 2, 2] = [-1000, 1000, 0]
    t = labels((2, 4, 5), C)
    t[1][t[1] == 2] = 0  # an empty class
    for loss_id, call, make in [
        ("tversky", "monai.losses.TverskyLoss(softmax=True, to_onehot_y=True)",
         lambda: ml.TverskyLoss(softmax=True, to_onehot_y=True)),
        ("generalized-dice", "monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)",
         lambda: ml.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)),
        ("hausdorff-dt", "monai.losses.HausdorffDTLoss(softmax=True, to_onehot_y=True)",
         lambda: ml.HausdorffDTLoss(softmax=True, to_onehot_y=True)),
        ("boundary", "monai.losses.BoundaryLoss(softmax=True, to_onehot_y=True)",
         lambda: ml.BoundaryLoss(softmax=True, to_onehot_y=True)),
        ("dice-ce", "monai.losses.DiceCELoss(softmax=True, to_onehot_y=True)",
         lambda: ml.DiceCELoss(softmax=True, to_onehot_y=True)),
        ("dice-focal", "monai.losses.DiceFocalLoss(softmax=True, to_onehot_y=True)",
         lambda: ml.DiceFocalLoss(softmax=True, to_onehot_y=True)),
    ]:
        add("monai", f"{loss_id}-catalog-defaults", loss_id, {}, call,
            lambda a, b, make=make: make()(a, b.unsqueeze(1)), x, t)
    add("monai", "focal-catalog-defaults", "focal", {},
        "monai.losses.FocalLoss(use_softmax=True, to_onehot_y=True) × C",
        lambda a, b: ml.FocalLoss(use_softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)), x, t, factor=float(C),
        note="MONAI averages over classes too: ours = C × MONAI")


def scipy_edt():
    for name, shape, spacing, density in [
        ("1d", (17,), None, 0.6), ("2d", (7, 9), None, 0.7), ("2d-aniso", (8, 6), (0.5, 2.0), 0.75),
        ("3d-aniso", (4, 5, 6), (1.0, 0.7, 1.3), 0.8), ("2d-single-zero", (5, 5), None, None),
        ("3d-large-aniso", (6, 7, 8), (0.5, 1.7, 1.0), 0.9), ("2d-scalar-sampling", (6, 9), (2.0,), 0.6),
        ("2d-all-zero", (4, 4), None, 0.0), ("4d", (3, 3, 4, 3), (1.0, 2.0, 0.5, 1.5), 0.85),
    ]:
        if density is None:
            mask = np.ones(shape, dtype=np.float32)
            mask[2, 3] = 0
        else:
            mask = (rng.random(shape) < density).astype(np.float32)
        if mask.all():
            mask.flat[0] = 0  # scipy's value without any zero is an artefact; ours is +∞ (tested in Swift)
        d = scipy.ndimage.distance_transform_edt(mask, sampling=spacing[0] if spacing and len(spacing) == 1 else spacing)
        call = f"scipy.ndimage.distance_transform_edt(mask{'' if spacing is None else f', sampling={spacing}'})"
        CASES["scipy"].append({
            "name": f"edt-{name}", "id": "edt", "params": {},
            "peer": {"library": "scipy", "call": call},
            "input": encode_input(mask), "target": None,
            "spacing": None if spacing is None else list(spacing),
            "value": encode_output(d), "grad": None,
            "rtol": 1e-6, "atol": 1e-6, "grad_atol": None,
        })


# MARK: - Index

NO_PEER = {
    "zero-one": "sklearn not installed",
    "log-cosh": "keras not installed",
    "exponential": "no peer library has the exponential (AdaBoost) loss",
    "hinge": "sklearn not installed (torch.nn.HingeEmbeddingLoss and MultiMarginLoss are different losses)",
    "squared-hinge": "keras not installed",
    "l1-regularization": "keras not installed",
    "l2-regularization": "keras not installed",
    "topk": "only SegLoss (not a package) has TopK",
    "topk-threshold": "only SegLoss (not a package) has the threshold TopK",
    "dpce": "only SegLoss (not a package) has DPCE, and its DisPenalizedCE returns the unweighted CE",
    "sensitivity-specificity": "only NiftyNet/SegLoss (not installable peers) have it",
    "lovasz-softmax": "segmentation_models_pytorch not installed",
    "focal-tversky": "MONAI has no focal Tversky loss; only SegLoss",
    "asymmetric": "only SegLoss (not a package) has the asymmetric similarity loss",
    "penalty-generalized-dice": "only SegLoss (not a package) has penalty GD",
    "dice-topk": "only SegLoss (not a package) has Dice + TopK",
    "exp-log": "only the paper (no package) has the exponential logarithmic loss",
    "combo": "only the authors' code (not a package) has Combo",
}

CATALOG_IDS = [
    "zero-one", "l1", "l2", "smooth-l1", "huber", "log-cosh", "exponential", "hinge", "squared-hinge",
    "soft-margin", "kl-divergence", "binary-cross-entropy", "perceptual", "l1-regularization", "l2-regularization",
    "cross-entropy", "weighted-cross-entropy", "topk", "topk-threshold", "focal", "dpce",
    "sensitivity-specificity", "dice", "iou", "lovasz-softmax", "tversky", "generalized-dice", "focal-tversky",
    "asymmetric", "penalty-generalized-dice", "boundary", "hausdorff-dt",
    "dice-ce", "dice-focal", "dice-topk", "exp-log", "combo",
]


def main():
    torch_elementwise()
    torch_kl()
    torch_bce()
    torch_bce_probabilities()
    torch_bce_channels()
    monai_more()
    torch_perceptual()
    torch_cross_entropy()
    focal_cases()
    monai_cases()
    monai_dice_focal()
    monai_defaults()
    scipy_edt()
    other_peers()

    versions = {"python": sys.version.split()[0], "torch": torch.__version__, "numpy": np.__version__,
                "scipy": scipy.__version__}
    if monai is not None:
        versions["monai"] = monai.__version__
    for name, module in [("torchvision", torchvision), ("scikit-learn", sklearn), ("kornia", kornia),
                         ("segmentation-models-pytorch", smp), ("keras", keras)]:
        if module is not None:
            versions[name] = module.__version__
    OUT.mkdir(parents=True, exist_ok=True)
    for library, cases in CASES.items():
        names = [c["name"] for c in cases]
        assert len(names) == len(set(names)), f"duplicate case names in {library}"
        doc = {"schema": 1, "library": library, "versions": versions, "cases": cases}
        (OUT / f"{library}.json").write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    index = {"schema": 1, "versions": versions, "files": sorted(f"{lib}.json" for lib in CASES), "ids": {}}
    for loss_id in CATALOG_IDS:
        count = sum(1 for cases in CASES.values() for c in cases if c["id"] == loss_id)
        if loss_id in PEERS:
            index["ids"][loss_id] = {"peer": sorted(PEERS[loss_id]), "cases": count}
        else:
            index["ids"][loss_id] = {"peer": None, "cases": 0, "reason": NO_PEER.get(loss_id, "no peer library")}
    index["ids"]["edt"] = {"peer": ["scipy: scipy.ndimage.distance_transform_edt"],
                           "cases": len(CASES["scipy"])}
    (OUT / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n")
    total = sum(len(c) for c in CASES.values())
    size = sum(p.stat().st_size for p in OUT.glob("*.json"))
    print(f"{total} cases, {size / 1e6:.2f} MB in {OUT}")


if __name__ == "__main__":
    main()
