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

    Layout: this driver calls one module per peer library in ``peers/`` (``pytorch``,
    ``torchvision``, ``monai``, ``scipy``, ``others``; ``monai_extra`` for MONAI's remaining segmentation
    losses, issue 17.3, in their own ``monai-extra.json``; ``torch_nn`` for the rest of ``torch.nn``,
    issue 17; ``papers`` for the losses no peer library has, written from their papers, issue 10), sharing ``peers/common.py`` (imports, the seeded generator, ``add``).

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

    ``index.json`` lists every catalog id with its peer calls and case count; for the losses no
    peer library has, the reason and the "witness" that stands in for a peer: the loss written from
    its paper's formula in PyTorch float64 (``peers/papers.py``, cases in ``papers.json``, whose
    "peer" is {"library": "paper", "call": citation and formula}), with the cases where the loss
    reduces exactly to a peer's loss listed as "reductions". The site says which numbers a peer
    library, or a paper's formula, checks.
"""
from __future__ import annotations

import json
import sys

from peers.common import (CASES, FILE_LIBRARY, OUT, PEERS, keras, kornia, monai, np, scipy, sklearn, smp, torch,  # noqa: F401
                          torchvision)
from peers import monai as monai_peer
from peers import monai_extra
from peers import others, papers, pytorch, scipy as scipy_peer, torch_nn
from peers import torchvision as torchvision_peer
from peers import monai_topology

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
    "hausdorff-er": "no MONAI or PyTorch class; kornia's HausdorffERLoss is only the special case on probabilities with every "
                    "channel (checked as reductions), and SegLoss's detaches the eroded map (no gradient)",
}

CATALOG_IDS = [
    "zero-one", "l1", "l2", "smooth-l1", "huber", "log-cosh", "exponential", "hinge", "squared-hinge",
    "soft-margin", "kl-divergence", "binary-cross-entropy", "perceptual", "l1-regularization", "l2-regularization",
    "cross-entropy", "weighted-cross-entropy", "topk", "topk-threshold", "focal", "dpce",
    "sensitivity-specificity", "dice", "iou", "lovasz-softmax", "tversky", "generalized-dice", "focal-tversky",
    "asymmetric", "penalty-generalized-dice", "boundary", "hausdorff-dt",
    "dice-ce", "dice-focal", "dice-topk", "exp-log", "combo",
] + torch_nn.IDS + torchvision_peer.BOX_IDS + monai_extra.IDS + ["hausdorff-er"] + monai_topology.IDS


def main():
    # The existing cases share one seeded generator: this order is part of the fixtures.
    pytorch.torch_elementwise()
    pytorch.torch_kl()
    pytorch.torch_bce()
    pytorch.torch_bce_probabilities()
    pytorch.torch_bce_channels()
    monai_peer.monai_more()
    pytorch.torch_perceptual()
    pytorch.torch_cross_entropy()
    torchvision_peer.focal_cases()
    monai_peer.monai_cases()
    monai_peer.monai_dice_focal()
    monai_peer.monai_defaults()
    scipy_peer.scipy_edt()
    others.other_peers()
    torch_nn.all_cases()  # its own generator: adding cases there leaves every other fixture as it is
    torchvision_peer.box_cases()  # box losses: own generator, own file (torchvision-boxes.json)
    monai_extra.all_cases()  # MONAI's remaining segmentation losses: own generator, own file (monai-extra.json)
    papers.all_cases()  # the paper witnesses for the losses no peer has; its own generator too
    monai_topology.all_cases()  # clDice and the other 17.3 losses: own generator, own file (monai-topology.json)

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
        doc = {"schema": 1, "library": FILE_LIBRARY.get(library, library), "versions": versions, "cases": cases}
        (OUT / f"{library}.json").write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    index = {"schema": 1, "versions": versions, "files": sorted(f"{lib}.json" for lib in CASES), "ids": {}}
    for loss_id in CATALOG_IDS:
        count = sum(1 for cases in CASES.values() for c in cases if c["id"] == loss_id)
        if loss_id in papers.WITNESS:
            # No peer library has it: the witness is its paper's formula (papers.json), plus the
            # cases where it reduces exactly to a loss a peer has.
            w = papers.WITNESS[loss_id]
            reductions = sorted({f"{c['peer']['library']}: {c['peer']['call'].split('(')[0]}" for c in CASES["papers"]
                                 if c["id"] == loss_id and c["peer"]["library"] != papers.LIBRARY})
            index["ids"][loss_id] = {"witness": {"kind": "paper", "description": papers.witness_text(loss_id),
                                                "citation": w["paper"], "cite": w["cite"], "formula": w["formula"],
                                                "reductions": reductions},
                                     "cases": count, "reason": NO_PEER[loss_id], "reason_kind": papers.REASON_KIND[loss_id]}
        elif loss_id in PEERS:
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
