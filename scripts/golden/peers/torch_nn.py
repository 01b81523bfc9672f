"""The rest of ``torch.nn`` (issue 17): NLL, Poisson and Gaussian NLL, the margin and embedding
losses, triplet and CTC (``pytorch-nn.json``), edge cases included.

Our input conventions (the catalog descriptors): several tensors of one shape are stacked along a
leading axis (margin ranking's x1, x2; cosine embedding's pair; triplet's anchor, positive,
negative), Gaussian NLL's mean and variance are concatenated along the last axis, and CTC's
lengths are parameters. Each case's ``fn`` takes our input and unpacks it for torch, so autograd
gives the gradient in our layout. This module has its own generator: its cases can change without
moving any other fixture.
"""
from __future__ import annotations

from .common import F, REDUCTIONS, add, f32, np, torch

IDS = ["nll", "poisson-nll", "gaussian-nll", "margin-ranking", "hinge-embedding", "multilabel-margin",
       "multilabel-soft-margin", "cosine-embedding", "multi-margin", "triplet-margin", "ctc"]

rng = np.random.default_rng(17_2026)
FILE = "pytorch-nn"


def case(name, loss_id, params, call, fn, x, t, reduction, **kw):
    add("pytorch", name, loss_id, params, call, fn, x, t, reduction=reduction, file=FILE, **kw)


def normal(shape, scale=1.0):
    return f32(rng.normal(0, scale, size=shape))


def log_probs(shape, axis):
    z = torch.tensor(rng.normal(0, 1.5, size=shape))
    return f32(torch.log_softmax(z, axis).numpy(), 4)


