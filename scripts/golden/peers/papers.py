"""The witness for the losses no peer library has (``papers.json``): each is written here in
PyTorch, float64, from the formula its paper states, with autograd for the gradient, sharing no
code with ``Losses`` or ``LossReference``. Where the loss is built on a part a peer library has
(MONAI's Dice or generalised Dice, SciPy's distance transform, ``torch.nn.functional.cross_entropy``),
that part is the peer's own call and only the paper's addition is written here.

``WITNESS`` names, per loss, the paper, the formula as this file computes it and why no peer
library has the loss; ``make_golden.py`` copies it into ``index.json``. The cases whose ``note``
starts with "reduction:" are not the paper's formula: they check the loss at a parameter where it
is exactly a loss a peer library has (TopK at k = 100 % is cross entropy, focal Tversky at γ = 1
is Tversky, …), with that peer's own call.

Conventions are the catalog's (``content/en/reference/<id>.md``): class scores [N, C, spatial…],
logits through softmax unless ``activation`` says otherwise, class-index targets [N, spatial…];
region losses per (sample, kept class) entry, MONAI's smoothing, reduced over entries. This module
has its own generator: its cases can change without moving any other fixture.
"""
from __future__ import annotations

import math

from .common import F, add, f32, ml, monai, np, one_hot, scipy, torch

rng = np.random.default_rng(10_2026)
FILE = "papers"
LIBRARY = "paper"  # the cases' "peer": {"library": "paper", "call": the citation and formula}

# MARK: - What witnesses each loss

