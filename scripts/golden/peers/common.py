"""Shared state and helpers of the golden-fixture generator: the peer imports (optional ones
become ``None``), the seeded generator every existing case draws from, in the order
``make_golden.main`` calls the peers, the case lists per fixture file, and ``add``, which runs a
peer and records its value and autograd gradient. Schema and tolerances: ``make_golden.py``."""
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

ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = ROOT / "Tests" / "LossesTests" / "Fixtures" / "golden"
RTOL = 1e-5
ATOL = 1e-6

torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", category=UserWarning)
rng = np.random.default_rng(20261129)

CASES: dict[str, list] = {"pytorch": [], "torchvision": [], "monai": [], "scipy": [], "sklearn": [], "kornia": [], "smp": [],
                          "keras": [], "pytorch-nn": [], "papers": []}
# Fixture files whose cases come from a library of another name.
FILE_LIBRARY = {"pytorch-nn": "pytorch", "papers": "paper"}
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
        note=None, grad=True, dtype=np.float64, file=None):
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
    CASES[file or library].append(case)
    PEERS.setdefault(loss_id, set()).add(f"{library}: {call.split('(')[0].split(':')[0]}")


REDUCTIONS = ["mean", "sum", "none"]

# MONAI calls that compute part of the loss in float32 even on float64 input: FocalLoss casts
# its input with `.float()`, HausdorffDTLoss and BoundaryLoss build their distance maps in
# float32, and DiceLoss(squared_pred=True) takes the 2-norm of its float32 one-hot target and
# squares it again (√G² ≠ G in float32). Their numbers carry float32 rounding (≈ 1e-7 relative);
# found by comparing the Double reference with every case
# (PeerGoldenTests.testReferenceMatchesEveryGoldenCase).
FLOAT32_INSIDE = ("FocalLoss", "HausdorffDTLoss", "BoundaryLoss", "squared_pred=True")
