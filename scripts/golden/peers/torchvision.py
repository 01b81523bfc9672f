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