WITNESS = {
    "exponential": {
        "cite": "Freund & Schapire 1997",
        "paper": "Freund Y., Schapire R. E. A Decision-Theoretic Generalization of On-Line Learning and an Application "
                 "to Boosting. JCSS 55(1):119–139, 1997 (AdaBoost's weight update, the exponential of minus the margin); the loss as stated by "
                 "Friedman J., Hastie T., Tibshirani R. Additive Logistic Regression. Ann. Statist. 28(2), 2000.",
        "formula": r"\ell(f, y) = e^{-y f}",
    },
    "topk": {
        "cite": "Wu, Shen & van den Hengel 2016",
        "paper": "Wu Z., Shen C., van den Hengel A. Bridging Category-level and Instance-level Semantic Image "
                 "Segmentation. arXiv:1605.06885, 2016 (online bootstrapping: the K hardest pixels' cross entropy).",
        "formula": r"L = \frac{1}{K}\sum_{i \in \mathcal{T}_K} -w_{y_i}\log p_{i,y_i},\ K = \max(1, \lfloor Mk/100 \rfloor)",
    },
    "topk-threshold": {
        "cite": "Wu, Shen & van den Hengel 2016",
        "paper": "Wu Z., Shen C., van den Hengel A. arXiv:1605.06885, 2016 (bootstrapping by a probability threshold); "
                 "Shrivastava A., Gupta A., Girshick R. Online Hard Example Mining. CVPR 2016.",
        "formula": r"L = \frac{1}{|\mathcal{H}|}\sum_{i \in \mathcal{H}} -w_{y_i}\log p_{i,y_i},\ \mathcal{H} = \{i : p_{i,y_i} < t\}",
    },
    "dpce": {
        "cite": "Caliva et al. 2019",
        "paper": "Caliva F., Iriondo C., Martinez A. M., Majumdar S., Pedoia V. Distance Map Loss Penalty Term for "
                 "Semantic Segmentation. MIDL 2019 (cross entropy weighted by 1 + a distance map of the target).",
        "formula": r"L = \frac{\sum_i (1 + D_i)\,w_{y_i}\ell_i}{\sum_i w_{y_i}},\ "
                   r"D_i = \frac{M - \mathrm{edt}(m_{y_i})_i}{M - \mu} \text{ (edt: scipy.ndimage.distance\_transform\_edt)}",
    },
    "sensitivity-specificity": {
        "cite": "Brosch et al. 2015",
        "paper": "Brosch T., Yoo Y., Tang L. Y. W., Li D. K. B., Traboulsee A., Tam R. Deep Convolutional Encoder "
                 "Networks for Multiple Sclerosis Lesion Segmentation. MICCAI 2015, LNCS 9351:3–11.",
        "formula": r"r\frac{\sum (g-p)^2 g}{\sum g + s} + (1-r)\frac{\sum (g-p)^2 (1-g)}{\sum (1-g) + s}",
    },
    "focal-tversky": {
        "cite": "Abraham & Khan 2019",
        "paper": "Abraham N., Khan N. M. A Novel Focal Tversky Loss Function with Improved Attention U-Net for Lesion "
                 "Segmentation. ISBI 2019, arXiv:1810.07842.",
        "formula": r"(1 - TI)^{1/\gamma},\ TI = \frac{TP + s}{TP + \alpha FP + \beta FN + s}",
    },
    "asymmetric": {
        "cite": "Hashemi et al. 2019",
        "paper": "Hashemi S. R., Salehi S. S. M., Erdogmus D., Prabhu S. P., Warfield S. K., Gholipour A. Asymmetric "
                 "Loss Functions and Deep Densely-Connected Networks for Highly-Imbalanced Medical Image "
                 "Segmentation. IEEE Access 7:1721–1735, 2019.",
        "formula": r"1 - \frac{(1+\beta^2)TP + s}{(1+\beta^2)TP + \beta^2 FN + FP + s}",
    },
    "penalty-generalized-dice": {
        "cite": "Yang, Kweon & Kim 2019",
        "paper": "Yang S., Kweon J., Kim Y.-H. Major Vessel Segmentation on X-ray Coronary Angiography using Deep "
                 "Networks with a Novel Penalty Loss Function. MIDL 2019 (extended abstract).",
        "formula": r"\frac{L_{GD}}{1 + k(1 - L_{GD})} \text{ (} L_{GD}\text{: monai.losses.GeneralizedDiceLoss)}",
    },
    "dice-topk": {
        "cite": "Ma et al. 2021",
        "paper": "Ma J. et al. Loss Odyssey in Medical Image Segmentation. Medical Image Analysis 71:102035, 2021 "
                 "(Dice + TopK); TopK as Wu et al., arXiv:1605.06885.",
        "formula": r"\lambda_{dice} L_{Dice} + \lambda_{topk} L_{TopK} \text{ (} L_{Dice}\text{: monai.losses.DiceLoss)}",
    },
    "exp-log": {
        "cite": "Wong et al. 2018",
        "paper": "Wong K. C. L., Moradi M., Tang H., Syeda-Mahmood T. 3D Segmentation with Exponential Logarithmic "
                 "Loss for Highly Unbalanced Object Sizes. MICCAI 2018, arXiv:1809.00076.",
        "formula": r"w_{dice} E[(-\ln \mathrm{Dice})^{\gamma_{dice}}] + w_{cross} E[w_y (-\ln p_y)^{\gamma_{cross}}]",
    },
    "combo": {
        "cite": "Taghanaki et al. 2019",
        "paper": "Taghanaki S. A. et al. Combo loss: Handling input and output imbalance in multi-organ segmentation. "
                 "Computerized Medical Imaging and Graphics 75:24–33, 2019, arXiv:1805.02798.",
        "formula": r"\alpha L_{\beta\text{-CE}} + (1-\alpha)(1 - \mathrm{Dice}) \text{ (Dice: monai.losses.DiceLoss)}",
    },
    "hausdorff-er": {
        "cite": "Karimi & Salcudean 2019",
        "paper": "Karimi D., Salcudean S. E. Reducing the Hausdorff Distance in Medical Image Segmentation with "
                 "Convolutional Neural Networks. IEEE TMI 39(2):499–513, 2020, arXiv:1904.10030 (HD from morphological "
                 "erosion: the squared error eroded K times by a cross, each erosion soft-thresholded at 1/2, weighted by k to the power α).",
        "formula": r"\frac{1}{|\Omega|}\sum_{k=1}^{K} k^{\alpha}\sum_i f^{(k)}_i,\ f^{(k)} = \operatorname{norm}(\max(B * f^{(k-1)} - \tfrac12, 0)),\ f^{(0)} = (p - g)^2",
    },
}


# Why no peer library has it, as a kind the site says in each language (templates/strings.yaml,
# `witness_reason_<kind>`); the index keeps the detailed reason too.
REASON_KIND = {
    "exponential": "no_library",  # boosting libraries use it inside, none exposes it as a loss
    "topk": "research_code", "topk-threshold": "research_code", "dpce": "research_code",
    "sensitivity-specificity": "research_code", "focal-tversky": "research_code", "asymmetric": "research_code",
    "penalty-generalized-dice": "research_code", "dice-topk": "research_code", "combo": "research_code",
    "exp-log": "paper_only",
    "hausdorff-er": "special_case_peer",
}


