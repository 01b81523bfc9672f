"""scikit-learn (values only), kornia, Keras and segmentation_models_pytorch cases."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared generator, helpers and peer imports)


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
