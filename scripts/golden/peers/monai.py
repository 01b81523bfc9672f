"""MONAI ``monai.losses`` cases: region, boundary and compound losses, and the catalog defaults
(``monai.json``)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared generator, helpers and peer imports)


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