def witness_text(loss_id):
    return f"the formula of the paper, computed in PyTorch float64 with autograd: {WITNESS[loss_id]['formula']}"


def case(name, loss_id, params, fn, x, t, reduction, **kw):
    """A case whose numbers are this module's transcription of the paper."""
    call = f"{WITNESS[loss_id]['cite']}: {WITNESS[loss_id]['formula']} (torch float64, autograd)"
    add(LIBRARY, name, loss_id, params, call, fn, x, t, reduction=reduction, file=FILE, **kw)


def reduction_case(library, name, loss_id, params, call, fn, x, t, reduction, why, **kw):
    """A case where the loss is exactly a peer library's loss: the numbers are the peer's."""
    add(library, name, loss_id, params, call, fn, x, t, reduction=reduction, file=FILE, note=f"reduction: {why}", **kw)


# MARK: - Inputs and shared pieces


def normal(shape, scale=1.5):
    return f32(rng.normal(0, scale, size=shape))


def class_map(shape, classes):
    return rng.integers(0, classes, size=shape).astype(np.float32)


def reduce(v, reduction):
    return v.mean() if reduction == "mean" else v.sum() if reduction == "sum" else v


def probabilities(x, activation):
    if activation == "softmax":
        return torch.softmax(x, 1)
    if activation == "sigmoid":
        return torch.sigmoid(x)
    return x


def dense(t, x):
    """Class indices [N, spatial…] → one-hot [N, C, spatial…]; a dense target stays as it is."""
    return one_hot(t, x.shape[1]) if t.dim() == x.dim() - 1 else t


def region_sums(p, g, include_background, batch):
    """TP, FP, FN and Σg, Σ1 per (sample, kept class) entry — per kept class with `batch`."""
    if not include_background and p.shape[1] > 1:
        p, g = p[:, 1:], g[:, 1:]
    axes = tuple(range(2, p.dim()))
    if batch:
        axes = (0,) + axes
    tp = (p * g).sum(axes)
    fp = (p * (1 - g)).sum(axes)
    fn = ((1 - p) * g).sum(axes)
    return tp, fp, fn, p, g, axes


def position_ce(x, t, weight=None, ignore_index=-100):
    """−w_y log softmax(x)_y per position [N, spatial…] (0 where ignored)."""
    w = None if weight is None else torch.tensor(weight)
    return F.cross_entropy(x, t.long(), weight=w, ignore_index=ignore_index, reduction="none")


# MARK: - The losses


def exponential():
    x, y = normal((7,)), np.where(rng.random(7) < 0.5, -1.0, 1.0).astype(np.float32)
    for r in ["mean", "sum", "none"]:
        case(f"exponential-{r}", "exponential", {}, lambda a, b, r=r: reduce(torch.exp(-b * a), r), x, y, r)
    x2 = normal((2, 3, 2), 3.0)
    y2 = np.where(rng.random((2, 3, 2)) < 0.5, -1.0, 1.0).astype(np.float32)
    case("exponential-wide-margins", "exponential", {}, lambda a, b: torch.exp(-b * a).mean(), x2, y2, "mean")


def topk_value(x, t, k, weight, ignore_index, reduction):
    losses = position_ce(x, t, weight, ignore_index).reshape(-1)
    keep = (t.reshape(-1) != ignore_index).nonzero().reshape(-1)
    m = keep.numel()
    count = 0 if m == 0 else max(1, math.floor(m * k / 100))
    order = torch.argsort(-losses[keep].detach(), stable=True)
    chosen = keep[order[:count]]
    mask = torch.zeros_like(losses)
    mask[chosen] = 1
    kept = losses * mask
    if reduction == "none":
        return kept.reshape(t.shape)
    total = kept.sum()
    return total / count if reduction == "mean" and count > 0 else total


def topk():
    x, t = normal((2, 3, 4, 4)), class_map((2, 4, 4), 3)
    for k, r in [(10, "mean"), (30, "mean"), (30, "sum"), (25, "none")]:
        case(f"topk-k{k}-{r}", "topk", {"k": k}, lambda a, b, k=k, r=r: topk_value(a, b, k, None, -100, r), x, t, r)
    w = [0.5, 1.0, 2.0]
    case("topk-k20-weight", "topk", {"k": 20, "weight": w}, lambda a, b: topk_value(a, b, 20, w, -100, "mean"), x, t, "mean")
    ti = t.copy()
    ti[0, 0, :] = 255
    case("topk-k40-ignore", "topk", {"k": 40, "ignore_index": 255},
         lambda a, b: topk_value(a, b, 40, None, 255, "mean"), x, ti, "mean")
    reduction_case("pytorch", "topk-k100-is-cross-entropy", "topk", {"k": 100},
                   "torch.nn.functional.cross_entropy(x, y)", lambda a, b: F.cross_entropy(a, b.long()), x, t, "mean",
                   "at k = 100 % every position is kept: the mean cross entropy")


