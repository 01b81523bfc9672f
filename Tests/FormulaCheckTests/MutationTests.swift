import FormulaCheck
import LossFormulas
import Losses
import XCTest

/// A wrong formula must fail the check: a flipped sign, a changed exponent, a missing factor.
final class MutationTests: XCTestCase {
    /// `pooled`: the binding with `per_image` off (the Lovász losses' batch as one image).
    private func mutated(_ loss: String, formula index: Int = 0, _ from: String, _ to: String, pooled: Bool = false,
                         file: StaticString = #filePath, line: UInt = #line) throws -> [CatalogFormulas.Outcome] {
        let binding = try XCTUnwrap(CatalogBindings.all.first {
            $0.loss == loss && $0.formulas.contains(index) && $0.settings.contains { $0["per_image"] == "false" } == pooled
        })
        var tex = try binding.formulas.map { try Catalog.descriptor(for: loss).formulas[$0] }
        let k = try XCTUnwrap(binding.formulas.firstIndex(of: index))
        XCTAssertTrue(tex[k].contains(from), "'\(from)' is not in \(loss)'s formula", file: file, line: line)
        tex[k] = tex[k].replacingOccurrences(of: from, with: to)
        return try CatalogFormulas.check(binding, formulas: tex)
    }

    private func assertFails(_ loss: String, formula index: Int = 0, _ from: String, _ to: String, pooled: Bool = false,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let outcomes = try mutated(loss, formula: index, from, to, pooled: pooled, file: file, line: line)
        XCTAssertTrue(outcomes.contains { !$0.report.passed }, "\(loss): '\(from)' → '\(to)' still passes", file: file, line: line)
        if let d = outcomes.compactMap(\.report.disagreement).first {
            print("mutation \(loss) '\(from)' → '\(to)': \(d)")
        }
    }