def signs(shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


def nll():
    x, t = log_probs((5, 4), 1), rng.integers(0, 4, 5).astype(np.float32)
    for r in REDUCTIONS:
        case(f"nll-2d-{r}", "nll", {}, f"torch.nn.NLLLoss(reduction='{r}')",
             lambda a, b, r=r: F.nll_loss(a, b.long(), reduction=r), x, t, r)
    xk, tk = log_probs((2, 3, 3, 4), 1), rng.integers(0, 3, (2, 3, 4)).astype(np.float32)
    tk[0, 0, :2] = 255
    w = [0.3, 1.0, 2.5]
    for r in REDUCTIONS:
        case(f"nll-kdim-w-ignore-{r}", "nll", {"weight": w, "ignore_index": 255},
             f"torch.nn.NLLLoss(weight=torch.tensor({w}), ignore_index=255, reduction='{r}')",
             lambda a, b, r=r: F.nll_loss(a, b.long(), weight=torch.tensor(w), ignore_index=255, reduction=r), xk, tk, r)
    tk2 = tk.copy()
    tk2[tk2 == 255] = -100
    case("nll-kdim-ignore-default", "nll", {}, "torch.nn.NLLLoss()", lambda a, b: F.nll_loss(a, b.long()), xk, tk2, "mean")
    case("nll-all-ignored-sum", "nll", {}, "torch.nn.NLLLoss(reduction='sum')",
         lambda a, b: F.nll_loss(a, b.long(), reduction="sum"), xk, np.full((2, 3, 4), -100, np.float32), "sum",
         note="every target ignored: sum 0 (mean is NaN in torch, 0 here; not a fixture)")
    xu = log_probs((4,), 0)
    for r in ["mean", "none"]:
        case(f"nll-unbatched-{r}", "nll", {}, f"torch.nn.NLLLoss(reduction='{r}')",
             lambda a, b, r=r: F.nll_loss(a, b.long(), reduction=r), xu, np.float32(2), r)


def poisson():
    shape = (3, 5)
    y = rng.integers(0, 6, shape).astype(np.float32)
    y[0, :3] = [0, 1, 2]  # around the Stirling mask y > 1
    x_log, x_rate = normal(shape), f32(rng.uniform(0.1, 3, shape))
    for log_input, x in [(True, x_log), (False, x_rate)]:
        for full in [False, True]:
            for r in (REDUCTIONS if not full else ["mean"]):
                case(f"poisson-nll-log{log_input}-full{full}-{r}", "poisson-nll", {"log_input": log_input, "full": full},
                     f"torch.nn.PoissonNLLLoss(log_input={log_input}, full={full}, reduction='{r}')",
                     lambda a, b, li=log_input, fu=full, r=r: F.poisson_nll_loss(a, b, log_input=li, full=fu, reduction=r),
                     x, y, r)
    case("poisson-nll-eps", "poisson-nll", {"log_input": False, "eps": 0.01},
         "torch.nn.PoissonNLLLoss(log_input=False, eps=0.01)",
         lambda a, b: F.poisson_nll_loss(a, b, log_input=False, eps=0.01), x_rate, y, "mean")


def gaussian():
    mu, y = normal((4, 3)), normal((4, 3))
    var = f32(rng.uniform(0.2, 2.0, (4, 3)))
    row = f32(rng.uniform(0.2, 2.0, (4, 1)))
    full_x, row_x = np.concatenate([mu, var], -1), np.concatenate([mu, row], -1)
    for r in REDUCTIONS:
        case(f"gaussian-nll-elementwise-{r}", "gaussian-nll", {}, f"torch.nn.GaussianNLLLoss(reduction='{r}')(mu, y, var)",
             lambda a, b, r=r: F.gaussian_nll_loss(a[..., :3], b, a[..., 3:], reduction=r), full_x, y, r,
             note="input = torch.cat([mu, var], -1)")
        case(f"gaussian-nll-row-{r}", "gaussian-nll", {}, f"torch.nn.GaussianNLLLoss(reduction='{r}')(mu, y, var[N, 1])",
             lambda a, b, r=r: F.gaussian_nll_loss(a[..., :3], b, a[..., 3:], reduction=r), row_x, y, r,
             note="one variance per row, broadcast; input = torch.cat([mu, var], -1)")
    case("gaussian-nll-var-squeezed-full", "gaussian-nll", {"full": True}, "torch.nn.GaussianNLLLoss(full=True)(mu, y, var[N])",
         lambda a, b: F.gaussian_nll_loss(a[..., :3], b, a[..., 3], full=True), row_x, y, "mean",
         note="var of shape [N] (torch unsqueezes it); input = torch.cat([mu, var.unsqueeze(-1)], -1)")
    tiny = full_x.copy()
    tiny[0, 3:] = [1e-9, 0.0, 0.5]
    case("gaussian-nll-var-below-eps", "gaussian-nll", {"eps": 1e-6}, "torch.nn.GaussianNLLLoss(eps=1e-06)(mu, y, var)",
         lambda a, b: F.gaussian_nll_loss(a[..., :3], b, a[..., 3:], eps=1e-6), tiny, y, "mean",
         note="variance 0 and 1e-9 clamped to eps; the gradient is torch's (evaluated at eps, not zeroed)")


def margins():
    pairs, y = normal((2, 8), 1.5), signs(8)
    pairs[1, :2] = pairs[0, :2]  # ties: z = 0 with margin 0
    for margin in [0.0, 0.5]:
        for r in REDUCTIONS:
            case(f"margin-ranking-m{margin}-{r}", "margin-ranking", {"margin": margin},
                 f"torch.nn.MarginRankingLoss(margin={margin}, reduction='{r}')(x1, x2, y)",
                 lambda a, b, m=margin, r=r: F.margin_ranking_loss(a[0], a[1], b, margin=m, reduction=r), pairs, y, r,
                 note="input = torch.stack([x1, x2])")
    d = f32(rng.uniform(0, 2.5, (4, 5)))
    t = signs((4, 5))
    d[0, :3] = [1.0, 2.0, 0.5]
    t[0, :3] = [-1, 0, 0]  # x = margin exactly; labels other than ±1
    for margin in [1.0, 0.0, 2.0]:
        for r in REDUCTIONS:
            case(f"hinge-embedding-m{margin}-{r}", "hinge-embedding", {"margin": margin},
                 f"torch.nn.HingeEmbeddingLoss(margin={margin}, reduction='{r}')",
                 lambda a, b, m=margin, r=r: F.hinge_embedding_loss(a, b, margin=m, reduction=r), d, t, r)


def multilabel():
    x = normal((3, 5))
    y = np.array([[3, 0, -1, 1, 4], [2, -1, 0, 0, 0], [0, 1, 2, 3, 4]], np.float32)
    for r in REDUCTIONS:
        case(f"multilabel-margin-{r}", "multilabel-margin", {}, f"torch.nn.MultiLabelMarginLoss(reduction='{r}')",
             lambda a, b, r=r: F.multilabel_margin_loss(a, b.long(), reduction=r), x, y, r)
    case("multilabel-margin-unbatched", "multilabel-margin", {}, "torch.nn.MultiLabelMarginLoss()",
         lambda a, b: F.multilabel_margin_loss(a, b.long()), normal((4,)), np.array([1, -1, 0, 0], np.float32), "mean")
    xs = normal((4, 3), 2)
    xs[0, :2] = [1000, -1000]
    ys = (rng.random((4, 3)) < 0.5).astype(np.float32)
    w = [0.5, 1.0, 2.0]
    for weight in [None, w]:
        for r in REDUCTIONS:
            kw = {} if weight is None else {"weight": weight}
            case(f"multilabel-soft-margin-w{weight is not None}-{r}", "multilabel-soft-margin", kw,
                 f"torch.nn.MultiLabelSoftMarginLoss({'' if weight is None else f'weight=torch.tensor({w}), '}reduction='{r}')",
                 lambda a, b, r=r, wt=weight: F.multilabel_soft_margin_loss(
                     a, b, weight=None if wt is None else torch.tensor(wt), reduction=r), xs, ys, r)


def embeddings():
    pair, y = normal((2, 5, 3)), signs(5)
    pair[:, 0] = 0.0
    pair[0, 1] = 0.0  # a zero vector against a non-zero one
    y[:2] = [1, -1]
    for margin in [0.0, 0.5]:
        for r in REDUCTIONS:
            case(f"cosine-embedding-m{margin}-{r}", "cosine-embedding", {"margin": margin},
                 f"torch.nn.CosineEmbeddingLoss(margin={margin}, reduction='{r}')(x1, x2, y)",
                 lambda a, b, m=margin, r=r: F.cosine_embedding_loss(a[0], a[1], b, margin=m, reduction=r), pair, y, r,
                 note="input = torch.stack([x1, x2]); sample 0 two zero vectors, sample 1 one")
    case("cosine-embedding-unbatched", "cosine-embedding", {}, "torch.nn.CosineEmbeddingLoss()(x1, x2, y)",
         lambda a, b: F.cosine_embedding_loss(a[0], a[1], b), normal((2, 4)), np.float32(-1), "mean")
    x, t = normal((5, 4)), rng.integers(0, 4, 5).astype(np.float32)
    w = [0.5, 2.0, 1.0, 0.25]
    for p, margin, weight in [(1, 1.0, None), (2, 1.0, None), (1, 0.5, w), (2, 2.0, w)]:
        for r in REDUCTIONS:
            kw = {"p": p, "margin": margin} | ({} if weight is None else {"weight": weight})
            case(f"multi-margin-p{p}-m{margin}-w{weight is not None}-{r}", "multi-margin", kw,
                 f"torch.nn.MultiMarginLoss(p={p}, margin={margin}{'' if weight is None else f', weight=torch.tensor({w})'}, reduction='{r}')",
                 lambda a, b, p=p, m=margin, wt=weight, r=r: F.multi_margin_loss(
                     a, b.long(), p=p, margin=m, weight=None if wt is None else torch.tensor(wt), reduction=r), x, t, r)
    case("multi-margin-unbatched", "multi-margin", {}, "torch.nn.MultiMarginLoss()",
         lambda a, b: F.multi_margin_loss(a, b.long()), normal((4,)), np.float32(1), "mean")


def triplets():
    x = normal((3, 6, 4))
    x[2, 0] = x[1, 0]  # negative = positive: swap ties (d(a, n) = d(p, n) needs more; checked in Swift)
    for p, swap, eps, margin in [(2.0, False, 1e-6, 1.0), (2.0, True, 1e-6, 1.0), (1.0, False, 1e-6, 0.5),
                                 (3.0, True, 0.0, 2.0), (2.0, False, 0.1, 1.0)]:
        for r in REDUCTIONS if (p, swap) == (2.0, False) and eps == 1e-6 else ["mean"]:
            params = {"margin": margin, "p": p, "eps": eps, "swap": swap}
            case(f"triplet-margin-p{p}-swap{swap}-eps{eps}-m{margin}-{r}", "triplet-margin", params,
                 f"torch.nn.TripletMarginLoss(margin={margin}, p={p}, eps={eps}, swap={swap}, reduction='{r}')(a, p, n)",
                 lambda a, b, m=margin, p=p, e=eps, s=swap, r=r: F.triplet_margin_loss(
                     a[0], a[1], a[2], margin=m, p=p, eps=e, swap=s, reduction=r), x, None, r,
                 note="input = torch.stack([anchor, positive, negative])")
    case("triplet-margin-unbatched", "triplet-margin", {}, "torch.nn.TripletMarginLoss()(a, p, n)",
         lambda a, b: F.triplet_margin_loss(a[0], a[1], a[2]), normal((3, 5)), None, "mean")


def ctc():
    T, N, C = 7, 3, 5
    x = log_probs((T, N, C), 2)
    y = np.array([[1, 2, 2], [3, 1, 4], [4, 0, 0]], np.float32)
    il, tl = [7, 6, 5], [3, 2, 1]
    for r in REDUCTIONS:
        case(f"ctc-padded-{r}", "ctc", {"input_lengths": il, "target_lengths": tl},
             f"torch.nn.CTCLoss(reduction='{r}')(x, y, input_lengths={il}, target_lengths={tl})",
             lambda a, b, r=r: F.ctc_loss(a, b.long(), torch.tensor(il), torch.tensor(tl), reduction=r), x, y, r,
             note="repeated labels (2, 2) need a blank between them")
    yc = np.array([1, 2, 2, 3, 1, 4], np.float32)
    case("ctc-concatenated", "ctc", {"input_lengths": il, "target_lengths": tl},
         f"torch.nn.CTCLoss()(x, y_concatenated, input_lengths={il}, target_lengths={tl})",
         lambda a, b: F.ctc_loss(a, b.long(), torch.tensor(il), torch.tensor(tl)), x, yc, "mean")
    ye = np.array([[2, 3], [0, 0], [1, 1]], np.float32)
    for r in ["mean", "none"]:
        case(f"ctc-empty-target-{r}", "ctc", {"target_lengths": [2, 0, 2]},
             f"torch.nn.CTCLoss(reduction='{r}')(x, y, input_lengths=[7, 7, 7], target_lengths=[2, 0, 2])",
             lambda a, b, r=r: F.ctc_loss(a, b.long(), torch.tensor([T] * N), torch.tensor([2, 0, 2]), reduction=r), x, ye, r,
             note="sample 1 has an empty target; mean divides it by max(0, 1)")
    yi = np.array([[1, 1, 1], [2, 3, 2], [4, 4, 4]], np.float32)
    ili = [4, 7, 5]
    for r in ["mean", "sum"]:
        case(f"ctc-impossible-zero-infinity-{r}", "ctc", {"input_lengths": ili, "zero_infinity": True},
             f"torch.nn.CTCLoss(zero_infinity=True, reduction='{r}')(x, y, input_lengths={ili}, target_lengths=[3, 3, 3])",
             lambda a, b, r=r: F.ctc_loss(a, b.long(), torch.tensor(ili), torch.tensor([3] * 3), reduction=r, zero_infinity=True),
             x, yi, r, note="samples 0 (T = 4 < 5) and 2 (T = 5) cannot align 1 1 1 / 4 4 4: counted as 0")
    case("ctc-blank-last", "ctc", {"blank": C - 1},
         f"torch.nn.CTCLoss(blank={C - 1})(x, y, input_lengths=[7, 7, 7], target_lengths=[2, 2, 2])",
         lambda a, b: F.ctc_loss(a, b.long(), torch.tensor([T] * N), torch.tensor([2] * N), blank=C - 1), x,
         np.array([[0, 1], [2, 2], [3, 0]], np.float32), "mean")
    xu = log_probs((6, C), 1)
    case("ctc-unbatched", "ctc", {}, "torch.nn.CTCLoss()(x[T, C], y[S], input_lengths=6, target_lengths=3)",
         lambda a, b: F.ctc_loss(a, b.long(), torch.tensor(6), torch.tensor(3)), xu, np.array([1, 3, 3], np.float32), "mean")


def all_cases():
    nll()
    poisson()
    gaussian()
    margins()
    multilabel()
    embeddings()
    triplets()
    ctc()