def threshold_value(x, t, threshold, weight, ignore_index, reduction):
    losses = position_ce(x, t, weight, ignore_index)
    safe = t.long().clamp(0, x.shape[1] - 1)
    p_true = torch.softmax(x, 1).gather(1, safe.unsqueeze(1)).squeeze(1)
    hard = ((p_true < threshold) & (t != ignore_index)).to(x.dtype).detach()
    kept = losses * hard
    if reduction == "none":
        return kept
    count = hard.sum()
    return kept.sum() / count if reduction == "mean" and count > 0 else kept.sum()


def topk_threshold():
    x, t = normal((2, 3, 4, 4)), class_map((2, 4, 4), 3)
    for th, r in [(0.7, "mean"), (0.4, "mean"), (0.7, "sum"), (0.5, "none")]:
        case(f"topk-threshold-{th}-{r}", "topk-threshold", {"threshold": th},
             lambda a, b, th=th, r=r: threshold_value(a, b, th, None, -100, r), x, t, r)
    w = [2.0, 1.0, 0.5]
    case("topk-threshold-weight", "topk-threshold", {"threshold": 0.6, "weight": w},
         lambda a, b: threshold_value(a, b, 0.6, w, -100, "mean"), x, t, "mean")
    reduction_case("pytorch", "topk-threshold-1-is-cross-entropy", "topk-threshold", {"threshold": 1.0},
                   "torch.nn.functional.cross_entropy(x, y)", lambda a, b: F.cross_entropy(a, b.long()), x, t, "mean",
                   "at t = 1 every position (p_y < 1) is kept: the mean cross entropy")


def penalty_map(t, classes, spacing):
    """D per position: for the mask m of the position's own class in its sample,
    (M − edt(m))/(M − μ) with M, μ the largest and smallest distance inside m (1 if equal);
    0 for a class filling the whole sample."""
    labels = t.numpy().astype(int)
    d = np.zeros(labels.shape)
    for n in range(labels.shape[0]):
        for c in range(classes):
            mask = labels[n] == c
            if not mask.any() or mask.all():
                continue
            edt = scipy.ndimage.distance_transform_edt(mask, sampling=spacing)
            inside = edt[mask]
            big, small = inside.max(), inside.min()
            d[n][mask] = (big - edt[mask]) / (big - small) if big > small else 1.0
    return torch.tensor(d)


def dpce_value(x, t, weight, spacing, reduction):
    factor = 1 + penalty_map(t, x.shape[1], spacing)
    per_position = factor * position_ce(x, t, weight)
    if reduction == "none":
        return per_position
    if reduction == "sum":
        return per_position.sum()
    w = torch.ones(x.shape[1]) if weight is None else torch.tensor(weight)
    return per_position.sum() / w[t.long()].sum()


def blobs(n, h, w, classes):
    """Label maps made of rectangles, so the distance maps have a range."""
    out = np.zeros((n, h, w), np.float32)
    for i in range(n):
        for c in range(1, classes):
            r0, c0 = rng.integers(0, h - 2), rng.integers(0, w - 2)
            out[i, r0:r0 + rng.integers(2, h - r0 + 1), c0:c0 + rng.integers(2, w - c0 + 1)] = c
    return out


def dpce():
    x, t = normal((2, 3, 6, 6)), blobs(2, 6, 6, 3)
    for r in ["mean", "sum", "none"]:
        case(f"dpce-{r}", "dpce", {}, lambda a, b, r=r: dpce_value(a, b, None, None, r), x, t, r)
    w = [0.5, 1.0, 2.0]
    case("dpce-weight", "dpce", {"weight": w}, lambda a, b: dpce_value(a, b, w, None, "mean"), x, t, "mean")
    case("dpce-spacing", "dpce", {"spacing": [1.0, 2.5]}, lambda a, b: dpce_value(a, b, None, [1.0, 2.5], "mean"),
         x, t, "mean")
    full = np.ones((2, 6, 6), np.float32)
    reduction_case("pytorch", "dpce-one-class-is-cross-entropy", "dpce", {}, "torch.nn.functional.cross_entropy(x, y)",
                   lambda a, b: F.cross_entropy(a, b.long()), x, full, "mean",
                   "a class filling the whole sample has D = 0: plain cross entropy")


