"""The topology-aware segmentation losses of issue 17.3 against MONAI 1.6 (``SoftclDiceLoss``, …),
in their own fixture ``monai-topology.json`` from their own seeded generator, so adding them moves
no number of any other fixture.

Inputs avoid near-ties that float32 would merge (moderate logits): the soft skeleton is a chain of
min/max selections, and a tie that exists in our float32 probabilities but not in the peer's
float64 ones would route the gradient differently. Exact ties are tested on purpose
(``cldice-ties``: probabilities on a coarse grid), where both sides see the same ties."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared helpers and peer imports)

IDS = ["cldice", "dice-cldice", "lovasz-hinge", "ssim", "unified-focal"]
FILE = "monai-topology"
CASES.setdefault(FILE, [])
FILE_LIBRARY[FILE] = "monai"
# The binary Lovász hinge's peer is smp, whose cases go to a file of their own.
SMP_FILE = "smp-lovasz-hinge"
CASES.setdefault(SMP_FILE, [])
FILE_LIBRARY[SMP_FILE] = "smp"
# MONAI's SSIMLoss: image similarity, a file of its own.
SSIM_FILE = "monai-ssim"
CASES.setdefault(SSIM_FILE, [])
FILE_LIBRARY[SSIM_FILE] = "monai"
# MONAI's AsymmetricUnifiedFocalLoss: its own file and generator.
UF_FILE = "monai-unified-focal"
CASES.setdefault(UF_FILE, [])
FILE_LIBRARY[UF_FILE] = "monai"
topo_rng = np.random.default_rng(17_3_2026)


def _logits(shape, scale=2.0):
    return f32(topo_rng.normal(0, scale, size=shape))


def _labels(shape, classes):
    return topo_rng.integers(0, classes, size=shape).astype(np.float32)


def _case(name, loss_id, params, call, fn, x, t, reduction, **kw):
    add("monai", name, loss_id, params, call, fn, x, t, reduction=reduction, file=FILE, **kw)


def vessel_target(shape=(1, 9, 9)):
    """A one-pixel-wide vessel: a horizontal line with a vertical branch."""
    t = np.zeros(shape, dtype=np.float32)
    t[:, 4, 1:8] = 1
    t[:, 1:4, 6] = 1
    return t


def cldice_cases():
    SoftclDice = ml.SoftclDiceLoss
    C = 3
    x = _logits((2, C, 7, 8))
    idx = _labels((2, 7, 8), C)
    idx[1][idx[1] == 2] = 1  # sample 1 has no class 2: an empty foreground class
    for r in REDUCTIONS:
        _case(f"cldice-softmax-{r}", "cldice", {"activation": "softmax"},
              f"monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True, reduction='{r}')",
              lambda a, b, r=r: SoftclDice(softmax=True, to_onehot_y=True, reduction=r)(a, b.unsqueeze(1)), x, idx, r)
    _case("cldice-no-background", "cldice", {"activation": "softmax", "include_background": False},
          "monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True, include_background=False)",
          lambda a, b: SoftclDice(softmax=True, to_onehot_y=True, include_background=False)(a, b.unsqueeze(1)),
          x, idx, "mean")
    for it in [0, 1, 6]:
        _case(f"cldice-iter{it}", "cldice", {"activation": "softmax", "iter_": it},
              f"monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True, iter_={it}, reduction='sum')",
              lambda a, b, it=it: SoftclDice(softmax=True, to_onehot_y=True, iter_=it, reduction="sum")(a, b.unsqueeze(1)),
              x, idx, "sum")
    _case("cldice-smoothing", "cldice",
          {"activation": "softmax", "smooth_nr": 0.5, "smooth_dr": 2.0, "smooth": 1e-2},
          "monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True, smooth_nr=0.5, smooth_dr=2.0, smooth=0.01, reduction='none')",
          lambda a, b: SoftclDice(softmax=True, to_onehot_y=True, smooth_nr=0.5, smooth_dr=2.0, smooth=0.01,
                                  reduction="none")(a, b.unsqueeze(1)),
          x, idx, "none")
    # One-hot target given densely (MONAI without to_onehot_y).
    dense = one_hot(idx, C).numpy().astype(np.float32)
    _case("cldice-one-hot", "cldice", {"activation": "softmax"}, "monai.losses.SoftclDiceLoss(softmax=True)",
          lambda a, b: SoftclDice(softmax=True)(a, b), x, dense, "mean")
    # Binary, one channel of sigmoid logits; sample 1's target is empty.
    xb = _logits((2, 1, 9, 9))
    tb = np.concatenate([vessel_target(), np.zeros((1, 9, 9), np.float32)])[:, None]
    for r in ["mean", "none"]:
        _case(f"cldice-sigmoid-empty-{r}", "cldice", {"activation": "sigmoid"},
              f"monai.losses.SoftclDiceLoss(sigmoid=True, reduction='{r}')",
              lambda a, b, r=r: SoftclDice(sigmoid=True, reduction=r)(a, b), xb, tb, r)
    # Probabilities on a coarse grid: exact ties in every window (first extreme, halves at equal line minima).
    grid = f32(topo_rng.integers(0, 5, size=(2, 1, 8, 8)) / 4.0 * 0.8 + 0.1)
    tg = (topo_rng.random((2, 1, 8, 8)) < 0.5).astype(np.float32)
    _case("cldice-ties", "cldice", {"activation": "none"}, "monai.losses.SoftclDiceLoss()",
          lambda a, b: SoftclDice()(a, b), grid, tg, "mean")
    # Probabilities near a thin vessel, given directly.
    pv = f32(np.clip(vessel_target()[:, None] * 0.8 + topo_rng.uniform(0.02, 0.2, size=(1, 1, 9, 9)), 0, 1), 4)
    _case("cldice-vessel-probabilities", "cldice", {"activation": "none"}, "monai.losses.SoftclDiceLoss()",
          lambda a, b: SoftclDice()(a, b), pv, vessel_target()[:, None], "mean")
    # Extreme logits: saturated probabilities of exactly 0 and 1 in both precisions.
    xe = x.copy()
    xe[0, :, 0, 0] = [1000, -1000, 0]
    xe[0, :, 3, 3] = [-1000, 1000, -1000]
    _case("cldice-extreme-logits", "cldice", {"activation": "softmax"},
          "monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True)",
          lambda a, b: SoftclDice(softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)), xe, idx, "mean")
    # 3-D volumes [N, C, D, H, W].
    x3 = _logits((2, 2, 4, 5, 6))
    i3 = _labels((2, 4, 5, 6), 2)
    for r in ["mean", "none"]:
        _case(f"cldice-3d-{r}", "cldice", {"activation": "softmax"},
              f"monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True, reduction='{r}')",
              lambda a, b, r=r: SoftclDice(softmax=True, to_onehot_y=True, reduction=r)(a, b.unsqueeze(1)), x3, i3, r)
    g3 = f32(topo_rng.integers(0, 3, size=(1, 1, 4, 5, 5)) / 2.0 * 0.6 + 0.2)
    t3 = (topo_rng.random((1, 1, 4, 5, 5)) < 0.5).astype(np.float32)
    _case("cldice-3d-ties", "cldice", {"activation": "none", "iter_": 2}, "monai.losses.SoftclDiceLoss(iter_=2, reduction='sum')",
          lambda a, b: SoftclDice(iter_=2, reduction="sum")(a, b), g3, t3, "sum")
    # Every position background, foreground classes dropped: empty targets everywhere (T_sens = 1).
    _case("cldice-background-only", "cldice", {"activation": "softmax", "include_background": False},
          "monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True, include_background=False, reduction='none')",
          lambda a, b: SoftclDice(softmax=True, to_onehot_y=True, include_background=False,
                                  reduction="none")(a, b.unsqueeze(1)),
          x, np.zeros_like(idx), "none")


def dice_cldice_cases():
    """MONAI's `none` broadcasts Dice [N, C, 1, 1] against clDice [N] (into [N, C, 1, N]); ours takes
    mean and sum only (the dice-cldice page says why), so no case of `none`."""
    Both = ml.SoftDiceclDiceLoss
    C = 3
    x = _logits((2, C, 7, 8))
    idx = _labels((2, 7, 8), C)
    idx[1][idx[1] == 2] = 1  # sample 1 has no class 2
    for r in ["mean", "sum"]:
        _case(f"dice-cldice-softmax-{r}", "dice-cldice", {"activation": "softmax"},
              f"monai.losses.SoftDiceclDiceLoss(softmax=True, to_onehot_y=True, reduction='{r}')",
              lambda a, b, r=r: Both(softmax=True, to_onehot_y=True, reduction=r)(a, b.unsqueeze(1)), x, idx, r)
    for alpha in [0.0, 0.3, 1.0]:
        _case(f"dice-cldice-alpha{alpha}", "dice-cldice", {"activation": "softmax", "alpha": alpha},
              f"monai.losses.SoftDiceclDiceLoss(softmax=True, to_onehot_y=True, alpha={alpha})",
              lambda a, b, al=alpha: Both(softmax=True, to_onehot_y=True, alpha=al)(a, b.unsqueeze(1)), x, idx, "mean")
    _case("dice-cldice-no-background-iter5", "dice-cldice",
          {"activation": "softmax", "include_background": False, "iter_": 5},
          "monai.losses.SoftDiceclDiceLoss(softmax=True, to_onehot_y=True, include_background=False, iter_=5)",
          lambda a, b: Both(softmax=True, to_onehot_y=True, include_background=False, iter_=5)(a, b.unsqueeze(1)),
          x, idx, "mean")
    _case("dice-cldice-smoothing", "dice-cldice",
          {"activation": "softmax", "smooth_nr": 0.5, "smooth_dr": 2.0, "smooth": 1e-2},
          "monai.losses.SoftDiceclDiceLoss(softmax=True, to_onehot_y=True, smooth_nr=0.5, smooth_dr=2.0, smooth=0.01, reduction='sum')",
          lambda a, b: Both(softmax=True, to_onehot_y=True, smooth_nr=0.5, smooth_dr=2.0, smooth=0.01,
                            reduction="sum")(a, b.unsqueeze(1)), x, idx, "sum")
    xb = _logits((2, 1, 9, 9))
    tb = np.concatenate([vessel_target(), np.zeros((1, 9, 9), np.float32)])[:, None]
    _case("dice-cldice-sigmoid-empty", "dice-cldice", {"activation": "sigmoid"},
          "monai.losses.SoftDiceclDiceLoss(sigmoid=True)", lambda a, b: Both(sigmoid=True)(a, b), xb, tb, "mean")
    grid = f32(topo_rng.integers(0, 5, size=(2, 1, 8, 8)) / 4.0 * 0.8 + 0.1)
    tg = (topo_rng.random((2, 1, 8, 8)) < 0.5).astype(np.float32)
    _case("dice-cldice-ties", "dice-cldice", {"activation": "none"}, "monai.losses.SoftDiceclDiceLoss()",
          lambda a, b: Both()(a, b), grid, tg, "mean")
    x3 = _logits((2, 2, 4, 5, 6))
    i3 = _labels((2, 4, 5, 6), 2)
    _case("dice-cldice-3d", "dice-cldice", {"activation": "softmax"},
          "monai.losses.SoftDiceclDiceLoss(softmax=True, to_onehot_y=True)",
          lambda a, b: Both(softmax=True, to_onehot_y=True)(a, b.unsqueeze(1)), x3, i3, "mean")


def lovasz_hinge_cases():
    """smp's binary LovaszLoss is the authors' lovasz_hinge; its `_lovasz_grad` casts to float32, so
    it runs in float32 here (as the lovasz-softmax cases do). smp returns one number: `none` is
    smp on each image alone, stacked."""
    if smp is None:
        return
    Hinge = smp.losses.LovaszLoss

    def case(name, params, call, fn, x, t, reduction, **kw):
        add("smp", name, "lovasz-hinge", params, call, fn, x, t, reduction=reduction, file=SMP_FILE,
            dtype=np.float32, **kw)

    x = _logits((3, 1, 6, 7))
    t = (topo_rng.random((3, 1, 6, 7)) < 0.4).astype(np.float32)
    t[2] = 0  # image 2 has no foreground
    for per_image in [True, False]:
        case(f"lovasz-hinge-per_image{per_image}", {"per_image": per_image},
             f"segmentation_models_pytorch.losses.LovaszLoss(mode='binary', per_image={per_image})",
             lambda a, b, pi=per_image: Hinge(mode="binary", per_image=pi)(a, b), x, t, "mean")
    case("lovasz-hinge-none", {"per_image": True},
         "segmentation_models_pytorch.losses.LovaszLoss(mode='binary') on each image alone, stacked: "
         "torch.stack([loss(x[i:i+1], y[i:i+1]) for i in range(N)])",
         lambda a, b: torch.stack([Hinge(mode="binary")(a[i:i + 1], b[i:i + 1]) for i in range(a.shape[0])]),
         x, t, "none")
    case("lovasz-hinge-sum", {"per_image": True},
         "segmentation_models_pytorch.losses.LovaszLoss(mode='binary') on each image alone, summed: "
         "sum(loss(x[i:i+1], y[i:i+1]) for i in range(N))",
         lambda a, b: sum(Hinge(mode="binary")(a[i:i + 1], b[i:i + 1]) for i in range(a.shape[0])), x, t, "sum")
    # Labels without the channel axis, and ignored labels.
    ti = t[:, 0].copy()
    ti[0, 0, :3] = 255
    ti[1, 2, 2] = 255
    case("lovasz-hinge-ignore", {"per_image": True, "ignore_index": 255},
         "segmentation_models_pytorch.losses.LovaszLoss(mode='binary', per_image=True, ignore_index=255)",
         lambda a, b: Hinge(mode="binary", per_image=True, ignore_index=255)(a, b), x, ti, "mean")
    xe = x.copy()
    xe[0, 0, 0, :4] = [1000, -1000, 30, -30]
    case("lovasz-hinge-extreme", {"per_image": False},
         "segmentation_models_pytorch.losses.LovaszLoss(mode='binary', per_image=False)",
         lambda a, b: Hinge(mode="binary", per_image=False)(a, b), xe, t, "mean")
    x3 = _logits((2, 1, 3, 4, 5))
    t3 = (topo_rng.random((2, 1, 3, 4, 5)) < 0.5).astype(np.float32)
    case("lovasz-hinge-3d", {"per_image": True},
         "segmentation_models_pytorch.losses.LovaszLoss(mode='binary', per_image=True)",
         lambda a, b: Hinge(mode="binary", per_image=True)(a, b), x3, t3, "mean")


def ssim_cases():
    """MONAI computes SSIM in float32 (`compute_ssim_and_cs` converts both images with
    dtype=torch.float), so these cases run in float32. `none` is MONAI's [N, 1], stored as [N]."""
    SSIM = ml.SSIMLoss

    def case(name, params, call, fn, x, t, reduction, **kw):
        add("monai", name, "ssim", params, call, fn, x, t, reduction=reduction, file=SSIM_FILE, dtype=np.float32, **kw)

    x = f32(topo_rng.uniform(0, 1, size=(2, 2, 14, 13)))
    t = f32(np.clip(x + topo_rng.normal(0, 0.15, size=x.shape), 0, 1))
    for r in REDUCTIONS:
        case(f"ssim-2d-{r}", {"spatial_dims": 2}, f"monai.losses.SSIMLoss(spatial_dims=2, reduction='{r}')",
             lambda a, b, r=r: SSIM(spatial_dims=2, reduction=r)(a, b), x, t, r,
             out_shape=(2,) if r == "none" else None)
    case("ssim-uniform-7", {"spatial_dims": 2, "kernel_type": "uniform", "win_size": 7},
         "monai.losses.SSIMLoss(spatial_dims=2, kernel_type='uniform', win_size=7)",
         lambda a, b: SSIM(spatial_dims=2, kernel_type="uniform", win_size=7)(a, b), x, t, "mean")
    case("ssim-gaussian-5-sigma0.8", {"spatial_dims": 2, "win_size": 5, "kernel_sigma": 0.8, "k1": 0.05, "k2": 0.1},
         "monai.losses.SSIMLoss(spatial_dims=2, win_size=5, kernel_sigma=0.8, k1=0.05, k2=0.1)",
         lambda a, b: SSIM(spatial_dims=2, win_size=5, kernel_sigma=0.8, k1=0.05, k2=0.1)(a, b), x, t, "mean")
    x255 = f32(x * 255, 2)
    t255 = f32(t * 255, 2)
    case("ssim-data-range-255", {"spatial_dims": 2, "data_range": 255.0},
         "monai.losses.SSIMLoss(spatial_dims=2, data_range=255.0, reduction='sum')",
         lambda a, b: SSIM(spatial_dims=2, data_range=255.0, reduction="sum")(a, b), x255, t255, "sum")
    x3 = f32(topo_rng.uniform(0, 1, size=(2, 1, 8, 9, 7)))
    t3 = f32(np.clip(x3 + topo_rng.normal(0, 0.2, size=x3.shape), 0, 1))
    case("ssim-3d", {"spatial_dims": 3, "win_size": 5}, "monai.losses.SSIMLoss(spatial_dims=3, win_size=5)",
         lambda a, b: SSIM(spatial_dims=3, win_size=5)(a, b), x3, t3, "mean")
    # A constant target (zero variance): c2 keeps the structure term defined. Value only: MONAI's
    # float32 variance of the constant image is ≈ 1e-8, not 0, which moves its gradient by ≈ 1e-4 relative.
    case("ssim-constant-target", {"spatial_dims": 2, "win_size": 7}, "monai.losses.SSIMLoss(spatial_dims=2, win_size=7)",
         lambda a, b: SSIM(spatial_dims=2, win_size=7)(a, b), x, np.full_like(x, 0.5), "mean", grad=False,
         note="value only: MONAI's float32 variance of a constant image is about 1e-8, not 0")


