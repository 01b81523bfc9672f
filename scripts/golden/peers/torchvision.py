"""Focal loss against ``torchvision.ops.sigmoid_focal_loss`` and MONAI's ``FocalLoss``
(``torchvision.json``, ``monai.json``)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared generator, helpers and peer imports)


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


# MARK: - Box losses (issue 17.2)

BOX_IDS = ["box-iou", "giou", "diou", "ciou"]
# Their own generator and fixture file: adding them moves no number of any other fixture.
box_rng = np.random.default_rng(17_2_2026)
BOX_FILE = "torchvision-boxes"
CASES.setdefault(BOX_FILE, [])
FILE_LIBRARY[BOX_FILE] = "torchvision"


def random_boxes(n, overlap=True):
    """n predicted boxes and n targets (x1, y1, x2, y2): targets near their prediction (most
    overlap, some do not), sizes 0.5–5, rounded to 3 decimals."""
    x1 = box_rng.uniform(0, 10, (n, 2))
    wh = box_rng.uniform(0.5, 5, (n, 2))
    p = np.concatenate([x1, x1 + wh], axis=1)
    shift = box_rng.normal(0, 1.5 if overlap else 6, (n, 2))
    wh_t = wh * box_rng.uniform(0.5, 1.6, (n, 2))
    t = np.concatenate([x1 + shift, x1 + shift + wh_t], axis=1)
    return f32(p), f32(t)


def box_edge_cases():
    """Named pairs (predicted, target): the special cases of the issue, ties of edges included."""
    return {
        "identical": ([[1, 2, 4, 6], [0, 0, 1, 1], [2.5, 1.5, 3.25, 7]],
                      [[1, 2, 4, 6], [0, 0, 1, 1], [2.5, 1.5, 3.25, 7]]),
        "disjoint": ([[0, 0, 1, 1], [0, 0, 2, 1], [5, 5, 6, 8], [0, 0, 1, 1]],
                     [[3, 0, 4, 1], [4, 3, 5, 5], [1, 1, 2, 2], [1, 0, 2, 1]]),  # the last shares an edge only
        "enclosed": ([[1, 1, 2, 2], [0, 0, 6, 4], [2, 2, 3, 5], [1, 1, 3, 3]],
                     [[0, 0, 4, 4], [1, 1, 2, 3], [2, 1, 4, 5], [0, 0, 4, 4]]),  # inside, around, edges shared, concentric
        "shared-edges": ([[0, 0, 2, 2], [1, 0, 3, 2], [0, 1, 2, 3]],
                         [[0, 1, 2, 4], [0, 0, 2, 3], [1, 1, 2, 3]]),
        "zero-width": ([[1, 1, 1, 3], [2, 0, 2, 2]], [[0, 0, 2, 2], [0, 0, 2, 2]]),
        "zero-height": ([[1, 1, 3, 1], [0, 2, 2, 2]], [[0, 0, 2, 2], [0, 0, 2, 2]]),
        "zero-area-both": ([[1, 1, 1, 1], [0, 0, 2, 0]], [[1, 1, 1, 1], [0, 0, 2, 0]]),
    }


def box_cases():
    """No case of zero boxes: `lossbook eval` takes no empty tensor (its mean of 0 is torchvision's
    `0.0 * loss.sum()`, checked in BoxLossTests)."""
    if torchvision is None:
        return
    from torchvision.ops import (box_iou, complete_box_iou_loss, distance_box_iou_loss,
                                 generalized_box_iou_loss)
    from torchvision.ops._utils import _loss_inter_union

    def iou_loss(a, b, eps, r):
        inter, union = _loss_inter_union(a, b)
        loss = 1 - inter / (union + eps)
        return {"none": loss, "sum": loss.sum(), "mean": loss.mean() if loss.numel() > 0 else 0.0 * loss.sum()}[r]

    def case(name, loss_id, params, call, fn, x, t, reduction, **kw):
        add("torchvision", name, loss_id, params, call, fn, x, t, reduction=reduction, file=BOX_FILE, **kw)

    losses = {
        "giou": ("torchvision.ops.generalized_box_iou_loss", generalized_box_iou_loss),
        "diou": ("torchvision.ops.distance_box_iou_loss", distance_box_iou_loss),
        "ciou": ("torchvision.ops.complete_box_iou_loss", complete_box_iou_loss),
    }
    p, t = random_boxes(8)
    pd, td = random_boxes(4, overlap=False)
    for loss_id, (call, fn) in losses.items():
        for r in REDUCTIONS:
            case(f"{loss_id}-random-{r}", loss_id, {}, f"{call}(b1, b2, reduction='{r}')",
                 lambda a, b, fn=fn, r=r: fn(a, b, reduction=r), p, t, r)
        case(f"{loss_id}-far-apart-none", loss_id, {}, f"{call}(b1, b2)", lambda a, b, fn=fn: fn(a, b), pd, td, "none")
        for eps in [0.01, 0.0]:
            case(f"{loss_id}-eps{eps}-sum", loss_id, {"eps": eps}, f"{call}(b1, b2, reduction='sum', eps={eps})",
                 lambda a, b, fn=fn, eps=eps: fn(a, b, reduction="sum", eps=eps), p, t, "sum")
        case(f"{loss_id}-single-box", loss_id, {}, f"{call}(b1, b2)  # Tensor[4]",
             lambda a, b, fn=fn: fn(a, b), p[0], t[0], "none")
        for edge, (a, b) in box_edge_cases().items():
            grad = True
            note = None
            if loss_id == "ciou" and edge == "zero-area-both":
                continue  # arctan(0/0): torchvision's value is NaN (ours: no aspect term; the ciou page says so)
            if loss_id == "ciou" and edge == "zero-height":
                grad = False
                note = "arctan(w/0) = π/2 gives a finite value, but torchvision's gradient is NaN (ours: its limit)"
            case(f"{loss_id}-{edge}", loss_id, {}, f"{call}(b1, b2)", lambda a, b, fn=fn: fn(a, b),
                 f32(a), f32(b), "none", grad=grad, note=note)
    # box-iou: torchvision has no IoU loss. Its GIoU/DIoU losses' IoU term, with the same ε, is
    # 1 − I/(U + ε) from torchvision's own `_loss_inter_union`; with ε = 0 it is 1 − box_iou.
    inner = "torchvision.ops._utils._loss_inter_union(b1, b2) → 1 - I/(U + eps)"
    for r in REDUCTIONS:
        case(f"box-iou-random-{r}", "box-iou", {}, f"{inner}, reduction='{r}'",
             lambda a, b, r=r: iou_loss(a, b, 1e-7, r), p, t, r)
    case("box-iou-eps0.01-sum", "box-iou", {"eps": 0.01}, f"{inner}, eps=0.01, reduction='sum'",
         lambda a, b: iou_loss(a, b, 0.01, "sum"), p, t, "sum")
    case("box-iou-box_iou-none", "box-iou", {"eps": 0.0}, "1 - torchvision.ops.box_iou(b1, b2).diagonal()",
         lambda a, b: 1 - box_iou(a, b).diagonal(), p, t, "none")
    case("box-iou-single-box", "box-iou", {}, f"{inner}, Tensor[4]", lambda a, b: iou_loss(a, b, 1e-7, "none"), p[0], t[0], "none")
    for edge, (a, b) in box_edge_cases().items():
        case(f"box-iou-{edge}", "box-iou", {}, inner, lambda a, b: iou_loss(a, b, 1e-7, "none"), f32(a), f32(b), "none")