def region_case(name, loss_id, params, entry, x, t, reduction, activation="softmax", include_background=True,
                batch=False, out_shape=None):
    def fn(a, b):
        p = probabilities(a, activation)
        sums = region_sums(p, dense(b, a), include_background, batch)
        return reduce(entry(*sums), reduction)
    case(name, loss_id, dict(params, activation=activation, include_background=include_background, batch=batch),
         fn, x, t, reduction, out_shape=out_shape)


def sensitivity_specificity():
    x, t = normal((2, 3, 4, 5)), class_map((2, 4, 5), 3)
    t[1][t[1] == 2] = 1  # class 2 absent from sample 1: its foreground term is 0/s

    def entry(r, s):
        def f(tp, fp, fn, p, g, axes):
            elements = math.prod(p.shape[a] for a in axes)
            fg = (((g - p) ** 2) * g).sum(axes) / (g.sum(axes) + s)
            bg = (((g - p) ** 2) * (1 - g)).sum(axes) / (elements - g.sum(axes) + s)
            return r * fg + (1 - r) * bg
        return f
    for r_, red, inc, batch in [(0.05, "mean", True, False), (0.05, "sum", True, False), (0.3, "none", False, False),
                                (0.05, "mean", True, True)]:
        region_case(f"sensitivity-specificity-r{r_}-{red}-bg{inc}-batch{batch}", "sensitivity-specificity", {"r": r_},
                    entry(r_, 1e-5), x, t, red, include_background=inc, batch=batch,
                    out_shape=(2, 2) if red == "none" else None)
    xb = normal((2, 1, 4, 4))
    tb = (rng.random((2, 1, 4, 4)) < 0.3).astype(np.float32)
    region_case("sensitivity-specificity-sigmoid", "sensitivity-specificity", {"r": 0.05, "smooth_dr": 1.0},
                entry(0.05, 1.0), xb, tb, "mean", activation="sigmoid")


def tversky_index(alpha, beta, s_nr=1e-5, s_dr=1e-5):
    return lambda tp, fp, fn, *_: (tp + s_nr) / (tp + alpha * fp + beta * fn + s_dr)


def focal_tversky():
    x, t = normal((2, 3, 4, 5)), class_map((2, 4, 5), 3)
    for name, (al, be, ga), red, inc, batch in [
            ("default", (0.3, 0.7, 4 / 3), "mean", True, False),
            ("default", (0.3, 0.7, 4 / 3), "sum", True, False),
            ("gamma2-nobg", (0.5, 0.5, 2.0), "none", False, False),
            ("gamma3-batch", (0.7, 0.3, 3.0), "mean", True, True)]:
        ti = tversky_index(al, be)
        region_case(f"focal-tversky-{name}-{red}", "focal-tversky", {"alpha": al, "beta": be, "gamma": ga},
                    lambda *s, ti=ti, ga=ga: (1 - ti(*s)) ** (1 / ga), x, t, red, include_background=inc, batch=batch,
                    out_shape=(2, 2) if red == "none" else None)
    if monai is not None:
        reduction_case("monai", "focal-tversky-gamma1-is-tversky", "focal-tversky",
                       {"alpha": 0.3, "beta": 0.7, "gamma": 1.0, "activation": "softmax"},
                       "monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha=0.3, beta=0.7)",
                       lambda a, b: ml.TverskyLoss(softmax=True, to_onehot_y=True, alpha=0.3, beta=0.7)(a, b.unsqueeze(1)),
                       x, t, "mean", "at γ = 1 the focal Tversky loss is the Tversky loss")


