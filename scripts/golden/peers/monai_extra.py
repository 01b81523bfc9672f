"""MONAI's remaining segmentation losses (issue 17.3): GeneralizedDiceFocalLoss, MaskedDiceLoss,
LogHausdorffDTLoss, GeneralizedWassersteinDiceLoss (``monai-extra.json``).

Their own seeded generator and their own fixture file, so adding them moves no number of any
other fixture."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared helpers and peer imports)

EXTRA_FILE = "monai-extra"
CASES.setdefault(EXTRA_FILE, [])
FILE_LIBRARY[EXTRA_FILE] = "monai"
IDS = ["generalized-dice-focal", "masked-dice", "log-hausdorff-dt", "generalized-wasserstein-dice"]

extra_rng = np.random.default_rng(17_3_2026)


def extra_logits(shape, scale=2.0):
    return f32(extra_rng.normal(0, scale, size=shape))


def extra_labels(shape, classes):
    return extra_rng.integers(0, classes, size=shape).astype(np.float32)


def case(name, loss_id, params, call, fn, x, t, **kw):
    add("monai", name, loss_id, params, call, fn, x, t, file=EXTRA_FILE, **kw)


def generalized_dice_focal_cases():
    C = 3
    shape = (2, C, 4, 5)
    x = extra_logits(shape)
    x[0, :, 0, 0] = [1000, -1000, 0]
    idx = extra_labels((2, 4, 5), C)
    idx[1][idx[1] == 2] = 1  # sample 1 has no class 2: an empty foreground
    variants = [
        ("default", {}, {}),
        ("nobg", {"include_background": False}, {"include_background": False}),
        ("simple", {"w_type": "simple"}, {"w_type": "simple"}),
        ("uniform-batch", {"w_type": "uniform", "batch": True}, {"w_type": "uniform", "batch": True}),
        ("weight", {"weight": [0.5, 1.0, 2.0]}, {"weight": [0.5, 1.0, 2.0]}),
        ("nobg-weight", {"include_background": False, "weight": [2.0, 0.5]},
         {"include_background": False, "weight": [2.0, 0.5]}),
        ("gamma-lambdas", {"gamma": 1.5, "lambda_gdl": 0.4, "lambda_focal": 2.0},
         {"gamma": 1.5, "lambda_gdl": 0.4, "lambda_focal": 2.0}),
        ("gamma0-smooth", {"gamma": 0.0, "smooth_nr": 0.0, "smooth_dr": 1.0},
         {"gamma": 0.0, "smooth_nr": 0.0, "smooth_dr": 1.0}),
        ("sum", {"reduction": "sum"}, {"reduction": "sum"}),
        ("batch-sum", {"batch": True, "reduction": "sum"}, {"batch": True, "reduction": "sum"}),
    ]
    for name, ours, theirs in variants:
        kw = ", ".join(f"{k}={v!r}" for k, v in theirs.items())
        case(f"generalized-dice-focal-{name}", "generalized-dice-focal", {"activation": "softmax", **ours},
             f"monai.losses.GeneralizedDiceFocalLoss(softmax=True, to_onehot_y=True{', ' if kw else ''}{kw})",
             lambda a, b, th=theirs: ml.GeneralizedDiceFocalLoss(softmax=True, to_onehot_y=True, **th)(a, b.unsqueeze(1)),
             x, idx)
    # Every position background: both foreground classes empty in every sample.
    case("generalized-dice-focal-background-only", "generalized-dice-focal", {"activation": "softmax"},
         "monai.losses.GeneralizedDiceFocalLoss(softmax=True, to_onehot_y=True)",
         lambda a, b: ml.GeneralizedDiceFocalLoss(softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)),
         x, np.zeros_like(idx))
    dense = (extra_rng.random(shape) < 0.5).astype(np.float32)
    dense[1, 2] = 0  # an empty channel
    case("generalized-dice-focal-sigmoid", "generalized-dice-focal", {"activation": "sigmoid"},
         "monai.losses.GeneralizedDiceFocalLoss(sigmoid=True)",
         lambda a, b: ml.GeneralizedDiceFocalLoss(sigmoid=True)(a, b), x, dense)
    # One channel, sigmoid: binary segmentation, one sample empty.
    xb = extra_logits((2, 1, 4, 5))
    tb = (extra_rng.random((2, 1, 4, 5)) < 0.4).astype(np.float32)
    tb[1] = 0
    case("generalized-dice-focal-binary", "generalized-dice-focal", {"activation": "sigmoid"},
         "monai.losses.GeneralizedDiceFocalLoss(sigmoid=True)",
         lambda a, b: ml.GeneralizedDiceFocalLoss(sigmoid=True)(a, b), xb, tb)
    # No activation: probabilities for the GDL term, the same numbers as logits for the focal term.
    z = extra_rng.normal(0, 1.5, size=shape)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    probs = f32(e / e.sum(axis=1, keepdims=True), 4)
    case("generalized-dice-focal-probabilities", "generalized-dice-focal", {"activation": "none"},
         "monai.losses.GeneralizedDiceFocalLoss(to_onehot_y=True)",
         lambda a, b: ml.GeneralizedDiceFocalLoss(to_onehot_y=True)(a, b.unsqueeze(1)), probs, idx)


def with_mask(target, mask):
    """Our masked-dice target: the mask [N, 1, spatial…] appended as the last channel of a dense
    target [N, C, spatial…], or after a class-index map [N, spatial…]."""
    t = np.asarray(target, dtype=np.float32)
    if t.ndim == mask.ndim - 1:
        t = t[:, None]
    return np.concatenate([t, mask.astype(np.float32)], axis=1)


def masked_dice_cases():
    C = 3
    shape = (2, C, 4, 5)
    x = extra_logits(shape)
    x[0, :, 0, 0] = [1000, -1000, 0]
    idx = extra_labels((2, 4, 5), C)
    idx[1][idx[1] == 2] = 1  # sample 1 has no class 2
    mask = (extra_rng.random((2, 1, 4, 5)) < 0.65).astype(np.float32)
    mask[0, 0, 0, :2] = [1, 0]
    oh = one_hot(idx, C).numpy().astype(np.float32)
    dense = with_mask(oh, mask)
    labels = with_mask(idx, mask)

    def masked(**kw):
        return lambda a, b, kw=kw: ml.MaskedDiceLoss(softmax=True, **kw)(a, b[:, :C], b[:, C:])

    variants = [
        ("default", {}, {}),
        ("nobg", {"include_background": False}, {"include_background": False}),
        ("squared", {"squared_pred": True}, {"squared_pred": True}),
        ("jaccard-batch", {"jaccard": True, "batch": True}, {"jaccard": True, "batch": True}),
        ("weight", {"weight": [0.5, 1.0, 2.0]}, {"weight": [0.5, 1.0, 2.0]}),
        ("smooth", {"smooth_nr": 0.0, "smooth_dr": 1.0}, {"smooth_nr": 0.0, "smooth_dr": 1.0}),
    ]
    for name, ours, theirs in variants:
        kw = ", ".join(f"{k}={v!r}" for k, v in theirs.items())
        case(f"masked-dice-{name}", "masked-dice", {"activation": "softmax", **ours},
             f"monai.losses.MaskedDiceLoss(softmax=True{', ' if kw else ''}{kw})(x, one_hot(y), mask)",
             masked(**theirs), x, dense)
    for r in REDUCTIONS:
        case(f"masked-dice-{r}", "masked-dice", {"activation": "softmax"},
             f"monai.losses.MaskedDiceLoss(softmax=True, reduction='{r}')(x, one_hot(y), mask)",
             masked(reduction=r), x, dense, reduction=r, out_shape=(2, C))
    # Class indices: equal to MONAI's to_onehot_y=True once the background is left out (MONAI
    # masks the label map before its one-hot, which makes outside positions background labels).
    case("masked-dice-labels-nobg", "masked-dice", {"activation": "softmax", "include_background": False},
         "monai.losses.MaskedDiceLoss(softmax=True, to_onehot_y=True, include_background=False)(x, y, mask)",
         lambda a, b: ml.MaskedDiceLoss(softmax=True, to_onehot_y=True, include_background=False)(a, b[:, :1], b[:, 1:]),
         x, labels)
    # An empty region in sample 1: every class empty there.
    empty = mask.copy()
    empty[1] = 0
    case("masked-dice-empty-region-none", "masked-dice", {"activation": "softmax"},
         "monai.losses.MaskedDiceLoss(softmax=True, reduction='none')(x, one_hot(y), mask)",
         masked(reduction="none"), x, with_mask(oh, empty), reduction="none", out_shape=(2, C))
    # One channel, sigmoid: binary segmentation, sample 1 without foreground.
    xb = extra_logits((2, 1, 4, 5))
    tb = (extra_rng.random((2, 1, 4, 5)) < 0.4).astype(np.float32)
    tb[1] = 0
    mb = (extra_rng.random((2, 1, 4, 5)) < 0.6).astype(np.float32)
    case("masked-dice-binary", "masked-dice", {"activation": "sigmoid"},
         "monai.losses.MaskedDiceLoss(sigmoid=True)(x, y, mask)",
         lambda a, b: ml.MaskedDiceLoss(sigmoid=True)(a, b[:, :1], b[:, 1:]), xb, with_mask(tb, mb))


def log_hausdorff_cases():
    C = 3
    shape = (2, C, 6, 7)
    x = extra_logits(shape)
    x[0, :, 0, 0] = [1000, -1000, 0]
    idx = extra_labels((2, 6, 7), C)
    idx[1][idx[1] == 2] = 1  # sample 1 has no class 2: an empty foreground
    for alpha in [2.0, 1.0]:
        for r in REDUCTIONS:
            case(f"log-hausdorff-dt-alpha{alpha}-{r}", "log-hausdorff-dt",
                 {"activation": "softmax", "alpha": alpha, "include_background": False},
                 f"monai.losses.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, alpha={alpha}, "
                 f"include_background=False, reduction='{r}')",
                 lambda a, b, al=alpha, r=r: ml.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, alpha=al,
                                                                   include_background=False, reduction=r)(a, b.unsqueeze(1)),
                 x, idx, reduction=r, out_shape=(2, C - 1))
    case("log-hausdorff-dt-background-batch", "log-hausdorff-dt",
         {"activation": "softmax", "include_background": True, "batch": True},
         "monai.losses.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, include_background=True, batch=True)",
         lambda a, b: ml.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, include_background=True, batch=True)(
             a, b.unsqueeze(1)), x, idx, reduction="mean")
    # One channel, sigmoid, sample 1 without foreground (its target distance map is 0).
    xb = extra_logits((3, 1, 6, 7))
    tb = (extra_rng.random((3, 1, 6, 7)) < 0.4).astype(np.float32)
    tb[1] = 0
    for r in ["mean", "none"]:
        case(f"log-hausdorff-dt-binary-{r}", "log-hausdorff-dt", {"activation": "sigmoid", "reduction": r},
             f"monai.losses.LogHausdorffDTLoss(sigmoid=True, reduction='{r}')",
             lambda a, b, r=r: ml.LogHausdorffDTLoss(sigmoid=True, reduction=r)(a, b), xb, tb, out_shape=(3, 1))
    # Background only: every foreground class empty, prediction mostly background.
    xe = extra_logits(shape)
    xe[:, 0] += 6
    case("log-hausdorff-dt-background-only", "log-hausdorff-dt", {"activation": "softmax", "include_background": False},
         "monai.losses.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, include_background=False)",
         lambda a, b: ml.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, include_background=False)(a, b.unsqueeze(1)),
         xe, np.zeros_like(idx), reduction="mean")


def wasserstein_cases():
    C = 3
    shape = (2, C, 4, 5)
    x = extra_logits(shape)
    x[0, :, 0, 0] = [1000, -1000, 0]
    idx = extra_labels((2, 4, 5), C)
    idx[1][idx[1] == 2] = 1  # sample 1 has no class 2
    near = [[0.0, 1.0, 1.0], [1.0, 0.0, 0.5], [1.0, 0.5, 0.0]]  # classes 1 and 2 are neighbours
    scaled = [[0.0, 2.0, 4.0], [2.0, 0.0, 1.0], [4.0, 1.0, 0.0]]  # divided by its largest entry, 4
    flat = lambda m: [v for row in m for v in row]

    def gwdl(m, **kw):
        return lambda a, b, m=m, kw=kw: ml.GeneralizedWassersteinDiceLoss(dist_matrix=np.array(m), **kw)(a, b)

    for mode in ["default", "GDL"]:
        for r in REDUCTIONS:
            case(f"gwdl-{mode}-{r}", "generalized-wasserstein-dice", {"dist_matrix": flat(near), "weighting_mode": mode},
                 f"monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix={near}, weighting_mode='{mode}', reduction='{r}')",
                 gwdl(near, weighting_mode=mode, reduction=r), x, idx, reduction=r)
        case(f"gwdl-{mode}-scaled", "generalized-wasserstein-dice", {"dist_matrix": flat(scaled), "weighting_mode": mode},
             f"monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix={scaled}, weighting_mode='{mode}')",
             gwdl(scaled, weighting_mode=mode), x, idx)
    zero_one = (np.ones((C, C)) - np.eye(C)).tolist()
    case("gwdl-zero-one-default-matrix", "generalized-wasserstein-dice", {},
         f"monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix={zero_one})",
         gwdl(zero_one), x, idx, note="our empty dist_matrix is the 0/1 distance 1 − I")
    case("gwdl-smooth", "generalized-wasserstein-dice", {"dist_matrix": flat(near), "smooth_nr": 0.0, "smooth_dr": 1.0},
         f"monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix={near}, smooth_nr=0.0, smooth_dr=1.0)",
         gwdl(near, smooth_nr=0.0, smooth_dr=1.0), x, idx)
    # Background only: TP = 0 in default mode (α_0 = 0), every class but 0 absent in GDL mode.
    for mode in ["default", "GDL"]:
        case(f"gwdl-{mode}-background-only", "generalized-wasserstein-dice",
             {"dist_matrix": flat(near), "weighting_mode": mode, "reduction": "none"},
             f"monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix={near}, weighting_mode='{mode}', reduction='none')",
             gwdl(near, weighting_mode=mode, reduction="none"), x, np.zeros_like(idx), reduction="none")
    # Four classes, 3-D.
    C4 = 4
    x4 = extra_logits((2, C4, 3, 3, 4))
    i4 = extra_labels((2, 3, 3, 4), C4)
    m4 = [[0.0, 1.0, 1.0, 1.0], [1.0, 0.0, 0.6, 0.8], [1.0, 0.6, 0.0, 0.3], [1.0, 0.8, 0.3, 0.0]]
    case("gwdl-4-classes-3d", "generalized-wasserstein-dice", {"dist_matrix": flat(m4)},
         f"monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix={m4})", gwdl(m4), x4, i4)


def all_cases():
    if monai is None:
        return
    generalized_dice_focal_cases()
    masked_dice_cases()
    log_hausdorff_cases()
    wasserstein_cases()
