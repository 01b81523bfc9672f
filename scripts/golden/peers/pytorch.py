"""PyTorch ``torch.nn`` cases of the original catalog: element-wise, KL, BCE, perceptual, cross entropy
(``pytorch.json``)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared generator, helpers and peer imports)


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