def asymmetric():
    x, t = normal((2, 3, 4, 5)), class_map((2, 4, 5), 3)

    def entry(beta, s_nr=1e-5, s_dr=1e-5):
        b2 = beta * beta
        return lambda tp, fp, fn, *_: 1 - ((1 + b2) * tp + s_nr) / ((1 + b2) * tp + b2 * fn + fp + s_dr)
    for beta, red, inc, batch in [(1.5, "mean", True, False), (1.5, "sum", False, False), (2.0, "none", True, False),
                                  (1.0, "mean", True, True)]:
        region_case(f"asymmetric-beta{beta}-{red}-bg{inc}-batch{batch}", "asymmetric", {"beta": beta}, entry(beta),
                    x, t, red, include_background=inc, batch=batch, out_shape=(2, 3) if red == "none" else None)
    if monai is not None:
        b2 = 1.5 ** 2
        reduction_case("monai", "asymmetric-unsmoothed-is-tversky", "asymmetric",
                       {"beta": 1.5, "smooth_nr": 0.0, "smooth_dr": 0.0, "activation": "softmax"},
                       f"monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha=1/(1+1.5**2), beta=1.5**2/(1+1.5**2), smooth_nr=0, smooth_dr=0)",
                       lambda a, b: ml.TverskyLoss(softmax=True, to_onehot_y=True, alpha=1 / (1 + b2), beta=b2 / (1 + b2),
                                                   smooth_nr=0.0, smooth_dr=0.0)(a, b.unsqueeze(1)),
                       x, t, "mean", "without smoothing, 1 − F_β is Tversky with α = 1/(1 + β²), β_T = β²/(1 + β²)")


def penalty_generalized_dice():
    if monai is None:
        return
    x, t = normal((2, 3, 4, 5)), class_map((2, 4, 5), 3)
    t[1][t[1] == 2] = 1

    def pgd(k, reduction, w_type="square"):
        def f(a, b):
            gd = ml.GeneralizedDiceLoss(softmax=True, to_onehot_y=True, w_type=w_type, reduction="none")(a, b.unsqueeze(1))
            gd = gd.reshape(-1)
            return reduce(gd / (1 + k * (1 - gd)), reduction)
        return f
    for k, red, w_type in [(2.5, "mean", "square"), (2.5, "sum", "square"), (1.0, "none", "square"), (5.0, "mean", "simple")]:
        case(f"penalty-generalized-dice-k{k}-{red}-{w_type}", "penalty-generalized-dice",
             {"k": k, "w_type": w_type, "activation": "softmax"}, pgd(k, red, w_type), x, t, red,
             out_shape=(2,) if red == "none" else None)
    reduction_case("monai", "penalty-generalized-dice-k0-is-generalized-dice", "penalty-generalized-dice",
                   {"k": 0.0, "activation": "softmax"}, "monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)",
                   lambda a, b: ml.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)), x, t, "mean",
                   "at k = 0 the penalty is 1: the generalised Dice loss")


def dice_topk():
    if monai is None:
        return
    x, t = normal((2, 3, 4, 4)), class_map((2, 4, 4), 3)
    for k, ld, lt, inc, red in [(10, 1.0, 1.0, False, "mean"), (30, 0.5, 2.0, True, "mean"), (20, 1.0, 1.0, False, "sum")]:
        def f(a, b, k=k, ld=ld, lt=lt, inc=inc, red=red):
            dice = ml.DiceLoss(softmax=True, to_onehot_y=True, include_background=inc, reduction=red)(a, b.unsqueeze(1))
            return ld * dice + lt * topk_value(a, b, k, None, -100, red)
        case(f"dice-topk-k{k}-{red}-bg{inc}", "dice-topk",
             {"k": k, "lambda_dice": ld, "lambda_topk": lt, "include_background": inc}, f, x, t, red)