def unified_focal_cases():
    """MONAI's AsymmetricUnifiedFocalLoss takes probabilities (no activation) of one channel
    (foreground, made [1 - p, p]) or two. Its two terms reduce with their own `mean`, so every
    reduction is one scalar. Float64 where no probability reaches MONAI's clamp [1e-7, 1 - 1e-7]
    (its bounds differ between float64 and float32); the case at the clamp runs in float32, where
    MONAI compares with float32 bounds as lossbook does."""
    UF = ml.AsymmetricUnifiedFocalLoss
    uf_rng = np.random.default_rng(2022_95)

    def case(name, params, call, fn, x, t, reduction="mean", **kw):
        add("monai", name, "unified-focal", params, call, fn, x, t, reduction=reduction, file=UF_FILE, **kw)
        recorded = CASES[UF_FILE][-1]
        if kw.get("dtype", np.float64) == np.float64 and recorded.get("precision"):
            # FLOAT32_INSIDE matches "FocalLoss" in the class name (MONAI's float32 FocalLoss);
            # this loss has no cast and ran in float64: its full precision and tolerance.
            del recorded["precision"]
            recorded["grad_atol"] /= 10

    p1 = f32(uf_rng.uniform(0.02, 0.98, size=(2, 1, 6, 7)))
    g1 = f32(uf_rng.uniform(size=p1.shape) < 0.3, 0)
    for r in REDUCTIONS:
        case(f"unified-focal-1ch-{r}", {}, f"monai.losses.AsymmetricUnifiedFocalLoss(reduction='{r}')",
             lambda a, b, r=r: UF(reduction=r)(a, b), p1, g1, r)
    p2 = f32(uf_rng.dirichlet([1, 1], size=(2, 5, 6)).transpose(0, 3, 1, 2))
    p2 = f32(np.clip(p2, 0.01, 0.99))
    labels = f32(uf_rng.uniform(size=(2, 1, 5, 6)) < 0.4, 0)
    dense = f32(np.concatenate([1 - labels, labels], axis=1), 0)
    case("unified-focal-2ch-dense", {}, "monai.losses.AsymmetricUnifiedFocalLoss()",
         lambda a, b: UF()(a, b), p2, dense)
    case("unified-focal-2ch-onehot", {"to_onehot_y": True}, "monai.losses.AsymmetricUnifiedFocalLoss(to_onehot_y=True)",
         lambda a, b: UF(to_onehot_y=True)(a, b), p2, labels)
    case("unified-focal-paper-params", {"weight": 0.3, "gamma": 0.2, "delta": 0.6},
         "monai.losses.AsymmetricUnifiedFocalLoss(weight=0.3, gamma=0.2, delta=0.6)",
         lambda a, b: UF(weight=0.3, gamma=0.2, delta=0.6)(a, b), p1, g1)
    case("unified-focal-gamma0-weight1", {"weight": 1.0, "gamma": 0.0, "delta": 0.5},
         "monai.losses.AsymmetricUnifiedFocalLoss(weight=1.0, gamma=0.0, delta=0.5)",
         lambda a, b: UF(weight=1.0, gamma=0.0, delta=0.5)(a, b), p1, g1)
    p3 = f32(uf_rng.uniform(0.02, 0.98, size=(1, 1, 4, 5, 3)))
    g3 = f32(uf_rng.uniform(size=p3.shape) < 0.5, 0)
    case("unified-focal-3d", {}, "monai.losses.AsymmetricUnifiedFocalLoss()", lambda a, b: UF()(a, b), p3, g3)
    # An image without foreground next to one with it.
    g_empty = g1.copy()
    g_empty[0] = 0
    case("unified-focal-empty-foreground", {}, "monai.losses.AsymmetricUnifiedFocalLoss()",
         lambda a, b: UF()(a, b), p1, g_empty)
    # Near-perfect: 2^-20 from the labels, inside the clamp in both precisions; 1 - D is about
    # 1e-6 and MONAI's float64 1 - D loses only ~1e-10 of it.
    near = np.where(g1 > 0, 1 - 2.0 ** -20, 2.0 ** -20).astype(np.float32)
    case("unified-focal-near-perfect", {}, "monai.losses.AsymmetricUnifiedFocalLoss()",
         lambda a, b: UF()(a, b), near, g1)
    # Probabilities exactly 0 and 1 among others: MONAI's clamp holds them (no gradient there).
    at_clamp = p1.copy()
    at_clamp[0, 0, :2] = 0
    at_clamp[1, 0, :2] = 1
    case("unified-focal-at-clamp", {}, "monai.losses.AsymmetricUnifiedFocalLoss()",
         lambda a, b: UF()(a, b), at_clamp, g1, dtype=np.float32)


def all_cases():
    if monai is None or not hasattr(ml, "SoftclDiceLoss"):
        return
    cldice_cases()  # first: its draws from topo_rng come before the later losses'
    dice_cldice_cases()
    lovasz_hinge_cases()
    ssim_cases()
    unified_focal_cases()