    /// The segmentation families' bindings (`CatalogBindings.segmentation`) fail when their formula is wrong.
    func testSegmentationMutations() throws {
        try assertFails("generalized-dice", formula: 1, #"\begin{cases} G_c^{-e}"#, #"\begin{cases} G_c^{e}"#)
        try assertFails("generalized-dice", formula: 1, #"[G_j > 0]\, G_j^{-e}"#, #"G_j^{-e}"#)
        try assertFails("focal-tversky", #"^{1/\gamma}"#, #"^{\gamma}"#)
        try assertFails("focal-tversky", formula: 1, #"FN = \sum_i (1 - p_i)\, g_i"#, #"FN = \sum_i (1 + p_i)\, g_i"#)
        try assertFails("penalty-generalized-dice", #"{1 + k\,(1 - "#, #"{1 - k\,(1 - "#)
        try assertFails("dice-ce", #"w_c\left(1 - "#, #"\left(1 - "#)
        try assertFails("dice-ce", #"-w_{y_{n,i}}\log"#, #"-w_{y_{n,i}}^2\log"#)
        try assertFails("combo", #"\alpha \left(-\frac{1}{NC|\Omega|}"#, #"\alpha \left(\frac{1}{NC|\Omega|}"#)
        try assertFails("dice-focal", #"(1 - p_t)^{\gamma}"#, #"(1 - p_t)"#)
        try assertFails("generalized-dice-focal", formula: 2, #"[G_j > 0]\, G_j^{-e}"#, #"[G_j > 0]\, G_j^{e}"#)
        try assertFails("exp-log", formula: 1, #"\max\left(0,\ -\ln"#, #"\max\left(0,\ \ln"#)
        try assertFails("exp-log", formula: 2, #"w_{y_{n,i}}\left("#, #"\left("#)
        try assertFails("masked-dice", #"\sum_i m_{n,i}\, g_{n,c,i} + s_{dr}"#, #"\sum_i g_{n,c,i} + s_{dr}"#)
        try assertFails("unified-focal", formula: 1, #"(1 - P_{n,1,i})^{\gamma}"#, #"(1 - P_{n,1,i})"#)
        try assertFails("unified-focal", formula: 2, #"(1 - D_{n,2})^{1-\gamma}"#, #"(1 - D_{n,2})^{1+\gamma}"#)
    }

    /// The generalised Wasserstein Dice loss (both weighting modes; an asymmetric distance matrix,
    /// so that M's row and column are told apart).
    func testWassersteinDiceMutations() throws {
        try assertFails("generalized-wasserstein-dice", #"{2\sum_i \alpha_{y_i}"#, #"{\sum_i \alpha_{y_i}"#)
        try assertFails("generalized-wasserstein-dice", #"M_{y_i, c}"#, #"M_{c, y_i}"#)
        try assertFails("generalized-wasserstein-dice", #"+ s_{nr}}{D_n + s_{dr}}"#, #"+ s_{nr}}{D_n + s_{nr}}"#)
        try assertFails("generalized-wasserstein-dice", formula: 1, #"+ \sum_i W_i"#, #"+ 2\sum_i W_i"#)
        try assertFails("generalized-wasserstein-dice", formula: 2, #"\left(2 - W_i\right)"#, #"\left(1 - W_i\right)"#)
        try assertFails("generalized-wasserstein-dice", formula: 2, #"\frac{1}{V_c + 1}"#, #"\frac{1}{V_c + 2}"#)
    }

    /// The Lovász losses (`CatalogBindings.lovasz`): the errors, the ordering's direction, the
    /// prefix sets and the Jaccard loss's set operations each matter.
    func testLovaszMutations() throws {
        try assertFails("lovasz-softmax", #"\left|g_{i,c} - p_{i,c}\right|"#, #"\left|g_{i,c} + p_{i,c}\right|"#)
        try assertFails("lovasz-softmax", formula: 1, #"\ge"#, #"\le"#)
        try assertFails("lovasz-softmax", formula: 2, #"|G_c \setminus S|"#, #"|G_c \cap S|"#)
        try assertFails("lovasz-hinge", #"e_i = 1 - x_i"#, #"e_i = 1 + x_i"#)
        try assertFails("lovasz-hinge", #"\pi(k-1)"#, #"\pi(k)"#)
        try assertFails("lovasz-hinge", formula: 1, #"{|G \cup S|}"#, #"{|G \cap S|}"#)
        // per_image off: the batch's positions pooled in storage order.
        try assertFails("lovasz-softmax", #"\left|g_{i,c} - p_{i,c}\right|"#, #"\left|g_{i,c} + p_{i,c}\right|"#, pooled: true)
        try assertFails("lovasz-softmax", formula: 1, #"\ge"#, #"\le"#, pooled: true)
        try assertFails("lovasz-hinge", #"e_i = 1 - x_i"#, #"e_i = 1 + x_i"#, pooled: true)
        try assertFails("lovasz-hinge", #"\pi(k-1)"#, #"\pi(k)"#, pooled: true)
    }

    /// dice-topk's TopK term over the pairs (n, i) of every image: its sign, its normaliser, its weight.
    func testDiceTopKMutations() throws {
        try assertFails("dice-topk", #"} -w_{y_{n,i}}\log"#, #"} w_{y_{n,i}}\log"#)
        try assertFails("dice-topk", #"\frac{1}{K}"#, #"\frac{1}{K + 1}"#)
        try assertFails("dice-topk", #"-w_{y_{n,i}}\log"#, #"-\log"#)
        try assertFails("dice-topk", #"\lambda_{\text{dice}}\,\mathcal{L}_{\text{Dice}}"#, #"\mathcal{L}_{\text{Dice}}"#)
    }

    func testSignMutations() throws {
        try assertFails("l2", "(x - y)^2", "(x + y)^2")
        try assertFails("binary-cross-entropy", "(1 - y)", "(1 + y)")
        try assertFails("iou", #"- \sum_i p_i g_i"#, #"+ \sum_i p_i g_i"#)
        try assertFails("cross-entropy", #"\ell_i = -\sum"#, #"\ell_i = \sum"#)
    }

    func testExponentMutations() throws {
        try assertFails("focal", formula: 1, #"^{\gamma}"#, #"^{2\gamma}"#)
        try assertFails("smooth-l1", "(x-y)^2", "(x-y)^3")
        try assertFails("l1", formula: 1, #"|x_i - y_i|"#, #"|x_i - y_i|^2"#)
    }

    func testMissingFactorMutations() throws {
        try assertFails("dice", #"\frac{2\sum_i"#, #"\frac{\sum_i"#)
        try assertFails("huber", #"\delta\left("#, #"\left("#)
        try assertFails("tversky", #"\alpha\, FP"#, "FP")
        try assertFails("focal", formula: 1, #"\alpha_c\, "#, "")
    }

    /// The margin, regulariser and region bindings added for coverage fail when their formula is wrong.
    func testMarginRegulariserAndRegionMutations() throws {
        try assertFails("hinge", "1 - y f", "1 + y f")
        try assertFails("soft-margin", "e^{-y f}", "e^{y f}")
        try assertFails("l2-regularization", #"\frac{\lambda}{2}"#, #"\lambda"#)
        try assertFails("l1-regularization", #"\lambda \sum_i |w_i|"#, #"\lambda \sum_i w_i"#)
        try assertFails("sensitivity-specificity", "(1 - r)", "(1 + r)")
        try assertFails("asymmetric", #"\beta^2 \sum_i (1-p_i)"#, #"\beta \sum_i (1-p_i)"#)
        try assertFails("asymmetric", formula: 1, #"\beta_T = \tfrac{\beta^2}{1+\beta^2}"#, #"\beta_T = \tfrac{\beta}{1+\beta^2}"#)
        try assertFails("asymmetric", formula: 1, #"+ \alpha\, s_{dr}"#, #"+ s_{dr}"#)
        try assertFails("log-cosh", #"\log\cosh(x - y)"#, #"\cosh(x - y)"#)
    }

    /// The classification, distribution and torch.nn bindings (`CatalogBindings.classification`).
    func testClassificationMutations() throws {
        try assertFails("margin-ranking", #"-y\,(x_1 - x_2)"#, #"y\,(x_1 - x_2)"#)
        try assertFails("hinge-embedding", #"\Delta - x"#, #"\Delta + x"#)
        try assertFails("multi-margin", #"\bigr)^p"#, #"\bigr)^{p+1}"#)
        try assertFails("multilabel-margin", #"1 - (x_{n, j}"#, #"1 + (x_{n, j}"#)
        try assertFails("multilabel-soft-margin", #"w_c \Bigl("#, #"\Bigl("#)
        try assertFails("nll", #"-w_{y_i}\, x_{i, y_i}"#, #"-x_{i, y_i}"#)
        try assertFails("kl-divergence", formula: 1, #"\log p_i - x_i"#, #"\log p_i + x_i"#)
        try assertFails("kl-divergence", #"\log p_i - \log q_i"#, #"\log p_i - 2\log q_i"#)
        try assertFails("cross-entropy", formula: 2, #"\ne \text{ignore}} w_{y_i}"#, #"\ne \text{ignore}} 1"#)
        try assertFails("weighted-cross-entropy", #"{\sum_i w_{y_i}}"#, #"{\sum_i w_{y_i}^2}"#)
        try assertFails("focal", #"(1 - p_t)^{\gamma}"#, #"(1 - p_t)^{2\gamma}"#)
        try assertFails("focal", formula: 2, #"-t\log\sigma(x)"#, #"t\log\sigma(x)"#)
        // (A factor common to every weight cancels in the weighted mean: change their ratios.)
        try assertFails("weighted-cross-entropy", formula: 1, #"\frac{M}{C\, M_c}"#, #"\frac{M}{C\, M_c^2}"#)
        try assertFails("topk-threshold", #"p_{i, y_i} < t"#, #"p_{i, y_i} > t"#)
        try assertFails("topk-threshold", #"\frac{1}{|\mathcal{H}|}"#, #"\frac{1}{2}"#)
        try assertFails("log-cosh", formula: 1, #"e^{-2|d|}"#, #"e^{-|d|}"#)
    }

    /// The likelihood losses of torch.nn: a sign, a missing factor, an exponent, the optional constant.
    func testLikelihoodMutations() throws {
        try assertFails("gaussian-nll", #"\frac{(\mu - y)^2}"#, #"\frac{(\mu - y)}"#)
        try assertFails("gaussian-nll", #"\ell = \frac12"#, #"\ell = "#)
        try assertFails("gaussian-nll", #"[\text{full}]\,\frac12"#, #"[\text{full}]\,\frac13"#)
        try assertFails("poisson-nll", #"e^{x} - y\,x"#, #"e^{x} + y\,x"#)
        try assertFails("poisson-nll", #"x - y \log(x + \varepsilon)"#, #"x - y \log(x)"#)
        try assertFails("poisson-nll", formula: 1, #"[y > 1]"#, #"[y > 2]"#)
        try assertFails("poisson-nll", formula: 1, #"\tfrac12 \log(2\pi y)"#, #"\log(2\pi y)"#)
    }

    /// A function of vectors (cosine-embedding's cos(a, b)): a sign, a missing square, a missing root.
    func testVectorFunctionMutations() throws {
        try assertFails("cosine-embedding", #"1 - \cos(a, b)"#, #"1 + \cos(a, b)"#)
        try assertFails("cosine-embedding", #"\cos(a, b) - \text{margin}"#, #"\cos(a, b) + \text{margin}"#)
        try assertFails("cosine-embedding", formula: 1, #"\sum_d a_d^2 + \epsilon"#, #"\sum_d a_d + \epsilon"#)
        try assertFails("cosine-embedding", formula: 1, #"{\sqrt{"#, #"{{"#)
        // A function of vectors called with arrays of other names (triplet-margin's d(a, q), d(a, n)).
        try assertFails("triplet-margin", #"+ d(a, q) - d(a, n)"#, #"- d(a, q) + d(a, n)"#)
        try assertFails("triplet-margin", #"\rvert^p\Bigr)^{1/p}"#, #"\rvert^p\Bigr)"#)
        try assertFails("triplet-margin", #"u_k - v_k + \epsilon"#, #"u_k - v_k"#)
        try assertFails("triplet-margin", formula: 1, #"\min\bigl(d(a, n),\; d(q, n)\bigr)"#, #"d(a, n)"#)
    }

    /// A set with a parameter in its name (topk's 𝒯_K, the K largest ℓ_i) and an equation led by a
    /// label (dice's jaccard form): a reversed ranking, a wrong K, a sign.
    func testRankedSetAndLabelledEquationMutations() throws {
        try assertFails("topk", formula: 1, #"[\ell_j > \ell_i]"#, #"[\ell_j < \ell_i]"#)
        try assertFails("topk", formula: 1, #"\tfrac{M k}{100}"#, #"\tfrac{M k}{50}"#)
        try assertFails("topk", #"\frac{1}{K}"#, #"\frac{1}{M}"#)
        try assertFails("dice", formula: 1, #"2(P + G - I)"#, #"2(P + G + I)"#)
    }

    /// A formula on another loss's value (log-hausdorff-dt on hausdorff-dt's).
    func testChainedValueMutations() throws {
        try assertFails("log-hausdorff-dt", #"\log\!\left(1 + "#, #"\log\!\left(2 + "#)
        try assertFails("log-hausdorff-dt", #"\log\!\left(1 + \mathcal{L}_{\text{HD-DT}}\right)"#, #"\left(1 + \mathcal{L}_{\text{HD-DT}}\right)"#)
    }

    /// The box-regression bindings: a sign, a missing term, an exponent.
    func testBoxMutations() throws {
        try assertFails("box-iou", #"1 - \frac{I}"#, #"1 + \frac{I}"#)
        try assertFails("box-iou", formula: 1, "- I", "")
        try assertFails("giou", #"\frac{C - U}{C + \epsilon}"#, #"\frac{C - U}{C}"#)
        try assertFails("diou", #"{2}\Bigr)^2"#, #"{2}\Bigr)^3"#)
        try assertFails("ciou", formula: 1, #"\frac{4}{\pi^2}"#, #"\frac{2}{\pi^2}"#)
        try assertFails("ciou", formula: 1, "+ v + \\epsilon", "+ \\epsilon")
        try assertFails("diou", formula: 1, #"\max(y_2, y_2^g) - \min(y_1, y_1^g)"#, #"\max(y_2, y_2^g) + \min(y_1, y_1^g)"#)
    }

    /// The distance-map bindings (`CatalogBindings.distance`): the map's offset and sides, the
    /// empty-mask case, the threshold, the exponent, the normaliser, the logarithm's 1.
    func testDistanceMutations() throws {
        try assertFails("boundary", formula: 1, #"\left(\operatorname{edt}(g) - 1\right)"#, #"\operatorname{edt}(g)"#)
        try assertFails("boundary", formula: 1, #"\operatorname{edt}(\lnot g)\cdot \lnot g"#, #"\operatorname{edt}(g)\cdot \lnot g"#)
        // Without its empty-mask case (the formula as it read before): ∞ on an absent class.
        try assertFails("boundary", formula: 1, #", & \min_{i \in \Omega} g < \max_{i \in \Omega} g \\ 0, & \text{otherwise}"#, "")
        try assertFails("boundary", #"\frac{1}{|\Omega|}"#, "")
        try assertFails("hausdorff-dt", formula: 1, #"\operatorname{edt}(m) + \operatorname{edt}(\lnot m)"#, #"\operatorname{edt}(m)"#)
        try assertFails("hausdorff-dt", formula: 1, #", & \min_{i \in \Omega} m < \max_{i \in \Omega} m \\ 0, & \text{otherwise}"#, "")
        try assertFails("hausdorff-dt", formula: 1, #"[\,p > \tfrac{1}{2}\,]"#, #"[\,p > \tfrac{1}{4}\,]"#)
        try assertFails("hausdorff-dt", #"d_p(i)^{\alpha}"#, #"d_p(i)^{2}"#)
        try assertFails("hausdorff-dt", #"\left(p_i - g_i\right)^2"#, #"\left|p_i - g_i\right|"#)
        try assertFails("log-hausdorff-dt", #"\log\!\left(1 + "#, #"\log\!\left(2 + "#)
        try assertFails("log-hausdorff-dt", #"d_g(i)^{\alpha}"#, #"d_p(i)^{\alpha}"#)
    }

    /// The clDice losses (`CatalogBindings.topology`): the harmonic mean, the smoothing, which
    /// skeleton meets which map, the compound's weights.
    func testClDiceMutations() throws {
        try assertFails("cldice", #"\frac{2\, T_{prec}"#, #"\frac{T_{prec}"#)
        try assertFails("cldice", #"T_{sens} + \text{smooth}}"#, #"T_{sens}}"#)
        try assertFails("cldice", formula: 1, #"S_{p,c}(i)\, g_{c,i}"#, #"S_{p,c}(i)\, p_{c,i}"#)
        try assertFails("cldice", formula: 1, #"\sum_{c,i} S_{p,c}(i) + s_{dr}"#, #"\sum_{c,i} S_{g,c}(i) + s_{dr}"#)
        try assertFails("cldice", formula: 1, #"S_{g,c}(i)\, p_{c,i} + s_{nr}"#, #"S_{g,c}(i)\, p_{c,i} + s_{dr}"#)
        try assertFails("dice-cldice", #"(1 - \alpha)"#, #"(1 + \alpha)"#)
        try assertFails("dice-cldice", #"\alpha\, \frac{1}{N}\sum_n"#, #"\frac{1}{N}\sum_n"#)
        try assertFails("dice-cldice", #"2\, T_{prec,n}\, T_{sens,n}"#, #"2\, T_{prec,n}^2\, T_{sens,n}"#)
        try assertFails("dice-cldice", formula: 1, #"S_{p,c}(i)\, g_{c,i}"#, #"S_{g,c}(i)\, g_{c,i}"#)
    }

    /// dpce (`CatalogBindings.distance`): the penalty's 1 and sign, the map's inversion, its
    /// normaliser, the single-distance and full-class cases, the class it is read at.
    func testDistancePenalizedCrossEntropyMutations() throws {
        try assertFails("dpce", #"\left(1 + D_{i,y_i}\right)"#, #"\left(1 - D_{i,y_i}\right)"#)
        try assertFails("dpce", #"\left(1 + D_{i,y_i}\right)"#, #"\left(1 + D_{i,y_i}^2\right)"#)
        try assertFails("dpce", #"\left(1 + D_{i,y_i}\right)"#, #"\left(1 + D_{i,1}\right)"#)
        try assertFails("dpce", #"\ell_i = -\sum_c"#, #"\ell_i = \sum_c"#)
        try assertFails("dpce", formula: 1, #"\dfrac{M_c - \operatorname{edt}(m_c)}{M_c - \mu_c}"#, #"\dfrac{\operatorname{edt}(m_c) - \mu_c}{M_c - \mu_c}"#)
        try assertFails("dpce", formula: 1, #"\dfrac{M_c - \operatorname{edt}(m_c)}{M_c - \mu_c}"#, #"\dfrac{M_c - \operatorname{edt}(m_c)}{M_c}"#)
        try assertFails("dpce", formula: 1, #"\\ 1, & \text{otherwise}"#, #"\\ 0, & \text{otherwise}"#)
        try assertFails("dpce", formula: 1, #"\begin{cases} 0, & \min_{i \in \Omega} m_c = 1 \\ "#, #"\begin{cases} "#)
    }

    /// The image losses (`CatalogBindings.images`): SSIM's ratios, constants, moments and mean
    /// over Ω′; the perceptual loss's normaliser, square and weights.
    func testImageMutations() throws {
        try assertFails("ssim", #"(2\mu_x\mu_y + c_1)"#, #"(\mu_x\mu_y + c_1)"#)
        try assertFails("ssim", #"(2\sigma_{xy} + c_2)"#, #"(2\sigma_{xy} + c_1)"#)
        try assertFails("ssim", #"c_2 = (k_2 L)^2"#, #"c_2 = k_2 L"#)
        try assertFails("ssim", #"\frac{1}{C\,|\Omega'|}"#, #"\frac{1}{C}"#)
        try assertFails("ssim", formula: 1, #"\sigma_x^2 = w \star x^2 - \mu_x^2"#, #"\sigma_x^2 = w \star x^2"#)
        try assertFails("ssim", formula: 1, #"w \star (x y) - \mu_x \mu_y"#, #"w \star (x y)"#)
        try assertFails("perceptual", #"\frac{1}{C_l H_l W_l}"#, #"\frac{1}{H_l W_l}"#)
        try assertFails("perceptual", #"\right\rVert_2^2"#, #"\right\rVert_2"#)
        try assertFails("perceptual", #"\sum_{l} w_l \,"#, #"\sum_{l}"#)
    }

    /// The Hausdorff erosion loss (`CatalogBindings.distance`): the weights, the first term, the
    /// threshold, the cross's convolution and the rescaling.
    func testHausdorffErosionMutations() throws {
        try assertFails("hausdorff-er", #"k^{\alpha}"#, #"k^{2\alpha}"#)
        try assertFails("hausdorff-er", #"f \ominus_0 B = (p - g)^2"#, #"f \ominus_0 B = |p - g|"#)
        try assertFails("hausdorff-er", formula: 1, #"- \tfrac{1}{2}"#, #"- \tfrac{1}{3}"#)
        try assertFails("hausdorff-er", formula: 1, #"B * (f \ominus_{k-1} B)"#, #"(f \ominus_{k-1} B)"#)
        try assertFails("hausdorff-er", formula: 1, #"\dfrac{r - \min r}{\max r - \min r}"#, #"\dfrac{r}{\max r}"#)
    }

    /// CTC (`CatalogBindings.alignments`): the sum over the alignments, its log's sign, the
    /// product's range and term, and the mean's division by the target lengths.
    func testAlignmentMutations() throws {
        try assertFails("ctc", #"\ell_n = -\log"#, #"\ell_n = \log"#)
        try assertFails("ctc", #"e^{x_{t, n, \pi_t}}"#, #"e^{2 x_{t, n, \pi_t}}"#)
        try assertFails("ctc", #"\prod_{t=1}^{T_n}"#, #"\prod_{t=2}^{T_n}"#)
        try assertFails("ctc", #"\sum_{\pi \in \mathcal{B}^{-1}(y_n)}"#, #"\max_{\pi \in \mathcal{B}^{-1}(y_n)}"#)
        try assertFails("ctc", formula: 2, #"\frac{\ell_n}{\max(L_n, 1)}"#, #"\ell_n"#)
        try assertFails("ctc", formula: 2, #"\frac{1}{N}"#, #"\frac{1}{N^2}"#)
        // #1, the forward recursion: its emission, the log-sum's terms, the skip's conditions.
        try assertFails("ctc", formula: 1, #"= x_{t, l'_s} + \log"#, #"= \log"#)
        try assertFails("ctc", formula: 1, #"= x_{t, l'_s} + \log"#, #"= x_{t, l'_s} - \log"#)
        try assertFails("ctc", formula: 1, #"e^{\alpha_{t-1}(s-1)}"#, #"e^{\alpha_{t-1}(s)}"#)
        try assertFails("ctc", formula: 1, #"[l'_s \ne b,\ l'_s \ne l'_{s-2}]\, "#, "")
        try assertFails("ctc", formula: 1, #"l'_s \ne l'_{s-2}]"#, #"l'_s \ne l'_{s-1}]"#)
        try assertFails("ctc", formula: 1, #"e^{\alpha_{t-1}(s-2)}"#, #"e^{2\alpha_{t-1}(s-2)}"#)
    }

    /// clDice's soft skeleton (cldice #2, read with #0 and #1): the opening, the residue's
    /// positive part, the update's product and the number of erosions.
    func testSkeletonMutations() throws {
        try assertFails("cldice", formula: 2, #"s_0 = [x - \Delta(E(x))]_+"#, #"s_0 = [x + \Delta(E(x))]_+"#)
        try assertFails("cldice", formula: 2, #"s_0 = [x - \Delta(E(x))]_+"#, #"s_0 = [x - E(x)]_+"#)
        try assertFails("cldice", formula: 2, #"\bigl[d_k - s_{k-1} d_k\bigr]_+"#, #"\bigl[d_k - s_{k-1}^2 d_k\bigr]_+"#)
        try assertFails("cldice", formula: 2, #"\bigl[d_k - s_{k-1} d_k\bigr]_+"#, #"\bigl[d_k - d_k\bigr]_+"#)
        try assertFails("cldice", formula: 2, #"d_k = [E^k(x)"#, #"d_k = [E^{k-1}(x)"#)
        try assertFails("cldice", formula: 2, #"\Delta(E^{k+1}(x))"#, #"\Delta(E^{k}(x))"#)
        try assertFails("cldice", formula: 2, #"S = s_{K}"#, #"S = s_{0}"#)
    }
}