def exp_log():
    x, t = normal((2, 3, 4, 5)), class_map((2, 4, 5), 3)

    def value(a, b, w_dice, w_cross, g_dice, g_cross, weight, inc, batch, red, s=1.0):
        p = torch.softmax(a, 1)
        g = dense(b, a)
        tp, fp, fn, pk, gk, axes = region_sums(p, g, inc, batch)
        dice = (2 * tp + s) / (pk.sum(axes) + gk.sum(axes) + s)
        dice_term = reduce((-torch.log(dice)) ** g_dice, red)
        ce = -(g * torch.log_softmax(a, 1)).sum(1)
        w = torch.ones(a.shape[1]) if weight is None else torch.tensor(weight)
        wy = (g * w.reshape(1, -1, *([1] * (a.dim() - 2)))).sum(1)
        cross_term = reduce(wy * ce ** g_cross, red)
        return w_dice * dice_term + w_cross * cross_term
    variants = [
        ("paper", (0.8, 0.2, 0.3, 0.3, None, True, False), "mean"),
        ("paper", (0.8, 0.2, 0.3, 0.3, None, True, False), "sum"),
        ("weight-nobg", (0.5, 0.5, 0.5, 2.0, [0.2, 1.0, 3.0], False, False), "mean"),
        ("batch", (0.8, 0.2, 1.0, 0.3, None, True, True), "mean"),
    ]
    for name, (wd, wc, gd, gc, w, inc, batch), red in variants:
        params = {"w_dice": wd, "w_cross": wc, "gamma_dice": gd, "gamma_cross": gc, "include_background": inc, "batch": batch}
        if w is not None:
            params["weight"] = w
        case(f"exp-log-{name}-{red}", "exp-log", params,
             lambda a, b, v=(wd, wc, gd, gc, w, inc, batch, red): value(a, b, *v), x, t, red)
    reduction_case("pytorch", "exp-log-cross-only-gamma1-is-cross-entropy", "exp-log",
                   {"w_dice": 0.0, "w_cross": 1.0, "gamma_cross": 1.0}, "torch.nn.functional.cross_entropy(x, y)",
                   lambda a, b: F.cross_entropy(a, b.long()), x, t, "mean",
                   "with w_dice = 0 and γ_cross = 1 only the mean cross entropy is left")


def combo():
    if monai is None:
        return
    x, t = normal((2, 3, 4, 5)), class_map((2, 4, 5), 3)

    def value(a, b, alpha, beta, inc, red):
        g = dense(b, a)
        logp, p = torch.log_softmax(a, 1), torch.softmax(a, 1)
        logq = torch.log1p(-p)  # ln(1 − p): float64 keeps it accurate for these moderate logits
        terms = beta * g * logp + (1 - beta) * (1 - g) * logq
        if not inc:
            terms = terms[:, 1:]
        ce = -reduce(terms, red)
        dice = ml.DiceLoss(softmax=True, to_onehot_y=True, include_background=inc, reduction=red)(a, b.unsqueeze(1))
        return alpha * ce + (1 - alpha) * dice
    for alpha, beta, inc, red in [(0.5, 0.5, True, "mean"), (0.5, 0.5, True, "sum"), (0.3, 0.8, False, "mean")]:
        case(f"combo-alpha{alpha}-beta{beta}-bg{inc}-{red}", "combo", {"alpha": alpha, "beta": beta, "include_background": inc},
             lambda a, b, v=(alpha, beta, inc, red): value(a, b, *v), x, t, red)
    xb = normal((2, 1, 4, 4))
    tb = (rng.random((2, 1, 4, 4)) < 0.4).astype(np.float32)
    reduction_case("pytorch", "combo-alpha1-sigmoid-is-half-bce", "combo",
                   {"alpha": 1.0, "beta": 0.5, "activation": "sigmoid"},
                   "torch.nn.functional.binary_cross_entropy_with_logits(x, y)",
                   lambda a, b: F.binary_cross_entropy_with_logits(a, b), xb, tb, "mean",
                   "with α = 1, β = ½ and one sigmoid channel the loss is half the binary cross entropy", factor=0.5)


# MARK: - Hausdorff distance by erosion (issue 17.3): its own generator, its cases appended last

er_rng = np.random.default_rng(17_3_10)


def erosion_loss(x, t, alpha, erosions, include_background, batch, reduction, activation="softmax"):
    """Karimi & Salcudean's HD-ER, written from the paper: per (sample, kept class), f0 = (p − g)^2,
    then K times f ← norm(relu(conv(f, B) − 1/2)), B the cross (centre and axis neighbours, each
    1/(2d + 1)) with zero padding, norm the min–max rescaling (skipped for a constant map); the loss
    adds k^α Σ f at erosion k and divides by |Ω|. Autograd's amax/amin share ties evenly."""
    p = probabilities(x, activation)
    g = dense(t, x) if t.dim() != x.dim() or t.shape != x.shape else t
    if not include_background and p.shape[1] > 1:
        p, g = p[:, 1:], g[:, 1:]
    d = p.dim() - 2
    n, c = p.shape[0], p.shape[1]
    spatial = p.shape[2:]
    f = ((p - g) ** 2).reshape(n * c, 1, *spatial)
    kernel = torch.zeros((1, 1) + (3,) * d)
    centre = (0, 0) + (1,) * d
    kernel[centre] = 1.0
    for axis in range(d):
        for step in (0, 2):
            index = list(centre)
            index[2 + axis] = step
            kernel[tuple(index)] = 1.0
    kernel = kernel / (2 * d + 1)
    conv = F.conv2d if d == 2 else F.conv3d if d == 3 else F.conv1d
    total = torch.zeros(n * c)
    for k in range(1, erosions + 1):
        r = torch.relu(conv(f, kernel, padding=1) - 0.5)
        flat = r.reshape(n * c, -1)
        low = flat.amin(dim=1)
        high = flat.amax(dim=1)
        span = high - low
        safe = torch.where(span > 0, span, torch.ones_like(span))
        shaped = (-1,) + (1,) * (d + 1)
        f = torch.where((span > 0).reshape(shaped), (r - low.reshape(shaped)) / safe.reshape(shaped), r)
        total = total + (k ** alpha) * f.reshape(n * c, -1).sum(1)
    entries = (total / math.prod(spatial)).reshape(n, c)
    if batch:
        entries = entries.mean(0)
    return reduce(entries, reduction)


def hausdorff_er():
    C = 3
    x = f32(er_rng.normal(0, 2.0, size=(2, C, 8, 9)))
    t = er_rng.integers(0, C, size=(2, 8, 9)).astype(np.float32)
    t[1][t[1] == 2] = 1  # sample 1 has no class 2
    for alpha, erosions in [(2.0, 10), (1.0, 3)]:
        for red in ["mean", "sum", "none"]:
            case(f"hausdorff-er-alpha{alpha}-k{erosions}-{red}", "hausdorff-er", {"alpha": alpha, "erosions": erosions},
                 lambda a, b, al=alpha, e=erosions, r=red: erosion_loss(a, b, al, e, False, False, r), x, t, red)
    case("hausdorff-er-background-batch", "hausdorff-er", {"include_background": True, "batch": True},
         lambda a, b: erosion_loss(a, b, 2.0, 10, True, True, "none"), x, t, "none")
    # An object and a prediction with a far-off false alarm: one channel, sigmoid; sample 1 empty.
    g = np.zeros((2, 1, 9, 9), dtype=np.float32)
    g[0, 0, 2:6, 2:6] = 1
    xb = np.where(g > 0, 3.0, -3.0).astype(np.float32) + f32(er_rng.normal(0, 0.5, size=g.shape))
    xb[0, 0, 6:9, 6:9] = 2.5
    case("hausdorff-er-false-alarm", "hausdorff-er", {"activation": "sigmoid", "erosions": 4},
         lambda a, b: erosion_loss(a, b, 2.0, 4, True, False, "none", "sigmoid"), f32(xb), g, "none")
    # 3-D volumes, and a target of background only.
    x3 = f32(er_rng.normal(0, 2.0, size=(1, 2, 4, 5, 5)))
    t3 = er_rng.integers(0, 2, size=(1, 4, 5, 5)).astype(np.float32)
    case("hausdorff-er-3d", "hausdorff-er", {"erosions": 3},
         lambda a, b: erosion_loss(a, b, 2.0, 3, False, False, "mean"), x3, t3, "mean")
    case("hausdorff-er-background-only", "hausdorff-er", {},
         lambda a, b: erosion_loss(a, b, 2.0, 10, False, False, "mean"), x, np.zeros_like(t), "mean")
    # kornia's HausdorffERLoss is the special case on probabilities with every channel.
    try:
        import kornia.losses as kl
    except ImportError:  # pragma: no cover
        return
    z = er_rng.normal(0, 1.5, size=(2, C, 8, 9))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    probs = f32(e / e.sum(axis=1, keepdims=True), 4)
    for alpha, erosions in [(2.0, 10), (1.0, 3)]:
        reduction_case("kornia", f"hausdorff-er-kornia-alpha{alpha}-k{erosions}", "hausdorff-er",
                       {"activation": "none", "include_background": True, "alpha": alpha, "erosions": erosions},
                       f"kornia.losses.HausdorffERLoss(alpha={alpha}, k={erosions})(p, y)",
                       lambda a, b, al=alpha, e=erosions: kl.HausdorffERLoss(alpha=al, k=e)(a, b.long().unsqueeze(1)),
                       probs, t, "mean", "on probabilities (activation none) with every channel, mean over all elements")


def all_cases():
    exponential()
    topk()
    topk_threshold()
    dpce()
    sensitivity_specificity()
    focal_tversky()
    asymmetric()
    penalty_generalized_dice()
    dice_topk()
    exp_log()
    combo()
    hausdorff_er()  # its own generator, appended last: every earlier case stays as it was
